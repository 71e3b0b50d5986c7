/* A and W strings at the API's edge: wide arguments made UTF-8, results copied into caller buffers
 * with Windows' two-call size protocol. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/alloc.h"
#include "core/utf.h"

char *fs_api_narrow(LPCWSTR s, int *failed)
{
    if (!s)
        return NULL;
    char *copy = fs_utf16_to_utf8_dup((const uint16_t *)s);
    if (!copy)
        *failed = 1;
    return copy;
}

size_t fs_api_text_units(const char *value, int wide) { return wide ? fs_utf8_units(value) : strlen(value); }

fs_err fs_api_copy_out(const char *value, void *out, DWORD *cch, int wide)
{
    size_t units = fs_api_text_units(value, wide);
    if (!out || *cch < units + 1) {
        *cch = (DWORD)(units + 1);
        return FS_E_INSUFFICIENT_BUFFER;
    }
    if (wide) {
        fs_utf8_to_utf16(value, strlen(value), out, units, &units, 0);
        ((uint16_t *)out)[units] = 0;
    } else {
        memcpy(out, value, units + 1);
    }
    *cch = (DWORD)units;
    return FS_OK;
}

fs_err fs_api_narrow_counted(const WCHAR *s, size_t units, char **out)
{
    *out = NULL;
    for (size_t i = 0; i < units; i++)
        if (s[i] == 0) /* "alice\0evil" would name alice: refused (doc/semantics.md §31) */
            return FS_E_INVALID_PARAMETER;
    size_t n = 0;
    (void)fs_utf16_to_utf8((const uint16_t *)s, units, NULL, 0, &n, 0);
    char *copy = fs_malloc(n + 1);
    if (!copy)
        return FS_E_NOMEM;
    (void)fs_utf16_to_utf8((const uint16_t *)s, units, copy, n, &n, 0);
    copy[n] = '\0';
    *out = copy;
    return FS_OK;
}

WCHAR *fs_api_widen_into(const char *value, WCHAR *out, USHORT *bytes)
{
    size_t units = 0;
    (void)fs_utf8_to_utf16(value, strlen(value), (uint16_t *)out, (size_t)-1 / 4, &units, 0);
    out[units] = 0;
    *bytes = (USHORT)(units * sizeof(WCHAR));
    return out + units + 1;
}

fs_err fs_api_submitted_string(const void *base, ULONG size, const UNICODE_STRING *s, char **out)
{
    *out = NULL;
    if (s->Length == 0) {
        *out = fs_strdup("");
        return *out ? FS_OK : FS_E_NOMEM;
    }
    uintptr_t start = (uintptr_t)base, text = (uintptr_t)s->Buffer;
    if (!s->Buffer || s->Length % 2 || text < start || text - start > size || s->Length > size - (text - start) ||
        (text - start) % 2)
        return FS_E_INVALID_PARAMETER;
    return fs_api_narrow_counted(s->Buffer, s->Length / 2, out);
}
