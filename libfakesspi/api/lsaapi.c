/* The LSA's authentication functions of ntsecapi.h: logon processes (LsaConnectUntrusted, LsaRegisterLogonProcess),
 * packages and LsaLogonUser over the fake domain (doc/semantics.md §44), and LsaNtStatusToWinError, Windows' own
 * mapping for the statuses authentication code meets, as a table (doc/semantics.md §38). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "core/alloc.h"
#include "core/clock.h"
#include "core/handles.h"
#include "core/memtrack.h"
#include "security/identity.h"
#include "security/logon.h"
#include "security/lsa.h"
#include "security/privileges.h"
#include "security/wellknown.h"

static const struct {
    NTSTATUS status;
    ULONG error;
} status_to_error[] = {
    {STATUS_SUCCESS, ERROR_SUCCESS},
    {STATUS_PENDING, ERROR_IO_PENDING},
    {STATUS_MORE_ENTRIES, ERROR_MORE_DATA},
    {STATUS_SOME_NOT_MAPPED, ERROR_SOME_NOT_MAPPED},
    {STATUS_BUFFER_OVERFLOW, ERROR_MORE_DATA},
    {STATUS_NO_MORE_ENTRIES, ERROR_NO_MORE_ITEMS},
    {STATUS_NOT_IMPLEMENTED, ERROR_INVALID_FUNCTION},
    {STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE},
    {STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER},
    {STATUS_NO_MEMORY, ERROR_NOT_ENOUGH_MEMORY},
    {STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED},
    {STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER},
    {STATUS_OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND},
    {STATUS_NO_LOGON_SERVERS, ERROR_NO_LOGON_SERVERS},
    {STATUS_NO_SUCH_LOGON_SESSION, ERROR_NO_SUCH_LOGON_SESSION},
    {STATUS_PRIVILEGE_NOT_HELD, ERROR_PRIVILEGE_NOT_HELD},
    {STATUS_NO_SUCH_USER, ERROR_NO_SUCH_USER},
    {STATUS_WRONG_PASSWORD, ERROR_INVALID_PASSWORD},
    {STATUS_LOGON_FAILURE, ERROR_LOGON_FAILURE},
    {STATUS_ACCOUNT_RESTRICTION, ERROR_ACCOUNT_RESTRICTION},
    {STATUS_PASSWORD_EXPIRED, ERROR_PASSWORD_EXPIRED},
    {STATUS_ACCOUNT_DISABLED, ERROR_ACCOUNT_DISABLED},
    {STATUS_NONE_MAPPED, ERROR_NONE_MAPPED},
    {STATUS_INVALID_SID, ERROR_INVALID_SID},
    {STATUS_NO_TOKEN, ERROR_NO_TOKEN},
    {STATUS_INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES},
    {STATUS_NOT_SUPPORTED, ERROR_NOT_SUPPORTED},
    {STATUS_NO_SUCH_DOMAIN, ERROR_NO_SUCH_DOMAIN},
    {STATUS_INTERNAL_ERROR, ERROR_INTERNAL_ERROR},
    {STATUS_NOT_LOGON_PROCESS, ERROR_NOT_LOGON_PROCESS},
    {STATUS_NO_SUCH_PACKAGE, ERROR_NO_SUCH_PACKAGE},
    {STATUS_INVALID_LOGON_TYPE, ERROR_INVALID_LOGON_TYPE},
    {STATUS_TIME_DIFFERENCE_AT_DC, ERROR_TIME_SKEW},
    {STATUS_LOGON_TYPE_NOT_GRANTED, ERROR_LOGON_TYPE_NOT_GRANTED},
    {STATUS_ACCOUNT_EXPIRED, ERROR_ACCOUNT_EXPIRED},
    {STATUS_ACCESS_VIOLATION, ERROR_NOACCESS},
    {STATUS_PORT_CONNECTION_REFUSED, ERROR_ACCESS_DENIED},
    {STATUS_NAME_TOO_LONG, ERROR_FILENAME_EXCED_RANGE},
    {STATUS_BAD_VALIDATION_CLASS, ERROR_BAD_VALIDATION_CLASS},
    {STATUS_TOO_MANY_NAMES, ERROR_TOO_MANY_NAMES},
    {STATUS_NO_TRUST_SAM_ACCOUNT, ERROR_NO_TRUST_SAM_ACCOUNT},
    {RPC_NT_SERVER_UNAVAILABLE, RPC_S_SERVER_UNAVAILABLE},
    /* the domain policy's refusals (doc/semantics.md §52, §57) */
    {STATUS_ACCOUNT_LOCKED_OUT, ERROR_ACCOUNT_LOCKED_OUT},
    {STATUS_PASSWORD_MUST_CHANGE, ERROR_PASSWORD_MUST_CHANGE},
    {STATUS_NTLM_BLOCKED, ERROR_NTLM_BLOCKED},
    {STATUS_INVALID_LOGON_HOURS, ERROR_INVALID_LOGON_HOURS},
    {STATUS_INVALID_WORKSTATION, ERROR_INVALID_WORKSTATION},
};

