/* A and W strings at the API's edge: wide arguments made UTF-8, results copied into caller buffers
 * with Windows' two-call size protocol. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
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
