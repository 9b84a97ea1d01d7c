//! The browser module's allocator: one free list per power-of-two size (issue 26).
//!
//! Rust's default allocator for wasm32 (dlmalloc) is about 7 KB of the validation-only module,
//! 3.5 KB of its gzipped size. This one is a few hundred bytes and every call is constant time: a
//! request rounds up to a power of two (at least 8 bytes), takes a block of that size from its
//! list, or else from the end of the heap (growing the memory when needed); a freed block goes to
//! the front of its size's list. Blocks are never split or merged, so the heap is at most the sum,
//! over the sizes, of the most bytes live at once in blocks of that size: about twice the live
//! bytes for the inputs the browser validates (their size is bounded: `crate::limits`), never a
//! walk over a list that a hostile input could make long.
//!
//! Alignment: a block is aligned to its size up to 4 KiB and to 4 KiB above it, so a block taken
//! from a list suits any layout of its size whose alignment is at most that; a larger alignment is
//! refused (null, Rust's allocation failure), and nothing in the crate asks for one.
//!
//! Only the validation-only build uses it (`pkg/web`); the backend's build (`pkg/node`), where
//! speed on megabyte files matters more than size, keeps dlmalloc. WebAssembly here is single
//! threaded, which the `unsafe impl Sync` below relies on.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr::null_mut;

const PAGE: usize = 65536;
const MAX_ALIGN: usize = 4096;
/// Blocks of 2^3 up to 2^31 bytes (the whole 32-bit address space is 2^32).
const CLASSES: usize = 32;

pub struct SizeClasses {
    state: UnsafeCell<State>,
}

struct State {
    /// The first free block of each size, linked through their first word.
    free: [*mut u8; CLASSES],
    /// The unused end of the heap: `top..end`.
    top: usize,
    end: usize,
}

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    pub const fn new() -> Self {
        SizeClasses {
            state: UnsafeCell::new(State {
                free: [null_mut(); CLASSES],
                top: 0,
                end: 0,
            }),
        }
    }
}

/// The class of a layout: its size rounded up to a power of two, at least 8 bytes and at least
/// its alignment. `None` when that does not fit the address space or the alignment is too large.
fn class_of(layout: Layout) -> Option<usize> {
    if layout.align() > MAX_ALIGN {
        return None;
    }
    let size = layout.size().max(layout.align()).max(8);
    let rounded = size.checked_next_power_of_two()?;
    let class = rounded.trailing_zeros() as usize;
    (class < CLASSES).then_some(class)
}

impl State {
    /// A new block of `1 << class` bytes from the end of the heap.
    fn carve(&mut self, class: usize) -> *mut u8 {
        let size = 1usize << class;
        let align = size.min(MAX_ALIGN);
        let mut start = self.top.next_multiple_of(align);
        if start.checked_add(size).is_none_or(|end| end > self.end) {
            // Grow by whole pages; the new pages follow the old end when nothing else grew the
            // memory (then the old end's free bytes stay usable), else the old rest is left.
            let pages = (size + align).div_ceil(PAGE);
            let previous = core::arch::wasm32::memory_grow(0, pages);
            if previous == usize::MAX {
                return null_mut();
            }
            let (Some(from), Some(to)) = (
                previous.checked_mul(PAGE),
                (previous + pages).checked_mul(PAGE),
            ) else {
                return null_mut(); // the 4 GiB end of a 32-bit memory
            };
            if from != self.end {
                self.top = from;
            }
            self.end = to;
            start = self.top.next_multiple_of(align);
        }
        self.top = start + size;
        start as *mut u8
    }
}

unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            return null_mut();
        };
        // SAFETY: one thread, and no allocation happens while the state is borrowed.
        let state = unsafe { &mut *self.state.get() };
        let head = state.free[class];
        if head.is_null() {
            return state.carve(class);
        }
        // SAFETY: a free block holds the next free block of its class in its first word.
        state.free[class] = unsafe { *(head as *mut *mut u8) };
        head
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // The layout is the one the block was allocated with, so it has a class.
        let Some(class) = class_of(layout) else {
            return;
        };
        let state = unsafe { &mut *self.state.get() };
        // SAFETY: the block is at least 8 bytes and aligned to 8, and no longer in use.
        unsafe { *(ptr as *mut *mut u8) = state.free[class] };
        state.free[class] = ptr;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new) = Layout::from_size_align(new_size, layout.align()) else {
            return null_mut();
        };
        // The same class: the block already has room (a growing Vec or String copies nothing).
        if let Some(class) = class_of(new)
            && class_of(layout) == Some(class)
        {
            return ptr;
        }
        let fresh = unsafe { self.alloc(new) };
        if !fresh.is_null() {
            // SAFETY: both blocks are valid for the smaller of the two sizes and do not overlap.
            unsafe {
                core::ptr::copy_nonoverlapping(ptr, fresh, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        fresh
    }
}