ULONG NTAPI LsaNtStatusToWinError(NTSTATUS Status)
{
    for (size_t i = 0; i < sizeof status_to_error / sizeof status_to_error[0]; i++)
        if (status_to_error[i].status == Status)
            return status_to_error[i].error;
    return ERROR_MR_MID_NOT_FOUND;
}

/* An LSA_STRING for the trace: its counted bytes, not a NUL it need not have. */
static void trace_lsa_string(struct fs_trace *trace, const char *key, const LSA_STRING *s)
{
    if (!s || !s->Buffer) {
        fs_trace_string(trace, key, NULL);
        return;
    }
    char text[256];
    size_t n = s->Length < sizeof text ? s->Length : sizeof text - 1;
    memcpy(text, s->Buffer, n);
    text[n] = '\0';
    fs_trace_string(trace, key, text);
}

static fs_err open_connection(int trusted, const LSA_STRING *name, PHANDLE out, const char *api)
{
    struct fs_lsa_connection *c;
    fs_err err = fs_lsa_connection_new(trusted, name ? name->Buffer : NULL, name ? name->Length : 0, &c);
    if (err != FS_OK)
        return err;
    uintptr_t value;
    err = fs_handle_open(&c->base, 0, 0, api, &value);
    fs_object_unref(&c->base);
    if (err == FS_OK)
        *out = (HANDLE)value;
    return err;
}

NTSTATUS NTAPI LsaConnectUntrusted(PHANDLE LsaHandle)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaConnectUntrusted");
    if (fs_call_proceed(&call))
        call.err = LsaHandle ? open_connection(0, NULL, LsaHandle, call.api) : FS_E_INVALID_PARAMETER;
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "LsaHandle", (uintptr_t)*LsaHandle);
    return fs_call_end_nt_status(&call);
}

/* The name is checked before the privilege, as the client side checks it before it connects; SeTcbPrivilege must
 * be held and enabled in the caller's effective token (doc/semantics.md §44). */
static fs_err register_logon_process(const LSA_STRING *name, PHANDLE handle, PLSA_OPERATIONAL_MODE mode,
                                     const char *api)
{
    if (!name || !handle || !mode || (name->Length && !name->Buffer))
        return FS_E_INVALID_PARAMETER;
    if (name->Length > 127)
        return FS_E_NAME_TOO_LONG;
    struct fs_token *self = fs_effective_token();
    int tcb = self && fs_token_has_enabled_privilege(self, fs_privilege_luid("SeTcbPrivilege"));
    fs_token_unref(self);
    if (!tcb)
        return FS_E_PORT_CONNECTION_REFUSED;
    fs_err err = open_connection(1, name, handle, api);
    if (err == FS_OK)
        *mode = 0; /* "not meaningful" (MSDN) */
    return err;
}

