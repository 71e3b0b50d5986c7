/* AuthZ (authz.h) over security/authz.c and the one access check (doc/semantics.md §56): resource managers,
 * client contexts from tokens and SIDs, AuthzAccessCheck and its cached form, each handle in the one table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "authz.h"
#include "core/alloc.h"
#include "core/handles.h"
#include "security/access_check.h"
#include "security/authz.h"
#include "security/identity.h"
#include "security/privileges.h"
#include "security/sid.h"

#define NO_EXPIRATION INT64_MAX

/* The object behind a non-NULL handle of kind; a NULL handle is a parameter error, as Windows says of it. */
static fs_err authz_object(const void *h, const struct fs_object_ops *kind, const char *api, struct fs_object **out)
{
    if (!h)
        return FS_E_INVALID_PARAMETER;
    return fs_handle_get(fs_handle_key((uintptr_t)h), kind, 0, api, out, NULL);
}

static fs_err authz_close(const void *h, const struct fs_object_ops *kind, const char *api)
{
    if (!h)
        return FS_E_INVALID_PARAMETER;
    return fs_handle_close(fs_handle_key((uintptr_t)h), kind, api);
}

/* Who the resource manager runs as: the thread's token under INITIALIZE_UNDER_IMPERSONATION, else the
 * process's. Unless NO_AUDIT, it must hold SeAuditPrivilege enabled, as auditing needs it. */
static fs_err manager_may_audit(DWORD flags)
{
    if (flags & AUTHZ_RM_FLAG_NO_AUDIT)
        return FS_OK;
    struct fs_token *t = flags & AUTHZ_RM_FLAG_INITIALIZE_UNDER_IMPERSONATION ? fs_effective_token()
                                                                             : fs_process_token();
    int may = t && fs_token_has_enabled_privilege(t, fs_privilege_luid("SeAuditPrivilege"));
    fs_token_unref(t);
    return may ? FS_OK : FS_E_PRIVILEGE_NOT_HELD;
}

static fs_err initialize_manager(DWORD flags, PFN_AUTHZ_COMPUTE_DYNAMIC_GROUPS compute,
                                 PFN_AUTHZ_FREE_DYNAMIC_GROUPS free_groups, PCWSTR name,
                                 PAUTHZ_RESOURCE_MANAGER_HANDLE out, const char *api)
{
    if (!out || (flags & ~(DWORD)AUTHZ_VALID_RM_INIT_FLAGS))
        return FS_E_INVALID_PARAMETER;
    fs_err err = manager_may_audit(flags);
    if (err != FS_OK)
        return err;
    int failed = 0;
    char *text = fs_api_narrow(name, &failed);
    if (failed)
        return FS_E_NOMEM;
    struct fs_authz_manager *m;
    err = fs_authz_manager_new(flags, text, &m);
    free(text);
    if (err != FS_OK)
        return err;
    m->compute_groups = (void (*)(void))compute;
    m->free_groups = (void (*)(void))free_groups;
    uintptr_t value;
    err = fs_handle_open(&m->base, 0, 0, api, &value);
    fs_object_unref(&m->base);
    if (err == FS_OK)
        *out = (AUTHZ_RESOURCE_MANAGER_HANDLE)value;
    return err;
}

/* pfnDynamicAccessCheck is kept by Windows for callback ACEs, which this emulation does not evaluate: it is
 * accepted and never called (doc/semantics.md §56). */
