/* Restricted tokens and group changes: CreateRestrictedToken, IsTokenRestricted, AdjustTokenGroups
 * (doc/semantics.md §45), over security/token_restrict.c and security/token_adjust.c. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/alloc.h"
#include "core/handles.h"
#include "security/token_adjust.h"
#include "security/token_restrict.h"

#define RESTRICT_FLAGS ((DWORD)(DISABLE_MAX_PRIVILEGE | SANDBOX_INERT | LUA_TOKEN | WRITE_RESTRICTED))

/* The SIDs of a caller's SID_AND_ATTRIBUTES array, copied in: NEW (free()) in *out. A count without an
 * array is FS_E_INVALID_PARAMETER, a malformed SID FS_E_INVALID_SID; restricting SIDs must come with
 * Attributes zero (FS_E_INVALID_PARAMETER). */
static fs_err capture_sids(const SID_AND_ATTRIBUTES *in, DWORD n, int attributes_zero, struct fs_sid **out)
{
    *out = NULL;
    if (n && !in)
        return FS_E_INVALID_PARAMETER;
    struct fs_sid *sids = fs_calloc((size_t)n + 1, sizeof *sids);
    if (!sids)
        return FS_E_NOMEM;
    for (DWORD i = 0; i < n; i++) {
        fs_err err = !fs_sid_is_valid(in[i].Sid) ? FS_E_INVALID_SID
                     : attributes_zero && in[i].Attributes ? FS_E_INVALID_PARAMETER
                                                           : FS_OK;
        if (err != FS_OK) {
            free(sids);
            return err;
        }
        fs_sid_copy_in(&sids[i], in[i].Sid);
    }
    *out = sids;
    return FS_OK;
}

/* ---- CreateRestrictedToken ---- */

struct restrict_args {
    struct fs_sid *disable, *restrict_to;
    uint32_t *remove;
};

static fs_err capture_restriction(DWORD Flags, DWORD DisableSidCount, PSID_AND_ATTRIBUTES SidsToDisable,
                                  DWORD DeletePrivilegeCount, PLUID_AND_ATTRIBUTES PrivilegesToDelete,
                                  DWORD RestrictedSidCount, PSID_AND_ATTRIBUTES SidsToRestrict,
                                  struct restrict_args *a, struct fs_token_restriction *r)
{
    if (Flags & ~RESTRICT_FLAGS)
        return FS_E_INVALID_PARAMETER;
    fs_err err = capture_sids(SidsToDisable, DisableSidCount, 0, &a->disable);
    if (err == FS_OK)
        err = capture_sids(SidsToRestrict, RestrictedSidCount, 1, &a->restrict_to);
    if (err != FS_OK)
        return err;
    /* DISABLE_MAX_PRIVILEGE ignores the list, as Windows does. */
    DWORD nremove = (Flags & DISABLE_MAX_PRIVILEGE) ? 0 : DeletePrivilegeCount;
    if (nremove && !PrivilegesToDelete)
        return FS_E_INVALID_PARAMETER;
    a->remove = fs_calloc((size_t)nremove + 1, sizeof *a->remove);
    if (!a->remove)
        return FS_E_NOMEM;
    size_t k = 0;
    for (DWORD i = 0; i < nremove; i++)
        if (!PrivilegesToDelete[i].Luid.HighPart) /* no privilege has a high part: one the token does not hold */
            a->remove[k++] = PrivilegesToDelete[i].Luid.LowPart;
    *r = (struct fs_token_restriction){.flags = Flags, .disable = a->disable, .ndisable = DisableSidCount,
                                      .remove = a->remove, .nremove = k, .restrict_to = a->restrict_to,
                                      .nrestrict = RestrictedSidCount};
    return FS_OK;
}