NTSTATUS NTAPI LsaRegisterLogonProcess(PLSA_STRING LogonProcessName, PHANDLE LsaHandle,
                                       PLSA_OPERATIONAL_MODE SecurityMode)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaRegisterLogonProcess");
    trace_lsa_string(&call.trace, "LogonProcessName", LogonProcessName);
    if (fs_call_proceed(&call))
        call.err = register_logon_process(LogonProcessName, LsaHandle, SecurityMode, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "LsaHandle", (uintptr_t)*LsaHandle);
    return fs_call_end_nt_status(&call);
}

/* The connection behind h, through core's one lookup: a NEW reference. */
static fs_err connection(HANDLE h, const char *api, struct fs_lsa_connection **out)
{
    struct fs_object *obj;
    fs_err err = fs_handle_get(fs_handle_key((uintptr_t)h), &fs_lsa_connection_ops, 0, api, &obj, NULL);
    if (err == FS_OK)
        *out = (struct fs_lsa_connection *)obj;
    return err;
}

static fs_err lookup_package(HANDLE h, const LSA_STRING *name, PULONG id, const char *api)
{
    struct fs_lsa_connection *c;
    fs_err err = connection(h, api, &c);
    if (err != FS_OK)
        return err;
    fs_object_unref(&c->base);
    if (!name || !id || (name->Length && !name->Buffer))
        return FS_E_INVALID_PARAMETER;
    if (name->Length > 127) /* the documented limit, as for LsaRegisterLogonProcess */
        return FS_E_NAME_TOO_LONG;
    unsigned found;
    err = fs_lsa_package_by_name(name->Buffer, name->Length, &found);
    if (err == FS_OK)
        *id = found;
    return err;
}

NTSTATUS NTAPI LsaLookupAuthenticationPackage(HANDLE LsaHandle, PLSA_STRING PackageName, PULONG AuthenticationPackage)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaLookupAuthenticationPackage");
    fs_trace_handle(&call.trace, "LsaHandle", (uintptr_t)LsaHandle);
    trace_lsa_string(&call.trace, "PackageName", PackageName);
    if (fs_call_proceed(&call))
        call.err = lookup_package(LsaHandle, PackageName, AuthenticationPackage, call.api);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "AuthenticationPackage", *AuthenticationPackage);
    return fs_call_end_nt_status(&call);
}

NTSTATUS NTAPI LsaDeregisterLogonProcess(HANDLE LsaHandle)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaDeregisterLogonProcess");
    fs_trace_handle(&call.trace, "LsaHandle", (uintptr_t)LsaHandle);
    if (fs_call_proceed(&call))
        call.err = fs_handle_close(fs_handle_key((uintptr_t)LsaHandle), &fs_lsa_connection_ops, call.api);
    return fs_call_end_nt_status(&call);
}

/* A freed block we did not hand out, or freed twice, is reported (FOREIGN_FREE, DOUBLE_FREE) and answered
 * STATUS_INVALID_HANDLE, as LocalFree answers it; NULL is STATUS_SUCCESS (doc/semantics.md §44). */
static NTSTATUS lsa_free(const char *api, void *buffer, enum fs_mem_kind kind)
{
    struct fs_call call;
    fs_call_begin(&call, api); /* the pointer is not shown: it would differ run to run */
    if (fs_call_proceed(&call) && buffer)
        call.err = fs_mem_free(buffer, kind, call.api);
    return fs_call_end_nt_status(&call);
}

NTSTATUS NTAPI LsaFreeReturnBuffer(PVOID Buffer) { return lsa_free("LsaFreeReturnBuffer", Buffer, FS_MEM_LSA_RETURN); }

/* LsaLogonUser. */

/* Most groups LocalGroups may add (a TOKEN_GROUPS of more is refused as STATUS_INVALID_PARAMETER). */
#define MAX_LOCAL_GROUPS 64

