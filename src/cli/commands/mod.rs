//! One file per command: each reads what it needs, calls the core, writes and reports.

pub mod changes;
pub mod codes;
pub mod day2;
pub mod lifecycle;
pub mod render;
pub mod request;
pub mod scaffold;
pub mod sync;
pub mod validate;