BOOL WINAPI AuthzInitializeResourceManager(DWORD Flags, PFN_AUTHZ_DYNAMIC_ACCESS_CHECK pfnDynamicAccessCheck,
                                           PFN_AUTHZ_COMPUTE_DYNAMIC_GROUPS pfnComputeDynamicGroups,
                                           PFN_AUTHZ_FREE_DYNAMIC_GROUPS pfnFreeDynamicGroups,
                                           PCWSTR szResourceManagerName,
                                           PAUTHZ_RESOURCE_MANAGER_HANDLE phAuthzResourceManager)
{
    (void)pfnDynamicAccessCheck;
    struct fs_call call;
    fs_call_begin(&call, "AuthzInitializeResourceManager");
    fs_trace_number(&call.trace, "Flags", Flags);
    fs_trace_wstring(&call.trace, "szResourceManagerName", szResourceManagerName);
    if (fs_call_proceed(&call))
        call.err = initialize_manager(Flags, pfnComputeDynamicGroups, pfnFreeDynamicGroups, szResourceManagerName,
                                      phAuthzResourceManager, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "phAuthzResourceManager", (uintptr_t)*phAuthzResourceManager);
    return fs_call_end_bool(&call);
}

BOOL WINAPI AuthzFreeResourceManager(AUTHZ_RESOURCE_MANAGER_HANDLE hAuthzResourceManager)
{
    struct fs_call call;
    fs_call_begin(&call, "AuthzFreeResourceManager");
    fs_trace_handle(&call.trace, "hAuthzResourceManager", (uintptr_t)hAuthzResourceManager);
    if (fs_call_proceed(&call))
        call.err = authz_close(hAuthzResourceManager, &fs_authz_manager_ops, call.api);
    return fs_call_end_bool(&call);
}

/* The resource manager's compute-dynamic-groups callback, called with the new context's handle; what it
 * returns is added to the context, then handed back to its free callback. */
static fs_err dynamic_groups(struct fs_authz_manager *m, struct fs_authz_context *c, uintptr_t handle, PVOID args)
{
    PFN_AUTHZ_COMPUTE_DYNAMIC_GROUPS compute = (PFN_AUTHZ_COMPUTE_DYNAMIC_GROUPS)m->compute_groups;
    PFN_AUTHZ_FREE_DYNAMIC_GROUPS release = (PFN_AUTHZ_FREE_DYNAMIC_GROUPS)m->free_groups;
    if (!compute)
        return FS_OK;
    PSID_AND_ATTRIBUTES lists[2] = {NULL, NULL};
    DWORD counts[2] = {0, 0};
    if (!compute((AUTHZ_CLIENT_CONTEXT_HANDLE)handle, args, &lists[0], &counts[0], &lists[1], &counts[1]))
        return FS_E_INVALID_PARAMETER; /* the callback's refusal: the context is not made */
    fs_err err = FS_OK;
    for (int restricting = 0; restricting < 2 && err == FS_OK; restricting++) {
        size_t count = counts[restricting];
        if (count && !lists[restricting]) { /* a count without its array: refused, not read */
            err = FS_E_INVALID_PARAMETER;
            break;
        }
        struct fs_token_group *groups = count ? fs_calloc(count, sizeof *groups) : NULL;
        if (count && !groups)
            err = FS_E_NOMEM;
        for (size_t i = 0; err == FS_OK && i < count; i++) {
            const SID_AND_ATTRIBUTES *s = &lists[restricting][i];
            if (!s->Sid || !fs_sid_is_valid(s->Sid)) {
                err = FS_E_INVALID_SID;
                break;
            }
            fs_sid_copy_in(&groups[i].sid, s->Sid);
            groups[i].attributes = s->Attributes;
        }
        if (err == FS_OK)
            err = fs_authz_context_add_groups(c, groups, count, restricting);
        free(groups);
    }
    if (release) {
        for (int i = 0; i < 2; i++)
            if (lists[i])
                release(lists[i]);
    }
    return err;
}

/* Hands out the context's handle, then lets the resource manager add its dynamic groups. */
static fs_err publish_context(struct fs_authz_manager *m, struct fs_authz_context *c, PVOID args,
                              PAUTHZ_CLIENT_CONTEXT_HANDLE out, const char *api)
{
    uintptr_t value;
    fs_err err = fs_handle_open(&c->base, 0, 0, api, &value);
    fs_object_unref(&c->base);
    if (err == FS_OK)
        err = dynamic_groups(m, c, value, args);
    if (err == FS_OK)
        *out = (AUTHZ_CLIENT_CONTEXT_HANDLE)value;
    else if (fs_handle_close(fs_handle_key(value), &fs_authz_context_ops, api) != FS_OK)
        err = FS_E_INTERNAL;
    return err;
}

