/* The only door to heap memory inside libfakesspi, so that a test can fail any allocation
 * (fault injection: FAKESSPI_FAULTS=alloc#N). free() stays free(). */
#ifndef FS_CORE_ALLOC_H
#define FS_CORE_ALLOC_H

#include <stddef.h>

void *fs_malloc(size_t size);
void *fs_calloc(size_t count, size_t size);
void *fs_realloc(void *ptr, size_t size);
char *fs_strdup(const char *s);
char *fs_strndup(const char *s, size_t n);
/* Asks the kernel to back a large block (an allocation of megabytes, filled at once) with huge pages: one page
 * fault per 2 MiB instead of one per 4 KiB. Only a hint; nothing changes for a small block. */
void fs_advise_huge(void *block, size_t size);

#endif
