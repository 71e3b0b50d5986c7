/* The export table (exports.def) as data: what fault injection may fail, and, by name, our own
 * functions. */
#ifndef FS_API_EXPORTS_H
#define FS_API_EXPORTS_H

/* Tells core/fault which functions can be failed and how (SSPI status or Win32 last error). */
void fs_exports_register_faults(void);

#endif