static fs_err CreateRestrictedToken_body(HANDLE ExistingTokenHandle, DWORD Flags, DWORD DisableSidCount,
                                         PSID_AND_ATTRIBUTES SidsToDisable, DWORD DeletePrivilegeCount,
                                         PLUID_AND_ATTRIBUTES PrivilegesToDelete, DWORD RestrictedSidCount,
                                         PSID_AND_ATTRIBUTES SidsToRestrict, PHANDLE NewTokenHandle, const char *api)
{
    if (!NewTokenHandle)
        return FS_E_NOACCESS;
    struct restrict_args a = {0};
    struct fs_token_restriction r;
    fs_err err = capture_restriction(Flags, DisableSidCount, SidsToDisable, DeletePrivilegeCount, PrivilegesToDelete,
                                     RestrictedSidCount, SidsToRestrict, &a, &r);
    struct fs_token *src = NULL, *t = NULL;
    DWORD granted = 0;
    if (err == FS_OK)
        err = fs_api_token(ExistingTokenHandle, TOKEN_DUPLICATE, api, &src, &granted);
    if (err == FS_OK)
        err = fs_token_restrict(src, &r, &t);
    /* The new handle has the access the existing one had (doc/semantics.md §45). */
    HANDLE h = NULL;
    if (err == FS_OK)
        err = fs_api_open_token(t, granted, api, &h);
    if (err == FS_OK)
        *NewTokenHandle = h;
    fs_token_unref(t);
    fs_token_unref(src);
    free(a.disable);
    free(a.restrict_to);
    free(a.remove);
    return err;
}

BOOL APIENTRY CreateRestrictedToken(HANDLE ExistingTokenHandle, DWORD Flags, DWORD DisableSidCount,
                                    PSID_AND_ATTRIBUTES SidsToDisable, DWORD DeletePrivilegeCount,
                                    PLUID_AND_ATTRIBUTES PrivilegesToDelete, DWORD RestrictedSidCount,
                                    PSID_AND_ATTRIBUTES SidsToRestrict, PHANDLE NewTokenHandle)
{
    struct fs_call call;
    fs_call_begin(&call, "CreateRestrictedToken");
    fs_trace_handle(&call.trace, "ExistingTokenHandle", (uintptr_t)ExistingTokenHandle);
    fs_trace_number(&call.trace, "Flags", Flags);
    fs_trace_number(&call.trace, "DisableSidCount", DisableSidCount);
    fs_trace_number(&call.trace, "DeletePrivilegeCount", DeletePrivilegeCount);
    fs_trace_number(&call.trace, "RestrictedSidCount", RestrictedSidCount);
    if (fs_call_proceed(&call))
        call.err = CreateRestrictedToken_body(ExistingTokenHandle, Flags, DisableSidCount, SidsToDisable,
                                              DeletePrivilegeCount, PrivilegesToDelete, RestrictedSidCount,
                                              SidsToRestrict, NewTokenHandle, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "NewTokenHandle", (uintptr_t)*NewTokenHandle);
    return fs_call_end_bool(&call);
}

/* ---- IsTokenRestricted ---- */

/* TRUE when the token has restricting SIDs; FALSE with the last error untouched when it has none, as
 * Windows answers (doc/semantics.md §45). */
BOOL WINAPI IsTokenRestricted(HANDLE TokenHandle)
{
    struct fs_call call;
    int restricted = 0;
    fs_call_begin(&call, "IsTokenRestricted");
    fs_trace_handle(&call.trace, "TokenHandle", (uintptr_t)TokenHandle);
    if (fs_call_proceed(&call)) {
        struct fs_token *t;
        call.err = fs_api_token(TokenHandle, TOKEN_QUERY, call.api, &t, NULL);
        if (call.err == FS_OK) {
            restricted = t->nrestricted > 0;
            fs_token_unref(t);
        }
    }
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "restricted", (uint64_t)restricted);
    return fs_call_end_bool(&call) && restricted;
}

/* ---- AdjustTokenGroups ---- */

