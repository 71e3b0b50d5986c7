/* ConvertSidToStringSid / ConvertStringSidToSid, results in LocalAlloc memory. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/memtrack.h"
#include "core/utf.h"
#include "sddl.h"
#include "security/accounts.h"

static fs_err sid_to_string(PSID Sid, void **StringSid, int wide, const char *api)
{
    if (!StringSid)
        return FS_E_INVALID_PARAMETER;
    if (!fs_sid_is_valid(Sid))
        return FS_E_INVALID_SID;
    struct fs_sid sid;
    char text[FS_SID_STRING_MAX];
    fs_sid_copy_in(&sid, Sid);
    fs_sid_format(&sid, text, sizeof text);
    size_t len = strlen(text); /* ASCII: one unit per byte */
    size_t unit = wide ? sizeof(WCHAR) : 1;
    unsigned char *out = fs_mem_alloc(FS_MEM_LOCAL, (len + 1) * unit, 0, api);
    if (!out)
        return FS_E_NOMEM;
    if (wide)
        for (size_t i = 0; i <= len; i++)
            ((WCHAR *)out)[i] = (WCHAR)(unsigned char)text[i];
    else
        memcpy(out, text, len + 1);
    *StringSid = out;
    return FS_OK;
}

static fs_err string_to_sid(const char *text, PSID *Sid, const char *api)
{
    if (!text || !Sid)
        return FS_E_INVALID_PARAMETER;
    struct fs_sid sid;
    fs_err err = fs_sid_from_sddl(text, &sid);
    if (err != FS_OK)
        return err;
    size_t len = fs_sid_length(&sid);
    void *out = fs_mem_alloc(FS_MEM_LOCAL, len, 0, api);
    if (!out)
        return FS_E_NOMEM;
    memcpy(out, &sid, len);
    *Sid = out;
    return FS_OK;
}

/* A and W differ only in the string's width. */
static BOOL traced_sid_to_string(const char *api, PSID Sid, void **StringSid, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_sid(&call.trace, "Sid", Sid);
    if (fs_call_proceed(&call))
        call.err = sid_to_string(Sid, StringSid, wide, api);
    if (fs_call_outputs(&call))
        fs_trace_text(&call.trace, "StringSid", *StringSid, wide);
    return fs_call_end_bool(&call);
}

static BOOL traced_string_to_sid(const char *api, const void *StringSid, PSID *Sid, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_text(&call.trace, "StringSid", StringSid, wide);
    if (fs_call_proceed(&call)) {
        int failed = 0;
        char *narrow = wide ? fs_api_narrow(StringSid, &failed) : NULL;
        call.err = failed ? FS_E_NOMEM : string_to_sid(wide ? narrow : StringSid, Sid, api);
        free(narrow);
    }
    if (fs_call_outputs(&call))
        fs_trace_sid(&call.trace, "Sid", *Sid);
    return fs_call_end_bool(&call);
}

BOOL WINAPI ConvertSidToStringSidA(PSID Sid, LPSTR *StringSid)
{
    return traced_sid_to_string("ConvertSidToStringSidA", Sid, (void **)StringSid, 0);
}

BOOL WINAPI ConvertSidToStringSidW(PSID Sid, LPWSTR *StringSid)
{
    return traced_sid_to_string("ConvertSidToStringSidW", Sid, (void **)StringSid, 1);
}

BOOL WINAPI ConvertStringSidToSidA(LPCSTR StringSid, PSID *Sid)
{
    return traced_string_to_sid("ConvertStringSidToSidA", StringSid, Sid, 0);
}

BOOL WINAPI ConvertStringSidToSidW(LPCWSTR StringSid, PSID *Sid)
{
    return traced_string_to_sid("ConvertStringSidToSidW", StringSid, Sid, 1);
}
