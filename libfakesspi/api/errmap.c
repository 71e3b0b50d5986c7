/* The one mapping of internal errors to Win32 last-error values, SECURITY_STATUS and NTSTATUS, made from
 * core/internal_errors.def: every row names all three, so no error falls through to a default. */
#include "api.h"
#include "ntstatus.h"

static const struct {
    DWORD win32;
    SECURITY_STATUS sspi;
    NTSTATUS nt;
} map[FS_ERR_COUNT] = {
#define X(name, win32, sspi, nt, meaning) [name] = {(DWORD)(win32), (SECURITY_STATUS)(sspi), (NTSTATUS)(nt)},
#include "core/internal_errors.def"
#undef X
};

DWORD fs_win32_error(fs_err err) { return (unsigned)err < FS_ERR_COUNT ? map[err].win32 : ERROR_INVALID_FUNCTION; }

SECURITY_STATUS fs_sec_status(fs_err err)
{
    return (unsigned)err < FS_ERR_COUNT ? map[err].sspi : SEC_E_INTERNAL_ERROR;
}

NTSTATUS fs_nt_status(fs_err err) { return (unsigned)err < FS_ERR_COUNT ? map[err].nt : STATUS_INTERNAL_ERROR; }