static fs_err capture_changes(const TOKEN_GROUPS *in, struct fs_group_change **out)
{
    *out = fs_calloc((size_t)in->GroupCount + 1, sizeof **out);
    if (!*out)
        return FS_E_NOMEM;
    const SID_AND_ATTRIBUTES *g = in->Groups; /* a pointer walk: Groups[] is declared with one element */
    for (DWORD i = 0; i < in->GroupCount; i++) {
        if (!fs_sid_is_valid(g[i].Sid))
            return FS_E_INVALID_SID;
        fs_sid_copy_in(&(*out)[i].sid, g[i].Sid);
        (*out)[i].enable = (g[i].Attributes & SE_GROUP_ENABLED) != 0;
    }
    return FS_OK;
}

/* PreviousState as Windows lays out a TOKEN_GROUPS: the array, then the SIDs it points at. */
static void write_previous(PTOKEN_GROUPS out, const struct fs_token_group *g, size_t n)
{
    SID_AND_ATTRIBUTES *array = out->Groups; /* a pointer walk: Groups[] is declared with one element */
    unsigned char *sids = (unsigned char *)(array + n);
    out->GroupCount = (DWORD)n;
    for (size_t i = 0; i < n; i++) {
        size_t len = fs_sid_length(&g[i].sid);
        memcpy(sids, &g[i].sid, len);
        array[i].Sid = sids;
        array[i].Attributes = g[i].attributes;
        sids += len;
    }
}

static fs_err AdjustTokenGroups_body(HANDLE TokenHandle, BOOL ResetToDefault, PTOKEN_GROUPS NewState,
                                     DWORD BufferLength, PTOKEN_GROUPS PreviousState, PDWORD ReturnLength,
                                     const char *api)
{
    if (!ResetToDefault && !NewState)
        return FS_E_INVALID_PARAMETER;
    if (PreviousState && !ReturnLength)
        return FS_E_NOACCESS;
    struct fs_group_change *changes = NULL;
    fs_err err = ResetToDefault ? FS_OK : capture_changes(NewState, &changes);
    struct fs_token *t = NULL;
    DWORD need = TOKEN_ADJUST_GROUPS | (PreviousState ? TOKEN_QUERY : 0);
    if (err == FS_OK)
        err = fs_api_token(TokenHandle, need, api, &t, NULL);
    struct fs_token_group *previous = NULL;
    size_t nprevious = 0, needed = 0;
    int not_all = 0;
    if (err == FS_OK)
        err = fs_token_adjust_groups(t, ResetToDefault != FALSE, changes, ResetToDefault ? 0 : NewState->GroupCount,
                                     PreviousState != NULL, &previous, &nprevious, &needed, &not_all,
                                     PreviousState ? BufferLength : 0);
    if (PreviousState && (err == FS_OK || err == FS_E_INSUFFICIENT_BUFFER))
        *ReturnLength = (DWORD)needed;
    if (err == FS_OK && PreviousState)
        write_previous(PreviousState, previous, nprevious);
    if (err == FS_OK && not_all)
        err = FS_I_NOT_ALL_ASSIGNED;
    free(previous);
    free(changes);
    fs_token_unref(t);
    return err;
}

BOOL WINAPI AdjustTokenGroups(HANDLE TokenHandle, BOOL ResetToDefault, PTOKEN_GROUPS NewState, DWORD BufferLength,
                              PTOKEN_GROUPS PreviousState, PDWORD ReturnLength)
{
    struct fs_call call;
    fs_call_begin(&call, "AdjustTokenGroups");
    fs_trace_handle(&call.trace, "TokenHandle", (uintptr_t)TokenHandle);
    fs_trace_number(&call.trace, "ResetToDefault", (uint64_t)ResetToDefault);
    fs_trace_number(&call.trace, "BufferLength", BufferLength);
    if (fs_call_proceed(&call))
        call.err = AdjustTokenGroups_body(TokenHandle, ResetToDefault, NewState, BufferLength, PreviousState,
                                          ReturnLength, call.api);
    return fs_call_end_bool_noting(&call);
}
