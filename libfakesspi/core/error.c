/* Names and meanings of the internal errors, from the one table. */
#include "error.h"

static const struct {
    const char *name;
    const char *meaning;
} rows[FS_ERR_COUNT] = {
#define X(name, win32, sspi, nt, meaning) [name] = {#name, meaning},
#include "internal_errors.def"
#undef X
};

const char *fs_err_name(fs_err err) { return (unsigned)err < FS_ERR_COUNT ? rows[err].name : "FS_E_?"; }
const char *fs_err_meaning(fs_err err) { return (unsigned)err < FS_ERR_COUNT ? rows[err].meaning : "?"; }
