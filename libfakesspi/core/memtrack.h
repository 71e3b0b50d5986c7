/* Memory handed to callers (LocalAlloc, AllocateAndInitializeSid, HeapAlloc, ...), tracked so
 * that foreign, double and mismatched frees are reported and unfreed blocks show up as leaks. */
#ifndef FS_CORE_MEMTRACK_H
#define FS_CORE_MEMTRACK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "error.h"

enum fs_mem_kind {
    FS_MEM_LOCAL = 1,    /* LocalAlloc: free with LocalFree */
    FS_MEM_SID,          /* AllocateAndInitializeSid: free with FreeSid */
    FS_MEM_HEAP,         /* HeapAlloc: free with HeapFree */
    FS_MEM_CONTEXT_BUFFER, /* SSPI output: free with FreeContextBuffer */
    FS_MEM_LSA,          /* LSA policy output (LsaLookupSids, ...): free with LsaFreeMemory */
    FS_MEM_LSA_RETURN,   /* LSA authentication output (LsaLogonUser's profile): free with LsaFreeReturnBuffer */
    FS_MEM_KIND_COUNT
};

/* Returns a NEW block of size bytes (zeroed if zero), or NULL. */
void *fs_mem_alloc(enum fs_mem_kind kind, size_t size, int zero, const char *api);
/* Frees a tracked block. Not ours or already freed: reported, FS_E_INVALID_HANDLE, nothing freed.
 * Freed with the wrong function: reported (WRONG_FREE) and freed, as Windows' shared heap would. */
FS_MUST_CHECK fs_err fs_mem_free(void *ptr, enum fs_mem_kind kind, const char *api);
/* Frees a block this library made and has not handed out (an output abandoned on a failure path); NULL is
 * nothing. Such a block is always ours and live, so there is no result to check. */
void fs_mem_discard(void *ptr, enum fs_mem_kind kind, const char *api);
size_t fs_mem_live(void);
size_t fs_mem_report_leaks(void);
/* Writes one paragraph per live block handed out after event `since`, oldest first, each named by its
 * serial and origin (no address); returns how many. */
size_t fs_mem_list_since(uint64_t since, FILE *out);
void fs_mem_reset(void);
/* In a forked child: the live blocks are the parent's, inherited; not the child's leaks (doc/semantics.md §39). */
void fs_mem_fork_child(void);

#endif
