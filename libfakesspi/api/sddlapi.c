/* ConvertSidToStringSid / ConvertStringSidToSid, results in LocalAlloc memory. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/memtrack.h"
#include "core/utf.h"
#include "sddl.h"
#include "security/accounts.h"

static fs_err sid_to_text(PSID Sid, char *text)
{
    if (!fs_sid_is_valid(Sid))
        return FS_E_INVALID_SID;
    struct fs_sid sid;
    fs_sid_copy_in(&sid, Sid);
    fs_sid_format(&sid, text, FS_SID_STRING_MAX);
    return FS_OK;
}

static BOOL ConvertSidToStringSidA_untraced(PSID Sid, LPSTR *StringSid)
{
    fs_api_enter();
    if (!StringSid)
        return fs_fail(FS_E_INVALID_PARAMETER);
    char text[FS_SID_STRING_MAX];
    fs_err err = sid_to_text(Sid, text);
    if (err != FS_OK)
        return fs_fail(err);
    size_t len = strlen(text) + 1;
    char *out = fs_mem_alloc(FS_MEM_LOCAL, len, 0, "ConvertSidToStringSidA");
    if (!out)
        return fs_fail(FS_E_NOMEM);
    memcpy(out, text, len);
    *StringSid = out;
    return TRUE;
}

static BOOL ConvertSidToStringSidW_untraced(PSID Sid, LPWSTR *StringSid)
{
    fs_api_enter();
    if (!StringSid)
        return fs_fail(FS_E_INVALID_PARAMETER);
    char text[FS_SID_STRING_MAX];
    fs_err err = sid_to_text(Sid, text);
    if (err != FS_OK)
        return fs_fail(err);
    size_t len = strlen(text); /* ASCII: one unit per byte */
    WCHAR *out = fs_mem_alloc(FS_MEM_LOCAL, (len + 1) * sizeof(WCHAR), 0, "ConvertSidToStringSidW");
    if (!out)
        return fs_fail(FS_E_NOMEM);
    for (size_t i = 0; i <= len; i++)
        out[i] = (WCHAR)(unsigned char)text[i];
    *StringSid = out;
    return TRUE;
}

static BOOL string_to_sid(const char *text, PSID *Sid, const char *api)
{
    struct fs_sid sid;
    fs_err err = fs_sid_from_sddl(text, &sid);
    if (err != FS_OK)
        return fs_fail(err);
    size_t len = fs_sid_length(&sid);
    void *out = fs_mem_alloc(FS_MEM_LOCAL, len, 0, api);
    if (!out)
        return fs_fail(FS_E_NOMEM);
    memcpy(out, &sid, len);
    *Sid = out;
    return TRUE;
}

static BOOL ConvertStringSidToSidA_untraced(LPCSTR StringSid, PSID *Sid)
{
    fs_api_enter();
    if (!StringSid || !Sid)
        return fs_fail(FS_E_INVALID_PARAMETER);
    return string_to_sid(StringSid, Sid, "ConvertStringSidToSidA");
}

static BOOL ConvertStringSidToSidW_untraced(LPCWSTR StringSid, PSID *Sid)
{
    fs_api_enter();
    if (!StringSid || !Sid)
        return fs_fail(FS_E_INVALID_PARAMETER);
    int failed = 0;
    char *text = fs_api_narrow(StringSid, &failed);
    if (failed)
        return fs_fail(FS_E_NOMEM);
    BOOL ok = string_to_sid(text, Sid, "ConvertStringSidToSidW");
    free(text);
    return ok;
}

/* The traced entry points: A and W differ only in the string's width. */
static BOOL sid_to_string(PSID Sid, void **StringSid, int wide)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, wide ? "ConvertSidToStringSidW" : "ConvertSidToStringSidA");
    fs_trace_sid(&t, "Sid", Sid);
    BOOL ok = wide ? ConvertSidToStringSidW_untraced(Sid, (LPWSTR *)StringSid)
                   : ConvertSidToStringSidA_untraced(Sid, (LPSTR *)StringSid);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_text(&t, "StringSid", *StringSid, wide);
    return fs_trace_bool(&t, ok);
}

static BOOL string_to_sid_traced(const void *StringSid, PSID *Sid, int wide)
{
    struct fs_trace t;
    fs_api_enter();
    fs_trace_begin(&t, wide ? "ConvertStringSidToSidW" : "ConvertStringSidToSidA");
    fs_trace_text(&t, "StringSid", StringSid, wide);
    BOOL ok = wide ? ConvertStringSidToSidW_untraced(StringSid, Sid) : ConvertStringSidToSidA_untraced(StringSid, Sid);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_sid(&t, "Sid", *Sid);
    return fs_trace_bool(&t, ok);
}

BOOL WINAPI ConvertSidToStringSidA(PSID Sid, LPSTR *StringSid) { return sid_to_string(Sid, (void **)StringSid, 0); }
BOOL WINAPI ConvertSidToStringSidW(PSID Sid, LPWSTR *StringSid) { return sid_to_string(Sid, (void **)StringSid, 1); }
BOOL WINAPI ConvertStringSidToSidA(LPCSTR StringSid, PSID *Sid) { return string_to_sid_traced(StringSid, Sid, 0); }
BOOL WINAPI ConvertStringSidToSidW(LPCWSTR StringSid, PSID *Sid) { return string_to_sid_traced(StringSid, Sid, 1); }
