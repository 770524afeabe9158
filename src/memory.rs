//! How the process uses the C allocator. glibc keeps memory a program frees
//! for reuse: after the background load of 100,000 complaints (and sled's
//! pages read for it) tens of megabytes would stay resident for nothing.

/// At start: blocks of 128 KiB and more (a list growing, a page of sled's
/// log) are mapped on their own and returned when freed, instead of glibc
/// raising that threshold after the first such free and keeping them.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// After a bulk load: give the pages of freed memory back to the system.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
