/* The export table (exports.def) as data: what fault injection may fail, and, by name, our own
 * functions. */
#ifndef FS_API_EXPORTS_H
#define FS_API_EXPORTS_H

#include <stddef.h>

/* Any function's address, as C lets one be kept and converted back before the call. */
typedef void (*fs_export_fn)(void);

/* Tells core/fault which functions can be failed and how (SSPI status, NTSTATUS or Win32 last error). */
void fs_exports_register_faults(void);

/* The exported function of that exact (case-sensitive) name, or NULL when the library exports none. */
fs_export_fn fs_export_address(const char *name);
/* The i-th row's name, in the table's order; NULL past the end. */
const char *fs_export_name(size_t i);

#endif
