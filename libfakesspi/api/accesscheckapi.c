/* MapGenericMask, AccessCheck, AccessCheckByType and AccessCheckByTypeResultList over security/access_check.c
 * (doc/semantics.md §23, §59). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/alloc.h"
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

fs_err fs_api_object_types_in(const OBJECT_TYPE_LIST *list, DWORD n, struct fs_object_type **out)
{
    *out = NULL;
    if (n == 0)
        return FS_OK;
    if (!list)
        return FS_E_NOACCESS;
    struct fs_object_type *types = fs_calloc(n, sizeof *types);
    if (!types)
        return FS_E_NOMEM;
    for (DWORD i = 0; i < n; i++) {
        if (!list[i].ObjectType) {
            free(types);
            return FS_E_NOACCESS;
        }
        types[i].level = list[i].Level;
        memcpy(types[i].guid, list[i].ObjectType, sizeof types[i].guid);
    }
    fs_err err = fs_object_types_check(types, n);
    if (err != FS_OK) {
        free(types);
        return err;
    }
    *out = types;
    return FS_OK;
}

/* The inputs and outputs of the AccessCheck family: one body for all three. */
struct check_call {
    PSECURITY_DESCRIPTOR sd;
    PSID self;
    HANDLE token;
    DWORD desired;
    const OBJECT_TYPE_LIST *types;
    DWORD ntypes;
    PGENERIC_MAPPING mapping;
    PPRIVILEGE_SET privileges;
    LPDWORD privileges_len;
    LPDWORD granted;        /* one mask, or one per element (result list) */
    LPBOOL status;          /* AccessCheck, AccessCheckByType */
    LPDWORD status_list;    /* AccessCheckByTypeResultList: a Win32 code per element */
    int result_list;        /* AccessCheckByTypeResultList */
    fs_err denial;          /* out: why the object as a whole was denied */
    struct fs_access_result decided; /* out: for the trace */
};

static fs_err check_body(struct check_call *c, const char *api)
{
    int result_list = c->result_list;
    if (!c->mapping || !c->privileges_len || !c->granted || (result_list ? !c->status_list : !c->status))
        return FS_E_NOACCESS;
    if (result_list && c->ntypes == 0)
        return FS_E_INVALID_PARAMETER;
    struct fs_sid self;
    if (c->self) {
        if (!fs_sid_is_valid(c->self))
            return FS_E_INVALID_SID;
        fs_sid_copy_in(&self, c->self);
    }
    struct fs_token *t;
    fs_err err = fs_api_token(c->token, TOKEN_QUERY, api, &t, NULL);
    if (err != FS_OK)
        return err;
    struct fs_sd v;
    struct fs_object_type *types = NULL;
    struct fs_access_element *elements = NULL;
    if (t->type != TokenImpersonation)
        err = FS_E_NO_IMPERSONATION_TOKEN;
    else if (c->desired & GENERIC_BITS)
        err = FS_E_GENERIC_NOT_MAPPED;
    else if (!fs_sd_is_valid(c->sd) || fs_sd_read(c->sd, &v) != FS_OK || !v.owner || !v.group)
        err = FS_E_INVALID_SECURITY_DESCR;
    else
        err = fs_api_object_types_in(c->types, c->ntypes, &types);
    if (err == FS_OK && c->ntypes && !(elements = fs_calloc(c->ntypes, sizeof *elements)))
        err = FS_E_NOMEM;
    struct fs_access_result r;
    if (err == FS_OK) {
        struct fs_generic_mapping m = mapping_in(c->mapping);
        err = fs_access_check_by_type(c->sd, t, c->desired, &m, c->self ? &self : NULL, types, c->ntypes, elements,
                                      &r);
    }
    if (err == FS_OK) {
        DWORD need = (DWORD)(sizeof(PRIVILEGE_SET) +
                             (r.nprivileges > 1 ? (r.nprivileges - 1) * sizeof(LUID_AND_ATTRIBUTES) : 0));
        if (*c->privileges_len < need || !c->privileges) {
            *c->privileges_len = need;
            err = FS_E_INSUFFICIENT_BUFFER;
        }
    }
    if (err == FS_OK) {
        c->privileges->PrivilegeCount = (DWORD)r.nprivileges;
        c->privileges->Control = 0;
        for (int i = 0; i < r.nprivileges; i++) {
            c->privileges->Privilege[i].Luid.LowPart = r.privileges[i];
            c->privileges->Privilege[i].Luid.HighPart = 0;
            c->privileges->Privilege[i].Attributes = SE_PRIVILEGE_USED_FOR_ACCESS;
        }
        fs_err refused = r.privilege_missing ? FS_E_PRIVILEGE_NOT_HELD : FS_E_ACCESS_DENIED;
        if (result_list) {
            for (DWORD i = 0; i < c->ntypes; i++) {
                c->granted[i] = elements[i].granted;
                c->status_list[i] = elements[i].allowed ? ERROR_SUCCESS : fs_win32_error(refused);
            }
        } else {
            *c->granted = r.granted;
            *c->status = r.allowed ? TRUE : FALSE;
        }
        c->denial = r.allowed ? FS_OK : refused;
        c->decided = r;
    }
    free(types);
    free(elements);
    fs_token_unref(t);
    return err;
}

