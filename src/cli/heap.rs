//! The CLI's heap, set up once before any command runs. A command reads, edits and verifies whole
//! files in memory (a 10,000-entry catalog is 1.8 MB), and on the VMs CI and platforms run it on,
//! each first touch of a 4 KiB page is a page fault: 2,700 of them for a 10,000-entry scaffold,
//! a third of its time. So the heap grows in one step and asks for transparent huge pages (2 MiB,
//! where the kernel's `madvise` mode allows them; elsewhere nothing changes), and allocations up
//! to glibc's largest threshold stay in it instead of their own small-page mappings: what glibc's
//! `glibc.malloc.hugetlb=1` tunable does, without an environment variable. BENCHMARKS.md has the
//! numbers. Memory is still only what is touched, and the process is short-lived.

/// Allocations below this come from the heap (glibc's maximum, 32 MiB on 64-bit).
const MMAP_THRESHOLD: i32 = 32 << 20;
/// How far the heap grows at once, and the part of it advised into huge pages.
const TOP_PAD: usize = 64 << 20;
const HUGE_PAGE: usize = 2 << 20;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn prepare() {
    // SAFETY: mallopt, malloc, free, sbrk(0) and madvise are called as glibc documents them:
    // sbrk(0) only reads the current break, the advice covers whole pages of the heap's own
    // mapping below it, and a failure of any call leaves the allocator as it was (the advice is
    // a hint; its result is not needed).
    unsafe {
        if libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 0
            || libc::mallopt(libc::M_TRIM_THRESHOLD, (2 * TOP_PAD) as i32) == 0
            || libc::mallopt(libc::M_TOP_PAD, TOP_PAD as i32) == 0
        {
            return;
        }
        // Grow the heap now, by the pad: then the advice can cover it. (black_box: a malloc and
        // free of nothing used is otherwise optimised away.)
        let p = std::hint::black_box(libc::malloc(HUGE_PAGE));
        if p.is_null() {
            return;
        }
        libc::free(std::hint::black_box(p));
        let end = libc::sbrk(0) as usize;
        if end == usize::MAX || end < TOP_PAD {
            return;
        }
        let start = (end - TOP_PAD).next_multiple_of(HUGE_PAGE);
        if start < end {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn prepare() {}