#define CONTEXT_FLAGS ((DWORD)(AUTHZ_SKIP_TOKEN_GROUPS | AUTHZ_REQUIRE_S4U_LOGON | AUTHZ_COMPUTE_PRIVILEGES))

static int64_t expiration_of(const LARGE_INTEGER *given) { return given ? given->QuadPart : NO_EXPIRATION; }

static uint64_t identifier_of(LUID id) { return (uint64_t)(uint32_t)id.HighPart << 32 | id.LowPart; }

static fs_err context_from_token(DWORD flags, HANDLE token, AUTHZ_RESOURCE_MANAGER_HANDLE manager,
                                 PLARGE_INTEGER expiration, LUID identifier, PVOID args,
                                 PAUTHZ_CLIENT_CONTEXT_HANDLE out, const char *api)
{
    if (!out || (flags & ~CONTEXT_FLAGS))
        return FS_E_INVALID_PARAMETER;
    struct fs_object *obj;
    fs_err err = authz_object(manager, &fs_authz_manager_ops, api, &obj);
    if (err != FS_OK)
        return err;
    struct fs_authz_manager *m = (struct fs_authz_manager *)obj;
    struct fs_token *t;
    err = fs_api_token(token, TOKEN_QUERY, api, &t, NULL);
    struct fs_authz_context *c = NULL;
    if (err == FS_OK) {
        err = fs_authz_context_from_token(m, t, (flags & AUTHZ_SKIP_TOKEN_GROUPS) != 0, expiration_of(expiration),
                                          identifier_of(identifier), &c);
        fs_token_unref(t);
    }
    if (err == FS_OK)
        err = publish_context(m, c, args, out, api);
    fs_object_unref(obj);
    return err;
}

BOOL WINAPI AuthzInitializeContextFromToken(DWORD Flags, HANDLE TokenHandle,
                                            AUTHZ_RESOURCE_MANAGER_HANDLE hAuthzResourceManager,
                                            PLARGE_INTEGER pExpirationTime, LUID Identifier, PVOID DynamicGroupArgs,
                                            PAUTHZ_CLIENT_CONTEXT_HANDLE phAuthzClientContext)
{
    struct fs_call call;
    fs_call_begin(&call, "AuthzInitializeContextFromToken");
    fs_trace_number(&call.trace, "Flags", Flags);
    fs_trace_handle(&call.trace, "TokenHandle", (uintptr_t)TokenHandle);
    fs_trace_handle(&call.trace, "hAuthzResourceManager", (uintptr_t)hAuthzResourceManager);
    if (fs_call_proceed(&call))
        call.err = context_from_token(Flags, TokenHandle, hAuthzResourceManager, pExpirationTime, Identifier,
                                      DynamicGroupArgs, phAuthzClientContext, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "phAuthzClientContext", (uintptr_t)*phAuthzClientContext);
    return fs_call_end_bool(&call);
}

static fs_err context_from_sid(DWORD flags, PSID user, AUTHZ_RESOURCE_MANAGER_HANDLE manager,
                               PLARGE_INTEGER expiration, LUID identifier, PVOID args,
                               PAUTHZ_CLIENT_CONTEXT_HANDLE out, const char *api)
{
    if (!out || !user || (flags & ~CONTEXT_FLAGS))
        return FS_E_INVALID_PARAMETER;
    if (!fs_sid_is_valid(user))
        return FS_E_INVALID_SID;
    struct fs_object *obj;
    fs_err err = authz_object(manager, &fs_authz_manager_ops, api, &obj);
    if (err != FS_OK)
        return err;
    struct fs_authz_manager *m = (struct fs_authz_manager *)obj;
    struct fs_sid sid;
    fs_sid_copy_in(&sid, user);
    struct fs_authz_context *c = NULL;
    err = fs_authz_context_from_sid(m, &sid, (flags & AUTHZ_SKIP_TOKEN_GROUPS) != 0,
                                    (flags & AUTHZ_COMPUTE_PRIVILEGES) != 0, expiration_of(expiration),
                                    identifier_of(identifier), &c);
    if (err == FS_OK)
        err = publish_context(m, c, args, out, api);
    fs_object_unref(obj);
    return err;
}