struct submission {
    char *user, *domain, *password; /* password NULL: an S4U logon */
    int s4u_identify;               /* KERB_S4U_LOGON_FLAG_IDENTIFY */
    const char *package_group;      /* the group the package adds: S-1-18-1 for Kerberos, S-1-18-2 for S4U */
};

static void submission_free(struct submission *s)
{
    free(s->user);
    free(s->domain);
    if (s->password)
        explicit_bzero(s->password, strlen(s->password));
    free(s->password);
}

/* The three strings of an interactive submission (MSV1_0_INTERACTIVE_LOGON, KERB_INTERACTIVE_LOGON and the unlock
 * forms, which begin with it) or of KERB_S4U_LOGON. */
static fs_err read_submission(ULONG package, const void *info, ULONG size, struct submission *s)
{
    if (!info || size < sizeof(ULONG))
        return FS_E_INVALID_PARAMETER;
    ULONG type;
    memcpy(&type, info, sizeof type);
    int kerberos = package != FS_LSA_PACKAGE_MSV1_0;
    if (type == MsV1_0InteractiveLogon || type == MsV1_0WorkstationUnlockLogon) { /* = the Kerb... values */
        const MSV1_0_INTERACTIVE_LOGON *m = info;
        if (size < sizeof *m)
            return FS_E_INVALID_PARAMETER;
        fs_err err = fs_api_submitted_string(info, size, &m->UserName, &s->user);
        if (err == FS_OK)
            err = fs_api_submitted_string(info, size, &m->LogonDomainName, &s->domain);
        if (err == FS_OK)
            err = fs_api_submitted_string(info, size, &m->Password, &s->password);
        s->package_group = kerberos ? FS_SID_AUTHORITY_ASSERTED : NULL;
        return err;
    }
    if (type == KerbS4ULogon && kerberos) {
        const KERB_S4U_LOGON *k = info;
        if (size < sizeof *k)
            return FS_E_INVALID_PARAMETER;
        fs_err err = fs_api_submitted_string(info, size, &k->ClientUpn, &s->user);
        if (err == FS_OK)
            err = fs_api_submitted_string(info, size, &k->ClientRealm, &s->domain);
        s->s4u_identify = (k->Flags & KERB_S4U_LOGON_FLAG_IDENTIFY) != 0;
        s->package_group = "S-1-18-2"; /* SERVICE_ASSERTED_IDENTITY */
        return err;
    }
    /* Submissions Windows knows that the emulation does not make (LM 2.0, network, smart card, ticket, certificate
     * logons): STATUS_NOT_SUPPORTED; anything else the package does not recognise. */
    switch (type) {
    case MsV1_0Lm20Logon: case MsV1_0NetworkLogon: case MsV1_0SubAuthLogon: case MsV1_0S4ULogon:
        return FS_E_NOT_SUPPORTED;
    case KerbSmartCardLogon: case KerbSmartCardUnlockLogon: case KerbProxyLogon: case KerbTicketLogon:
    case KerbTicketUnlockLogon: case KerbCertificateLogon: case KerbCertificateS4ULogon: case KerbCertificateUnlockLogon:
        return kerberos ? FS_E_NOT_SUPPORTED : FS_E_BAD_VALIDATION_CLASS;
    default:
        return FS_E_BAD_VALIDATION_CLASS;
    }
}

/* Primary tokens for the logons that start a session, an impersonation token for a network logon, as LogonUser
 * gives (doc/semantics.md §17). */
static int logon_type_ok(SECURITY_LOGON_TYPE type)
{
    return type == Interactive || type == Network || type == Batch || type == Service || type == Unlock ||
           type == NetworkCleartext;
}

struct logon_outputs {
    PVOID *profile;
    PULONG profile_length;
    PLUID logon_id;
    PHANDLE token;
    PQUOTA_LIMITS quotas;
    PNTSTATUS sub_status;
};

/* The profile: MSV1_0_INTERACTIVE_PROFILE, or KERB_INTERACTIVE_PROFILE (the same layout), with its strings after
 * it in the one block LsaFreeReturnBuffer frees. Times are the virtual clock's; nothing expires. */
