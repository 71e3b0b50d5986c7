/* ConvertSidToStringSid / ConvertStringSidToSid, results in LocalAlloc memory. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/memtrack.h"
#include "core/utf.h"
#include "sddl.h"
#include "security/accounts.h"
#include "security/sddl.h"
#include "core/bytes.h"

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

/* ---- security descriptors as SDDL (doc/semantics.md §22) ---- */

static fs_err string_to_sd(const char *text, DWORD revision, PSECURITY_DESCRIPTOR *sd, PULONG size, const char *api)
{
    if (!text || !sd)
        return FS_E_INVALID_PARAMETER;
    if (revision != SDDL_REVISION_1)
        return FS_E_UNKNOWN_REVISION;
    struct fs_writer w;
    fs_writer_init(&w);
    fs_err err = fs_sddl_parse(text, &w);
    void *out = NULL;
    if (err == FS_OK && !(out = fs_mem_alloc(FS_MEM_LOCAL, w.len, 0, api)))
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        memcpy(out, w.data, w.len);
        *sd = out;
        if (size)
            *size = (ULONG)w.len;
    }
    fs_writer_free(&w);
    return err;
}

static fs_err sd_to_string(PSECURITY_DESCRIPTOR sd, DWORD revision, SECURITY_INFORMATION info, void **text,
                           PULONG len, int wide, const char *api)
{
    if (!sd || !text)
        return FS_E_INVALID_PARAMETER;
    if (revision != SDDL_REVISION_1)
        return FS_E_UNKNOWN_REVISION;
    struct fs_writer w;
    fs_writer_init(&w);
    fs_err err = fs_sddl_format(sd, info, &w);
    size_t unit = wide ? sizeof(WCHAR) : 1;
    unsigned char *out = NULL;
    if (err == FS_OK && !(out = fs_mem_alloc(FS_MEM_LOCAL, w.len * unit, 0, api)))
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        for (size_t i = 0; i < w.len; i++) /* SDDL is ASCII */
            if (wide)
                ((WCHAR *)out)[i] = w.data[i];
            else
                out[i] = w.data[i];
        *text = out;
        if (len)
            *len = (ULONG)w.len; /* characters, the terminating NUL included */
    }
    fs_writer_free(&w);
    return err;
}

static BOOL traced_string_to_sd(const char *api, const void *text, DWORD revision, PSECURITY_DESCRIPTOR *sd,
                                PULONG size, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_text(&call.trace, "StringSecurityDescriptor", text, wide);
    fs_trace_number(&call.trace, "StringSDRevision", revision);
    if (fs_call_proceed(&call)) {
        int failed = 0;
        char *narrow = wide ? fs_api_narrow(text, &failed) : NULL;
        call.err = failed ? FS_E_NOMEM : string_to_sd(wide ? narrow : text, revision, sd, size, api);
        free(narrow);
    }
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "SecurityDescriptorSize", GetSecurityDescriptorLength(*sd));
    return fs_call_end_bool(&call);
}

static BOOL traced_sd_to_string(const char *api, PSECURITY_DESCRIPTOR sd, DWORD revision, SECURITY_INFORMATION info,
                                void **text, PULONG len, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_number(&call.trace, "RequestedStringSDRevision", revision);
    fs_trace_number(&call.trace, "SecurityInformation", info);
    if (fs_call_proceed(&call))
        call.err = sd_to_string(sd, revision, info, text, len, wide, api);
    if (fs_call_outputs(&call))
        fs_trace_text(&call.trace, "StringSecurityDescriptor", *text, wide);
    return fs_call_end_bool(&call);
}

BOOL WINAPI ConvertStringSecurityDescriptorToSecurityDescriptorA(LPCSTR StringSecurityDescriptor,
                                                                 DWORD StringSDRevision,
                                                                 PSECURITY_DESCRIPTOR *SecurityDescriptor,
                                                                 PULONG SecurityDescriptorSize)
{
    return traced_string_to_sd("ConvertStringSecurityDescriptorToSecurityDescriptorA", StringSecurityDescriptor,
                               StringSDRevision, SecurityDescriptor, SecurityDescriptorSize, 0);
}

BOOL WINAPI ConvertStringSecurityDescriptorToSecurityDescriptorW(LPCWSTR StringSecurityDescriptor,
                                                                 DWORD StringSDRevision,
                                                                 PSECURITY_DESCRIPTOR *SecurityDescriptor,
                                                                 PULONG SecurityDescriptorSize)
{
    return traced_string_to_sd("ConvertStringSecurityDescriptorToSecurityDescriptorW", StringSecurityDescriptor,
                               StringSDRevision, SecurityDescriptor, SecurityDescriptorSize, 1);
}

BOOL WINAPI ConvertSecurityDescriptorToStringSecurityDescriptorA(PSECURITY_DESCRIPTOR SecurityDescriptor,
                                                                 DWORD RequestedStringSDRevision,
                                                                 SECURITY_INFORMATION SecurityInformation,
                                                                 LPSTR *StringSecurityDescriptor,
                                                                 PULONG StringSecurityDescriptorLen)
{
    return traced_sd_to_string("ConvertSecurityDescriptorToStringSecurityDescriptorA", SecurityDescriptor,
                               RequestedStringSDRevision, SecurityInformation, (void **)StringSecurityDescriptor,
                               StringSecurityDescriptorLen, 0);
}

BOOL WINAPI ConvertSecurityDescriptorToStringSecurityDescriptorW(PSECURITY_DESCRIPTOR SecurityDescriptor,
                                                                 DWORD RequestedStringSDRevision,
                                                                 SECURITY_INFORMATION SecurityInformation,
                                                                 LPWSTR *StringSecurityDescriptor,
                                                                 PULONG StringSecurityDescriptorLen)
{
    return traced_sd_to_string("ConvertSecurityDescriptorToStringSecurityDescriptorW", SecurityDescriptor,
                               RequestedStringSDRevision, SecurityInformation, (void **)StringSecurityDescriptor,
                               StringSecurityDescriptorLen, 1);
}