BOOL WINAPI AuthzInitializeContextFromSid(DWORD Flags, PSID UserSid, AUTHZ_RESOURCE_MANAGER_HANDLE hAuthzResourceManager,
                                          PLARGE_INTEGER pExpirationTime, LUID Identifier, PVOID DynamicGroupArgs,
                                          PAUTHZ_CLIENT_CONTEXT_HANDLE phAuthzClientContext)
{
    struct fs_call call;
    fs_call_begin(&call, "AuthzInitializeContextFromSid");
    fs_trace_number(&call.trace, "Flags", Flags);
    fs_trace_sid(&call.trace, "UserSid", UserSid);
    fs_trace_handle(&call.trace, "hAuthzResourceManager", (uintptr_t)hAuthzResourceManager);
    if (fs_call_proceed(&call))
        call.err = context_from_sid(Flags, UserSid, hAuthzResourceManager, pExpirationTime, Identifier,
                                    DynamicGroupArgs, phAuthzClientContext, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "phAuthzClientContext", (uintptr_t)*phAuthzClientContext);
    return fs_call_end_bool(&call);
}

BOOL WINAPI AuthzFreeContext(AUTHZ_CLIENT_CONTEXT_HANDLE hAuthzClientContext)
{
    struct fs_call call;
    fs_call_begin(&call, "AuthzFreeContext");
    fs_trace_handle(&call.trace, "hAuthzClientContext", (uintptr_t)hAuthzClientContext);
    if (fs_call_proceed(&call))
        call.err = authz_close(hAuthzClientContext, &fs_authz_context_ops, call.api);
    return fs_call_end_bool(&call);
}

/* One request checked against a (merged) descriptor. Without an object type list the reply has one entry;
 * with one, an entry per element of the list, as AccessCheckByTypeResultList gives (doc/semantics.md §59). */
static fs_err check_request(const struct fs_authz_context *c, const AUTHZ_ACCESS_REQUEST *req, const void *sd,
                            PAUTHZ_ACCESS_REPLY reply, struct fs_access_result *r)
{
    if (!req || !reply || !reply->GrantedAccessMask || !reply->Error)
        return FS_E_INVALID_PARAMETER;
    DWORD entries = req->ObjectTypeListLength ? req->ObjectTypeListLength : 1;
    if (reply->ResultListLength != entries)
        return FS_E_INVALID_PARAMETER;
    struct fs_sid self;
    if (req->PrincipalSelfSid) {
        if (!fs_sid_is_valid(req->PrincipalSelfSid))
            return FS_E_INVALID_SID;
        fs_sid_copy_in(&self, req->PrincipalSelfSid);
    }
    struct fs_object_type *types;
    fs_err err = fs_api_object_types_in(req->ObjectTypeList, req->ObjectTypeListLength, &types);
    struct fs_access_element *elements = NULL;
    if (err == FS_OK && types && !(elements = fs_calloc(entries, sizeof *elements)))
        err = FS_E_NOMEM;
    /* No GENERIC_MAPPING reaches AuthZ: the ACEs' bits are compared as they are (doc/semantics.md §56). */
    if (err == FS_OK)
        err = fs_access_check_by_type(sd, c->identity, req->DesiredAccess, NULL, req->PrincipalSelfSid ? &self : NULL,
                                      types, types ? entries : 0, elements, r);
    if (err == FS_OK) {
        DWORD refused = r->privilege_missing ? ERROR_PRIVILEGE_NOT_HELD : ERROR_ACCESS_DENIED;
        for (DWORD i = 0; i < entries; i++) {
            struct fs_access_element e = elements ? elements[i] : (struct fs_access_element){r->granted, r->allowed};
            reply->GrantedAccessMask[i] = e.granted;
            reply->Error[i] = e.allowed ? ERROR_SUCCESS : refused;
            if (reply->SaclEvaluationResults)
                reply->SaclEvaluationResults[i] = 0; /* no audit is generated */
        }
    }
    free(types);
    free(elements);
    return err;
}