static fs_err make_profile(const struct fs_logon_profile *p, const char *api, void **out, ULONG *length)
{
    static const LONGLONG never = 0x7FFFFFFFFFFFFFFFLL;
    size_t size = sizeof(MSV1_0_INTERACTIVE_PROFILE) +
                  (fs_api_text_units(p->full_name, 1) + fs_api_text_units(p->logon_server, 1) + 5) * sizeof(WCHAR);
    MSV1_0_INTERACTIVE_PROFILE *profile = fs_mem_alloc(FS_MEM_LSA_RETURN, size, 1, api);
    if (!profile)
        return FS_E_NOMEM;
    profile->MessageType = MsV1_0InteractiveProfile;
    profile->LogonTime.QuadPart = (LONGLONG)fs_clock_now();
    profile->LogoffTime.QuadPart = profile->KickOffTime.QuadPart = never;
    profile->PasswordMustChange.QuadPart = never;
    WCHAR *text = (WCHAR *)(profile + 1);
    *text = 0; /* the empty strings all point here */
    UNICODE_STRING *empty[] = {&profile->LogonScript, &profile->HomeDirectory, &profile->ProfilePath,
                               &profile->HomeDirectoryDrive};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++)
        *empty[i] = (UNICODE_STRING){0, sizeof(WCHAR), text};
    text++;
    profile->FullName.Buffer = text;
    text = fs_api_widen_into(p->full_name, text, &profile->FullName.Length);
    profile->FullName.MaximumLength = (USHORT)(profile->FullName.Length + sizeof(WCHAR));
    profile->LogonServer.Buffer = text;
    (void)fs_api_widen_into(p->logon_server, text, &profile->LogonServer.Length);
    profile->LogonServer.MaximumLength = (USHORT)(profile->LogonServer.Length + sizeof(WCHAR));
    *out = profile;
    *length = (ULONG)size;
    return FS_OK;
}

static fs_err local_groups(const TOKEN_GROUPS *groups, struct fs_sid *sids, size_t *n)
{
    if (groups->GroupCount > MAX_LOCAL_GROUPS - 1)
        return FS_E_INVALID_PARAMETER;
    const SID_AND_ATTRIBUTES *group = groups->Groups; /* GroupCount of them: past ANYSIZE_ARRAY's 1 */
    for (DWORD i = 0; i < groups->GroupCount; i++) {
        if (!fs_sid_is_valid(group[i].Sid))
            return FS_E_INVALID_SID;
        fs_sid_copy_in(&sids[(*n)++], group[i].Sid);
    }
    return FS_OK;
}

