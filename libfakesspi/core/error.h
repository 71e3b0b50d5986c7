/* The one internal error type, from core/internal_errors.def; api/errmap.c alone turns it into
 * Windows codes (Win32, SECURITY_STATUS, NTSTATUS). */
#ifndef FS_CORE_ERROR_H
#define FS_CORE_ERROR_H

typedef enum fs_err {
#define X(name, win32, sspi, nt, meaning) name,
#include "internal_errors.def"
#undef X
    FS_ERR_COUNT
} fs_err;

/* On every function that returns fs_err: an ignored result is a bug (as libsodium marks its own). */
#if defined(__GNUC__)
#define FS_MUST_CHECK __attribute__((warn_unused_result))
#else
#define FS_MUST_CHECK
#endif

/* Success and informational outcomes (the call did its work). */
static inline int fs_succeeded(fs_err err)
{
    return err == FS_OK || err == FS_I_CONTINUE_NEEDED || err == FS_I_NOT_ALL_ASSIGNED || err == FS_I_SOME_NOT_MAPPED;
}

/* The row's name ("FS_E_NOMEM") and meaning; STATIC strings. */
const char *fs_err_name(fs_err err);
const char *fs_err_meaning(fs_err err);

#endif