/* The trace's account of the decisions, written while the descriptor its steps point into is still alive. */
static void decided_text(const struct fs_access_result *r, char *out, size_t cap)
{
    if (r->nsteps)
        fs_api_access_steps_text(r, out, cap);
    else
        snprintf(out, cap, "nothing");
}

static fs_err access_check(DWORD flags, AUTHZ_CLIENT_CONTEXT_HANDLE context, PAUTHZ_ACCESS_REQUEST req,
                           PSECURITY_DESCRIPTOR sd, PSECURITY_DESCRIPTOR *more, DWORD nmore,
                           PAUTHZ_ACCESS_REPLY reply, PAUTHZ_ACCESS_CHECK_RESULTS_HANDLE results, char *decided,
                           size_t cap, const char *api)
{
    struct fs_access_result result;
    struct fs_access_result *r = &result;
    if ((flags & ~(DWORD)AUTHZ_ACCESS_CHECK_NO_DEEP_COPY_SD) || !sd || (nmore && !more))
        return FS_E_INVALID_PARAMETER;
    struct fs_object *obj;
    fs_err err = authz_object(context, &fs_authz_context_ops, api, &obj);
    if (err != FS_OK)
        return err;
    struct fs_authz_context *c = (struct fs_authz_context *)obj;
    void *merged = NULL;
    size_t len = 0;
    err = fs_authz_merge_descriptors(sd, (const void *const *)more, nmore, &merged, &len);
    if (err == FS_OK)
        err = check_request(c, req, merged, reply, r);
    if (err == FS_OK)
        decided_text(r, decided, cap);
    if (err == FS_OK && results) {
        struct fs_authz_results *kept;
        struct fs_sid self;
        if (req->PrincipalSelfSid)
            fs_sid_copy_in(&self, req->PrincipalSelfSid);
        err = fs_authz_results_new(c, merged, len, req->PrincipalSelfSid ? &self : NULL, &kept);
        uintptr_t value;
        if (err == FS_OK) {
            err = fs_handle_open(&kept->base, 0, 0, api, &value);
            fs_object_unref(&kept->base);
        }
        if (err == FS_OK)
            *results = (AUTHZ_ACCESS_CHECK_RESULTS_HANDLE)value;
    }
    free(merged);
    fs_object_unref(obj);
    return err;
}

/* A check that denies is a successful call: TRUE, with ERROR_ACCESS_DENIED in the reply's Error, not as the
 * last error (doc/semantics.md §56). */