static fs_err logon_user(HANDLE h, const LSA_STRING *origin, SECURITY_LOGON_TYPE type, ULONG package, PVOID info,
                         ULONG size, const TOKEN_GROUPS *groups, const TOKEN_SOURCE *source,
                         const struct logon_outputs *o, const char *api)
{
    struct fs_lsa_connection *c;
    fs_err err = connection(h, api, &c);
    if (err != FS_OK)
        return err;
    int trusted = c->trusted;
    fs_object_unref(&c->base);
    if (!origin || !source || !o->profile || !o->profile_length || !o->logon_id || !o->token || !o->quotas ||
        !o->sub_status)
        return FS_E_INVALID_PARAMETER;
    *o->sub_status = STATUS_SUCCESS;
    if (package >= FS_LSA_PACKAGE_COUNT)
        return FS_E_NO_SUCH_PACKAGE;
    /* LocalGroups needs SeTcbPrivilege: a trusted connection (MSDN, LsaLogonUser). */
    if (groups && !trusted)
        return FS_E_PRIVILEGE_NOT_HELD;
    struct submission s = {0};
    err = read_submission(package, info, size, &s);
    if (err == FS_OK && !logon_type_ok(type))
        err = FS_E_INVALID_LOGON_TYPE;
    struct fs_sid sids[MAX_LOCAL_GROUPS];
    size_t nsids = 0;
    if (err == FS_OK && groups)
        err = local_groups(groups, sids, &nsids);
    if (err == FS_OK && s.package_group)
        fs_sid_parse_known(s.package_group, &sids[nsids++]);
    /* An S4U impersonation token needs SeTcbPrivilege; an untrusted caller gets an identification token
     * (MSDN, LsaLogonUser: KERB_S4U_LOGON). */
    int level = s.password || (trusted && !s.s4u_identify) ? SecurityImpersonation : SecurityIdentification;
    int impersonation = type == Network || (!s.password && level == SecurityIdentification);
    struct fs_lsa_logon_request req = {
        .logon_type = (uint32_t)type,
        .token_type = impersonation ? TokenImpersonation : TokenPrimary,
        .level = level,
        .source_id = ((uint64_t)(uint32_t)source->SourceIdentifier.HighPart << 32) | source->SourceIdentifier.LowPart,
        .groups = nsids ? sids : NULL,
        .ngroups = nsids,
        .package = package == FS_LSA_PACKAGE_MSV1_0 ? "NTLM" : "Kerberos",
    };
    memcpy(req.source_name, source->SourceName, sizeof req.source_name);
    struct fs_token *t = NULL;
    struct fs_logon_profile profile = {0};
    fs_err sub = FS_OK;
    if (err == FS_OK)
        err = fs_logon_lsa(s.user, s.domain, s.password, &req, &t, &profile, &sub);
    submission_free(&s);
    *o->sub_status = sub == FS_OK ? STATUS_SUCCESS : fs_nt_status(sub);
    void *buffer = NULL;
    ULONG length = 0;
    if (err == FS_OK)
        err = make_profile(&profile, api, &buffer, &length);
    free(profile.full_name);
    free(profile.logon_server);
    HANDLE handle = NULL;
    if (err == FS_OK)
        err = fs_api_open_token(t, TOKEN_ALL_ACCESS, api, &handle);
    if (err != FS_OK) {
        fs_mem_discard(buffer, FS_MEM_LSA_RETURN, api);
        fs_token_unref(t);
        return err;
    }
    *o->profile = buffer;
    *o->profile_length = length;
    o->logon_id->LowPart = (DWORD)t->auth_id;
    o->logon_id->HighPart = (LONG)(t->auth_id >> 32);
    *o->token = handle;
    memset(o->quotas, 0, sizeof *o->quotas); /* the emulation sets no quotas (doc/semantics.md §44) */
    fs_token_unref(t);
    return FS_OK;
}

NTSTATUS NTAPI LsaLogonUser(HANDLE LsaHandle, PLSA_STRING OriginName, SECURITY_LOGON_TYPE LogonType,
                            ULONG AuthenticationPackage, PVOID AuthenticationInformation,
                            ULONG AuthenticationInformationLength, PTOKEN_GROUPS LocalGroups,
                            PTOKEN_SOURCE SourceContext, PVOID *ProfileBuffer, PULONG ProfileBufferLength,
                            PLUID LogonId, PHANDLE Token, PQUOTA_LIMITS Quotas, PNTSTATUS SubStatus)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaLogonUser"); /* the submission holds a password: never traced */
    fs_trace_handle(&call.trace, "LsaHandle", (uintptr_t)LsaHandle);
    trace_lsa_string(&call.trace, "OriginName", OriginName);
    fs_trace_number(&call.trace, "LogonType", (uint64_t)LogonType);
    fs_trace_number(&call.trace, "AuthenticationPackage", AuthenticationPackage);
    struct logon_outputs o = {ProfileBuffer, ProfileBufferLength, LogonId, Token, Quotas, SubStatus};
    if (fs_call_proceed(&call))
        call.err = logon_user(LsaHandle, OriginName, LogonType, AuthenticationPackage, AuthenticationInformation,
                              AuthenticationInformationLength, LocalGroups, SourceContext, &o, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "Token", (uintptr_t)*Token);
    return fs_call_end_nt_status(&call);
}
