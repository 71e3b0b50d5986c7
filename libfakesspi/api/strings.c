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

size_t fs_api_text_units(const char *value, int wide)
{
    size_t len = strlen(value);
    if (wide)
        fs_utf8_to_utf16(value, len, NULL, 0, &len, 0);
    return len;
}

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