/* One entry for the three: the trace names the inputs, and what was decided for the object as a whole. */
static BOOL check_call(const char *api, struct check_call *c)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_handle(&call.trace, "ClientToken", (uintptr_t)c->token);
    fs_trace_number(&call.trace, "DesiredAccess", c->desired);
    if (c->self)
        fs_trace_sid(&call.trace, "PrincipalSelfSid", c->self);
    if (c->ntypes || c->result_list)
        fs_trace_number(&call.trace, "ObjectTypeListLength", c->ntypes);
    if (fs_call_proceed(&call))
        call.err = check_body(c, call.api);
    if (fs_call_outputs(&call)) {
        if (c->result_list) {
            fs_trace_number(&call.trace, "GrantedAccessList[0]", c->granted[0]);
            fs_trace_number(&call.trace, "AccessStatusList[0]", c->status_list[0]);
        } else {
            fs_trace_number(&call.trace, "GrantedAccess", *c->granted);
            fs_trace_number(&call.trace, "AccessStatus", (uint64_t)*c->status);
        }
        char steps[1024];
        fs_api_access_steps_text(&c->decided, steps, sizeof steps);
        fs_trace_string(&call.trace, "decided", c->decided.nsteps ? steps : "nothing");
    }
    BOOL ok = fs_call_end_bool(&call);
    if (ok && c->denial != FS_OK && !c->result_list)
        fs_last_error_set(fs_win32_error(c->denial)); /* a successful check that denies: the reason as last error */
    return ok;
}

/* Denied is a successful call: TRUE, *AccessStatus FALSE, *GrantedAccess 0 and ERROR_ACCESS_DENIED as the
 * last error (doc/semantics.md §23). */
BOOL WINAPI AccessCheck(PSECURITY_DESCRIPTOR pSecurityDescriptor, HANDLE ClientToken, DWORD DesiredAccess,
                        PGENERIC_MAPPING GenericMapping, PPRIVILEGE_SET PrivilegeSet, LPDWORD PrivilegeSetLength,
                        LPDWORD GrantedAccess, LPBOOL AccessStatus)
{
    struct check_call c = {pSecurityDescriptor, NULL, ClientToken, DesiredAccess, NULL, 0, GenericMapping,
                           PrivilegeSet, PrivilegeSetLength, GrantedAccess, AccessStatus, NULL, 0, FS_OK, {0}};
    return check_call("AccessCheck", &c);
}

/* The object as a whole against a tree of its parts (doc/semantics.md §59). */
BOOL WINAPI AccessCheckByType(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID PrincipalSelfSid, HANDLE ClientToken,
                              DWORD DesiredAccess, POBJECT_TYPE_LIST ObjectTypeList, DWORD ObjectTypeListLength,
                              PGENERIC_MAPPING GenericMapping, PPRIVILEGE_SET PrivilegeSet,
                              LPDWORD PrivilegeSetLength, LPDWORD GrantedAccess, LPBOOL AccessStatus)
{
    struct check_call c = {pSecurityDescriptor, PrincipalSelfSid, ClientToken, DesiredAccess, ObjectTypeList,
                           ObjectTypeListLength, GenericMapping, PrivilegeSet, PrivilegeSetLength, GrantedAccess,
                           AccessStatus, NULL, 0, FS_OK, {0}};
    return check_call("AccessCheckByType", &c);
}

/* Each part of the tree on its own: a granted mask and a Win32 code per element (doc/semantics.md §59). */
BOOL WINAPI AccessCheckByTypeResultList(PSECURITY_DESCRIPTOR pSecurityDescriptor, PSID PrincipalSelfSid,
                                        HANDLE ClientToken, DWORD DesiredAccess, POBJECT_TYPE_LIST ObjectTypeList,
                                        DWORD ObjectTypeListLength, PGENERIC_MAPPING GenericMapping,
                                        PPRIVILEGE_SET PrivilegeSet, LPDWORD PrivilegeSetLength,
                                        LPDWORD GrantedAccessList, LPDWORD AccessStatusList)
{
    struct check_call c = {pSecurityDescriptor, PrincipalSelfSid, ClientToken, DesiredAccess, ObjectTypeList,
                           ObjectTypeListLength, GenericMapping, PrivilegeSet, PrivilegeSetLength, GrantedAccessList,
                           NULL, AccessStatusList, 1, FS_OK, {0}};
    return check_call("AccessCheckByTypeResultList", &c);
}