BOOL WINAPI AuthzAccessCheck(DWORD Flags, AUTHZ_CLIENT_CONTEXT_HANDLE hAuthzClientContext,
                             PAUTHZ_ACCESS_REQUEST pRequest, AUTHZ_AUDIT_EVENT_HANDLE hAuditEvent,
                             PSECURITY_DESCRIPTOR pSecurityDescriptor,
                             PSECURITY_DESCRIPTOR *OptionalSecurityDescriptorArray,
                             DWORD OptionalSecurityDescriptorCount, PAUTHZ_ACCESS_REPLY pReply,
                             PAUTHZ_ACCESS_CHECK_RESULTS_HANDLE phAccessCheckResults)
{
    (void)hAuditEvent; /* no audit is generated */
    struct fs_call call;
    char decided[1024] = "";
    fs_call_begin(&call, "AuthzAccessCheck");
    fs_trace_handle(&call.trace, "hAuthzClientContext", (uintptr_t)hAuthzClientContext);
    if (pRequest)
        fs_trace_number(&call.trace, "DesiredAccess", pRequest->DesiredAccess);
    fs_trace_number(&call.trace, "OptionalSecurityDescriptorCount", OptionalSecurityDescriptorCount);
    if (fs_call_proceed(&call))
        call.err = access_check(Flags, hAuthzClientContext, pRequest, pSecurityDescriptor,
                                OptionalSecurityDescriptorArray, OptionalSecurityDescriptorCount, pReply,
                                phAccessCheckResults, decided, sizeof decided, call.api);
    if (fs_call_outputs(&call)) {
        fs_trace_number(&call.trace, "GrantedAccessMask", pReply->GrantedAccessMask[0]);
        fs_trace_number(&call.trace, "Error", pReply->Error[0]);
        fs_trace_string(&call.trace, "decided", decided);
    }
    return fs_call_end_bool(&call);
}

static fs_err cached_access_check(DWORD flags, AUTHZ_ACCESS_CHECK_RESULTS_HANDLE results, PAUTHZ_ACCESS_REQUEST req,
                                  PAUTHZ_ACCESS_REPLY reply, char *decided, size_t cap, const char *api)
{
    struct fs_access_result result;
    struct fs_access_result *r = &result;
    if (flags)
        return FS_E_INVALID_PARAMETER;
    struct fs_object *obj;
    fs_err err = authz_object(results, &fs_authz_results_ops, api, &obj);
    if (err != FS_OK)
        return err;
    const struct fs_authz_results *kept = (const struct fs_authz_results *)obj;
    AUTHZ_ACCESS_REQUEST same;
    struct fs_sid self = kept->principal_self;
    if (req) { /* the principal self of the first check stays: it is part of what was cached */
        same = *req;
        same.PrincipalSelfSid = kept->has_principal_self ? (PSID)&self : NULL;
    }
    err = check_request(kept->context, req ? &same : NULL, kept->sd, reply, r);
    if (err == FS_OK)
        decided_text(r, decided, cap);
    fs_object_unref(obj);
    return err;
}

BOOL WINAPI AuthzCachedAccessCheck(DWORD Flags, AUTHZ_ACCESS_CHECK_RESULTS_HANDLE hAccessCheckResults,
                                   PAUTHZ_ACCESS_REQUEST pRequest, AUTHZ_AUDIT_EVENT_HANDLE hAuditEvent,
                                   PAUTHZ_ACCESS_REPLY pReply)
{
    (void)hAuditEvent;
    struct fs_call call;
    char decided[1024] = "";
    fs_call_begin(&call, "AuthzCachedAccessCheck");
    fs_trace_handle(&call.trace, "hAccessCheckResults", (uintptr_t)hAccessCheckResults);
    if (pRequest)
        fs_trace_number(&call.trace, "DesiredAccess", pRequest->DesiredAccess);
    if (fs_call_proceed(&call))
        call.err = cached_access_check(Flags, hAccessCheckResults, pRequest, pReply, decided, sizeof decided,
                                       call.api);
    if (fs_call_outputs(&call)) {
        fs_trace_number(&call.trace, "GrantedAccessMask", pReply->GrantedAccessMask[0]);
        fs_trace_number(&call.trace, "Error", pReply->Error[0]);
        fs_trace_string(&call.trace, "decided", decided);
    }
    return fs_call_end_bool(&call);
}

BOOL WINAPI AuthzFreeHandle(AUTHZ_ACCESS_CHECK_RESULTS_HANDLE hAccessCheckResults)
{
    struct fs_call call;
    fs_call_begin(&call, "AuthzFreeHandle");
    fs_trace_handle(&call.trace, "hAccessCheckResults", (uintptr_t)hAccessCheckResults);
    if (fs_call_proceed(&call))
        call.err = authz_close(hAccessCheckResults, &fs_authz_results_ops, call.api);
    return fs_call_end_bool(&call);
}

