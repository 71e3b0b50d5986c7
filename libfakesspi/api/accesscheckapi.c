/* MapGenericMask and AccessCheck over security/access_check.c (doc/semantics.md §23). */
#include "api.h"
#include "core/lasterror.h"
#include "security/access_check.h"
#include "security/security_descriptor.h"
#include "security/sid.h"

static struct fs_generic_mapping mapping_in(const GENERIC_MAPPING *g)
{
    return (struct fs_generic_mapping){g->GenericRead, g->GenericWrite, g->GenericExecute, g->GenericAll};
}

VOID WINAPI MapGenericMask(PDWORD AccessMask, PGENERIC_MAPPING GenericMapping)
{
    FS_GATE_SCOPE();
    if (!AccessMask || !GenericMapping)
        return;
    struct fs_generic_mapping m = mapping_in(GenericMapping);
    *AccessMask = fs_map_generic(*AccessMask, &m);
}

#define GENERIC_BITS (GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL)

/* What the trace says of a check, decision by decision (doc/semantics.md §23): "ACE 2 allow S-1-5-32-545
 * +READ_CONTROL|SYNCHRONIZE|0x89, ACE 3 deny S-1-5-21-...-1104 -0x116", each step naming only the bits it decided. */
void fs_api_access_steps_text(const struct fs_access_result *r, char *out, size_t cap)
{
    static const char *const sources[] = {"privilege", "label", "owner", "no DACL", "ACE"};
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < r->nsteps && used < cap; i++) {
        const struct fs_access_step *s = &r->steps[i];
        char bits[256], where[FS_SID_STRING_MAX + 32] = "";
        fs_flags_format(FS_NAMES_ACCESS, s->bits, bits, sizeof bits);
        if (s->source == FS_ACCESS_ACE) {
            struct fs_sid sid;
            char text[FS_SID_STRING_MAX];
            fs_sid_copy_in(&sid, s->sid);
            fs_sid_format(&sid, text, sizeof text);
            snprintf(where, sizeof where, " %u %s %s", s->ace + 1, s->allow ? "allow" : "deny", text);
        }
        used += (size_t)snprintf(out + used, cap - used, "%s%s%s%s %c%s", i ? ", " : "",
                                 s->restricting ? "restricting " : "", sources[s->source], where,
                                 s->allow ? '+' : '-', bits);
    }
    if (r->steps_left_out && used < cap)
        snprintf(out + used, cap - used, ", %d more", r->steps_left_out);
}

static fs_err AccessCheck_body(PSECURITY_DESCRIPTOR sd, HANDLE token, DWORD desired, PGENERIC_MAPPING mapping,
                               PPRIVILEGE_SET privileges, LPDWORD privileges_len, LPDWORD granted, LPBOOL status,
                               fs_err *denial, struct fs_access_result *r_out, const char *api)
{
    if (!mapping || !privileges_len || !granted || !status)
        return FS_E_NOACCESS;
    struct fs_token *t;
    fs_err err = fs_api_token(token, TOKEN_QUERY, api, &t, NULL);
    if (err != FS_OK)
        return err;
    struct fs_sd v;
    if (t->type != TokenImpersonation)
        err = FS_E_NO_IMPERSONATION_TOKEN;
    else if (desired & GENERIC_BITS)
        err = FS_E_GENERIC_NOT_MAPPED;
    else if (!fs_sd_is_valid(sd) || fs_sd_read(sd, &v) != FS_OK || !v.owner || !v.group)
        err = FS_E_INVALID_SECURITY_DESCR;
    struct fs_access_result r;
    if (err == FS_OK) {
        struct fs_generic_mapping m = mapping_in(mapping);
        fs_access_check(sd, t, desired, &m, &r);
        DWORD need = (DWORD)(sizeof(PRIVILEGE_SET) +
                             (r.nprivileges > 1 ? (r.nprivileges - 1) * sizeof(LUID_AND_ATTRIBUTES) : 0));
        if (*privileges_len < need || !privileges) {
            *privileges_len = need;
            err = FS_E_INSUFFICIENT_BUFFER;
        } else {
            privileges->PrivilegeCount = (DWORD)r.nprivileges;
            privileges->Control = 0;
            for (int i = 0; i < r.nprivileges; i++) {
                privileges->Privilege[i].Luid.LowPart = r.privileges[i];
                privileges->Privilege[i].Luid.HighPart = 0;
                privileges->Privilege[i].Attributes = SE_PRIVILEGE_USED_FOR_ACCESS;
            }
            *granted = r.granted;
            *status = r.allowed ? TRUE : FALSE;
            *denial = r.allowed ? FS_OK : r.privilege_missing ? FS_E_PRIVILEGE_NOT_HELD : FS_E_ACCESS_DENIED;
            *r_out = r;
        }
    }
    fs_token_unref(t);
    return err;
}

/* Denied is a successful call: TRUE, *AccessStatus FALSE, *GrantedAccess 0 and ERROR_ACCESS_DENIED as the
 * last error (doc/semantics.md §23). */
BOOL WINAPI AccessCheck(PSECURITY_DESCRIPTOR pSecurityDescriptor, HANDLE ClientToken, DWORD DesiredAccess,
                        PGENERIC_MAPPING GenericMapping, PPRIVILEGE_SET PrivilegeSet, LPDWORD PrivilegeSetLength,
                        LPDWORD GrantedAccess, LPBOOL AccessStatus)
{
    struct fs_call call;
    fs_err denied = FS_OK;
    struct fs_access_result decided = {0};
    fs_call_begin(&call, "AccessCheck");
    fs_trace_handle(&call.trace, "ClientToken", (uintptr_t)ClientToken);
    fs_trace_number(&call.trace, "DesiredAccess", DesiredAccess);
    if (fs_call_proceed(&call))
        call.err = AccessCheck_body(pSecurityDescriptor, ClientToken, DesiredAccess, GenericMapping, PrivilegeSet,
                                    PrivilegeSetLength, GrantedAccess, AccessStatus, &denied, &decided, call.api);
    if (fs_call_outputs(&call)) {
        fs_trace_number(&call.trace, "GrantedAccess", *GrantedAccess);
        fs_trace_number(&call.trace, "AccessStatus", (uint64_t)*AccessStatus);
        char steps[1024];
        fs_api_access_steps_text(&decided, steps, sizeof steps);
        fs_trace_string(&call.trace, "decided", decided.nsteps ? steps : "nothing");
    }
    BOOL ok = fs_call_end_bool(&call);
    if (ok && denied != FS_OK)
        fs_last_error_set(fs_win32_error(denied)); /* a successful check that denies: the reason as last error */
    return ok;
}
