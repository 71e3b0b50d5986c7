/* Allocation with the fault injector's say first. */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fault.h"

void *fs_malloc(size_t size) { return fs_fault_alloc_fails() ? NULL : malloc(size); }
void *fs_calloc(size_t count, size_t size) { return fs_fault_alloc_fails() ? NULL : calloc(count, size); }
void *fs_realloc(void *ptr, size_t size) { return fs_fault_alloc_fails() ? NULL : realloc(ptr, size); }
char *fs_strdup(const char *s) { return fs_fault_alloc_fails() ? NULL : strdup(s); }
char *fs_strndup(const char *s, size_t n) { return fs_fault_alloc_fails() ? NULL : strndup(s, n); }

/* A domain of 100,000 users fills tens of megabytes once, as it loads; on a virtual machine, where a page fault
 * is dear, faulting them in 4 KiB pages was a fifth of the load. The advice covers the whole 2 MiB pages inside
 * the block only, so no other block shares it. */
void fs_advise_huge(void *block, size_t size)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (!block || size < 2 * huge)
        return;
    uintptr_t start = ((uintptr_t)block + huge - 1) & ~(huge - 1), end = ((uintptr_t)block + size) & ~(huge - 1);
    if (end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)block;
    (void)size;
#endif
}