/* The classes a context answers from its snapshot, in GetTokenInformation's layouts: TOKEN_USER, TOKEN_GROUPS,
 * TOKEN_PRIVILEGES; the caller's expiration time and identifier; the logon session's LUID. */
static fs_err context_information(const struct fs_authz_context *c, AUTHZ_CONTEXT_INFORMATION_CLASS cls, void *buf,
                                  DWORD size, DWORD *needed)
{
    const struct fs_token *t = c->identity;
    uint64_t value;
    switch (cls) {
    case AuthzContextInfoUserSid: return fs_token_query(t, TokenUser, buf, size, needed);
    case AuthzContextInfoGroupsSids: return fs_token_query(t, TokenGroups, buf, size, needed);
    case AuthzContextInfoRestrictedSids: return fs_token_query(t, TokenRestrictedSids, buf, size, needed);
    case AuthzContextInfoPrivileges: return fs_token_query(t, TokenPrivileges, buf, size, needed);
    case AuthzContextInfoExpirationTime: value = (uint64_t)c->expiration; break;
    case AuthzContextInfoIdentifier: value = c->identifier; break;
    case AuthzContextInfoAuthenticationId: value = t->auth_id; break;
    case AuthzContextInfoServerContext:
    case AuthzContextInfoSource:
    case AuthzContextInfoAll:
    case AuthzContextInfoSecurityAttributes:
    case AuthzContextInfoDeviceSids:
    case AuthzContextInfoUserClaims:
    case AuthzContextInfoDeviceClaims:
    case AuthzContextInfoAppContainerSid:
    case AuthzContextInfoCapabilitySids: return FS_E_NOT_SUPPORTED; /* not emulated (doc/semantics.md §56) */
    default: return FS_E_INVALID_PARAMETER;
    }
    *needed = sizeof value; /* a LARGE_INTEGER or a LUID: both 8 bytes, low part first */
    if (size < sizeof value || !buf)
        return FS_E_INSUFFICIENT_BUFFER;
    memcpy(buf, &value, sizeof value);
    return FS_OK;
}

static fs_err get_information(AUTHZ_CLIENT_CONTEXT_HANDLE context, AUTHZ_CONTEXT_INFORMATION_CLASS cls, DWORD size,
                              PDWORD needed, PVOID buf, const char *api)
{
    if (!needed)
        return FS_E_INVALID_PARAMETER;
    struct fs_object *obj;
    fs_err err = authz_object(context, &fs_authz_context_ops, api, &obj);
    if (err != FS_OK)
        return err;
    uint32_t need = 0;
    err = context_information((const struct fs_authz_context *)obj, cls, buf, buf ? size : 0, &need);
    *needed = need;
    fs_object_unref(obj);
    return err;
}

BOOL WINAPI AuthzGetInformationFromContext(AUTHZ_CLIENT_CONTEXT_HANDLE hAuthzClientContext,
                                           AUTHZ_CONTEXT_INFORMATION_CLASS InfoClass, DWORD BufferSize,
                                           PDWORD pSizeRequired, PVOID Buffer)
{
    struct fs_call call;
    fs_call_begin(&call, "AuthzGetInformationFromContext");
    fs_trace_handle(&call.trace, "hAuthzClientContext", (uintptr_t)hAuthzClientContext);
    fs_trace_number(&call.trace, "InfoClass", (uint64_t)InfoClass);
    fs_trace_number(&call.trace, "BufferSize", BufferSize);
    if (fs_call_proceed(&call))
        call.err = get_information(hAuthzClientContext, InfoClass, BufferSize, pSizeRequired, Buffer, call.api);
    return fs_call_end_bool(&call);
}
