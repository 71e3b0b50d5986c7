/* The LSA's logon sessions (ntsecapi.h): LsaEnumerateLogonSessions and LsaGetLogonSessionData over the sessions
 * security/logon_session.c keeps, each answer one block freed with LsaFreeReturnBuffer (doc/semantics.md §48). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "core/clock.h"
#include "core/memtrack.h"
#include "security/identity.h"
#include "security/logon_session.h"
#include "security/wellknown.h"

static LUID to_luid(uint64_t v) { return (LUID){(DWORD)v, (LONG)(v >> 32)}; }

static uint64_t from_luid(const LUID *l) { return (uint64_t)(uint32_t)l->HighPart << 32 | l->LowPart; }

static fs_err enumerate(PULONG count, PLUID *list, const char *api)
{
    if (!count || !list)
        return FS_E_INVALID_PARAMETER;
    uint64_t *luids;
    size_t n;
    fs_err err = fs_logon_session_list(&luids, &n);
    if (err != FS_OK)
        return err;
    LUID *block = fs_mem_alloc(FS_MEM_LSA_RETURN, n * sizeof *block, 1, api);
    if (block)
        for (size_t i = 0; i < n; i++)
            block[i] = to_luid(luids[i]);
    free(luids);
    if (!block)
        return FS_E_NOMEM;
    *count = (ULONG)n;
    *list = block;
    return FS_OK;
}

NTSTATUS NTAPI LsaEnumerateLogonSessions(PULONG LogonSessionCount, PLUID *LogonSessionList)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaEnumerateLogonSessions");
    if (fs_call_proceed(&call))
        call.err = enumerate(LogonSessionCount, LogonSessionList, call.api);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "LogonSessionCount", *LogonSessionCount);
    return fs_call_end_nt_status(&call);
}

/* The owner of a session (a token of its user) or an administrator may read it (MSDN, LsaGetLogonSessionData). */
static int may_read(const struct fs_logon_session_info *info)
{
    struct fs_sid admins;
    fs_sid_parse_known(FS_SID_BUILTIN_ADMINISTRATORS, &admins);
    struct fs_token *self = fs_effective_token();
    int ok = self && (fs_sid_equal(&self->user, &info->sid) || fs_token_is_member(self, &admins));
    fs_token_unref(self);
    return ok;
}

static size_t wide_bytes(const char *text) { return (fs_api_text_units(text, 1) + 1) * sizeof(WCHAR); }

static void put_string(LSA_UNICODE_STRING *s, const char *text, BYTE **cursor)
{
    s->Buffer = (PWSTR)*cursor;
    *cursor = (BYTE *)fs_api_widen_into(text, s->Buffer, &s->Length);
    s->MaximumLength = (USHORT)(s->Length + sizeof(WCHAR));
}

/* One block: the structure, the SID, then the strings, each with its NUL; the profile's strings are empty. */
static fs_err session_data(const struct fs_logon_session_info *info, const char *api, SECURITY_LOGON_SESSION_DATA **out)
{
    const char *strings[] = {info->user, info->domain, info->package, info->logon_server, info->dns_domain, info->upn};
    enum { NSTRINGS = sizeof strings / sizeof strings[0], NEMPTY = 4 };
    size_t sid_len = fs_sid_length(&info->sid);
    size_t size = sizeof(SECURITY_LOGON_SESSION_DATA) + sid_len + NEMPTY * sizeof(WCHAR);
    for (size_t i = 0; i < NSTRINGS; i++)
        size += wide_bytes(strings[i]);
    SECURITY_LOGON_SESSION_DATA *data = fs_mem_alloc(FS_MEM_LSA_RETURN, size, 1, api);
    if (!data)
        return FS_E_NOMEM;
    data->Size = sizeof *data;
    data->LogonId = to_luid(info->luid);
    data->LogonType = info->logon_type;
    data->Session = info->session;
    data->LogonTime.QuadPart = (LONGLONG)info->logon_time;
    BYTE *cursor = (BYTE *)(data + 1);
    memcpy(cursor, &info->sid, sid_len);
    data->Sid = cursor;
    cursor += sid_len;
    LSA_UNICODE_STRING *fields[NSTRINGS] = {&data->UserName,    &data->LogonDomain,   &data->AuthenticationPackage,
                                            &data->LogonServer, &data->DnsDomainName, &data->Upn};
    for (size_t i = 0; i < NSTRINGS; i++)
        put_string(fields[i], strings[i], &cursor);
    LSA_UNICODE_STRING *empty[NEMPTY] = {&data->LogonScript, &data->ProfilePath, &data->HomeDirectory,
                                         &data->HomeDirectoryDrive};
    for (size_t i = 0; i < NEMPTY; i++)
        put_string(empty[i], "", &cursor);
    if (info->user_logon) /* what LsaLogonUser's profile tells: nothing expires (doc/semantics.md §44) */
        data->LogoffTime.QuadPart = data->KickOffTime.QuadPart = data->PasswordMustChange.QuadPart = FS_TIME_NEVER;
    *out = data;
    return FS_OK;
}

static fs_err get_session_data(const LUID *luid, PSECURITY_LOGON_SESSION_DATA *out, const char *api)
{
    if (!luid || !out)
        return FS_E_INVALID_PARAMETER;
    struct fs_logon_session_info info;
    fs_err err = fs_logon_session_query(from_luid(luid), &info);
    if (err != FS_OK)
        return err;
    err = may_read(&info) ? session_data(&info, api, out) : FS_E_ACCESS_DENIED;
    fs_logon_session_info_free(&info);
    return err;
}

NTSTATUS NTAPI LsaGetLogonSessionData(PLUID LogonId, PSECURITY_LOGON_SESSION_DATA *ppLogonSessionData)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaGetLogonSessionData");
    if (LogonId)
        fs_trace_number(&call.trace, "LogonId", from_luid(LogonId));
    if (fs_call_proceed(&call))
        call.err = get_session_data(LogonId, ppLogonSessionData, call.api);
    return fs_call_end_nt_status(&call);
}
