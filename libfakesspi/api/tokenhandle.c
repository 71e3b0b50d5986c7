/* From a HANDLE to a token with the access a call needs, and back; plus string helpers for A/W. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/handles.h"
#include "core/misuse.h"
#include "core/utf.h"
#include "security/identity.h"

int fs_is_pseudo_handle(HANDLE h)
{
    return h == FS_PSEUDO_PROCESS || h == FS_PSEUDO_THREAD || h == FS_PSEUDO_PROCESS_TOKEN ||
           h == FS_PSEUDO_THREAD_TOKEN || h == FS_PSEUDO_EFFECTIVE_TOKEN;
}

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

/* Token pseudo-handles grant only query access, as on Windows. */
#define PSEUDO_TOKEN_ACCESS (TOKEN_QUERY | TOKEN_QUERY_SOURCE)

fs_err fs_api_token(HANDLE h, DWORD need, const char *api, struct fs_token **out, DWORD *granted)
{
    struct fs_token *t = NULL;
    DWORD access = PSEUDO_TOKEN_ACCESS;
    if (h == FS_PSEUDO_PROCESS_TOKEN) {
        t = fs_process_token();
        if (!t)
            return FS_E_NO_SUCH_LOGON_SESSION;
    } else if (h == FS_PSEUDO_THREAD_TOKEN) {
        t = fs_thread_token();
        if (!t)
            return FS_E_NO_TOKEN;
    } else if (h == FS_PSEUDO_EFFECTIVE_TOKEN) {
        t = fs_effective_token();
        if (!t)
            return FS_E_NO_SUCH_LOGON_SESSION;
    } else if (h == FS_PSEUDO_PROCESS || h == FS_PSEUDO_THREAD) {
        struct fs_misuse_detail d = {
            .handle = (uintptr_t)h,
            .handle_kind = h == FS_PSEUDO_PROCESS ? "process pseudo-handle" : "thread pseudo-handle",
            .windows = "a token handle is required; the call fails with an invalid handle (type mismatch)",
        };
        fs_misuse(FAKESSPI_MISUSE_WRONG_KIND, api, &d);
        return FS_E_INVALID_HANDLE;
    } else {
        struct fs_object *obj;
        uint32_t a;
        fs_err err = fs_handle_get((uintptr_t)h, FS_HANDLE_TOKEN, api, &obj, &a);
        if (err != FS_OK)
            return err;
        t = fs_token_from_object(obj);
        access = a;
    }
    if ((access & need) != need) {
        fs_token_unref(t);
        return FS_E_ACCESS_DENIED;
    }
    if (granted)
        *granted = access;
    *out = t;
    return FS_OK;
}

fs_err fs_api_open_token(struct fs_token *t, DWORD access, const char *api, HANDLE *out)
{
    uintptr_t value;
    fs_err err = fs_handle_open(FS_HANDLE_TOKEN, &t->base, access, api, &value);
    if (err == FS_OK)
        *out = (HANDLE)value;
    return err;
}

char *fs_api_narrow(LPCWSTR s, int *failed)
{
    if (!s)
        return NULL;
    char *copy = fs_utf16_to_utf8_dup((const uint16_t *)s);
    if (!copy)
        *failed = 1;
    return copy;
}

fs_err fs_api_copy_out_a(const char *value, LPSTR out, DWORD *cch)
{
    size_t len = strlen(value);
    if (!out || *cch < len + 1) {
        *cch = (DWORD)(len + 1);
        return FS_E_INSUFFICIENT_BUFFER;
    }
    memcpy(out, value, len + 1);
    *cch = (DWORD)len;
    return FS_OK;
}

fs_err fs_api_copy_out_w(const char *value, LPWSTR out, DWORD *cch)
{
    size_t units;
    fs_utf8_to_utf16(value, strlen(value), NULL, 0, &units, 0);
    if (!out || *cch < units + 1) {
        *cch = (DWORD)(units + 1);
        return FS_E_INSUFFICIENT_BUFFER;
    }
    fs_utf8_to_utf16(value, strlen(value), (uint16_t *)out, units, &units, 0);
    out[units] = 0;
    *cch = (DWORD)units;
    return FS_OK;
}
