/* Trace renderings of Windows argument types that the core writer does not know: SIDs and wide
 * strings. Both are shown as text, never as pointers, so that a trace repeats byte for byte. */
#include <stdio.h>
#include <stdlib.h>

#include "api.h"
#include "core/utf.h"
#include "security/sid.h"

void fs_trace_sid(struct fs_trace *t, const char *key, const void *sid)
{
    if (!t->on)
        return;
    if (!sid) {
        fs_trace_string(t, key, NULL);
        return;
    }
    if (!fs_sid_is_valid(sid)) {
        fs_trace_string(t, key, "(not a valid SID)");
        return;
    }
    struct fs_sid copy;
    char text[FS_SID_STRING_MAX];
    fs_sid_copy_in(&copy, sid);
    fs_sid_format(&copy, text, sizeof text);
    fs_trace_string(t, key, text);
}

void fs_trace_wstring(struct fs_trace *t, const char *key, const WCHAR *value)
{
    if (!t->on)
        return;
    char *narrow = value ? fs_utf16_to_utf8_dup((const uint16_t *)value) : NULL;
    fs_trace_string(t, key, value && !narrow ? "(out of memory)" : narrow);
    free(narrow);
}

void fs_trace_text(struct fs_trace *t, const char *key, const void *value, int wide)
{
    if (wide)
        fs_trace_wstring(t, key, value);
    else
        fs_trace_string(t, key, value);
}
