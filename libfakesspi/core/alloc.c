/* Allocation with the fault injector's say first. */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

#include "fault.h"

void *fs_malloc(size_t size) { return fs_fault_alloc_fails() ? NULL : malloc(size); }
void *fs_calloc(size_t count, size_t size) { return fs_fault_alloc_fails() ? NULL : calloc(count, size); }
void *fs_realloc(void *ptr, size_t size) { return fs_fault_alloc_fails() ? NULL : realloc(ptr, size); }
char *fs_strdup(const char *s) { return fs_fault_alloc_fails() ? NULL : strdup(s); }
char *fs_strndup(const char *s, size_t n) { return fs_fault_alloc_fails() ? NULL : strndup(s, n); }
