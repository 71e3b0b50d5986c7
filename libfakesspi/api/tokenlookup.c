/* From a HANDLE to a token with the access a call needs, and from a token to a new handle: thin over
 * core's one lookup, so no entry point decides on its own that a handle is of the wrong kind. */
#include "api.h"
#include "core/handles.h"

DWORD fs_map_token_access(DWORD desired)
{
    DWORD access = desired & ~(DWORD)(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED);
    if (desired & GENERIC_READ)
        access |= TOKEN_READ;
    if (desired & GENERIC_WRITE)
        access |= TOKEN_WRITE;
    if (desired & GENERIC_EXECUTE)
        access |= TOKEN_EXECUTE;
    if (desired & (GENERIC_ALL | MAXIMUM_ALLOWED))
        access |= TOKEN_ALL_ACCESS;
    return access;
}

fs_err fs_api_token(HANDLE h, DWORD need, const char *api, struct fs_token **out, DWORD *granted)
{
    struct fs_object *obj;
    uint32_t access;
    fs_err err = fs_handle_get(fs_handle_key((uintptr_t)h), &fs_token_ops, need, api, &obj, &access);
    if (err != FS_OK)
        return err;
    *out = fs_token_from_object(obj);
    if (granted)
        *granted = access;
    return FS_OK;
}

fs_err fs_api_open_token(struct fs_token *t, DWORD access, const char *api, HANDLE *out)
{
    uintptr_t value;
    fs_err err = fs_handle_open(&t->base, access, 0, api, &value);
    if (err == FS_OK)
        *out = (HANDLE)value;
    return err;
}
