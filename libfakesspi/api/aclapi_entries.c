/* aclapi.h over security/explicit_access.c: SetEntriesInAcl, GetEffectiveRightsFromAcl and the trustee
 * helpers, A and W (doc/semantics.md §42). TRUSTEE_A/W and EXPLICIT_ACCESS_A/W differ only in the type
 * of ptstrName, so one body reads both. */
#include <stdlib.h>

#include "api.h"
#include "aclapi.h"
#include "core/alloc.h"
#include "core/memtrack.h"
#include <string.h>
#include "security/explicit_access.h"

_Static_assert(sizeof(TRUSTEE_A) == sizeof(TRUSTEE_W), "TRUSTEE_A and TRUSTEE_W share a layout");
_Static_assert(sizeof(EXPLICIT_ACCESS_A) == sizeof(EXPLICIT_ACCESS_W), "EXPLICIT_ACCESS_A and _W share a layout");

/* A trustee as security/ takes it; *owned is the UTF-8 copy of a W name (free it). */
static fs_err read_trustee(const TRUSTEE_A *t, int wide, struct fs_trustee *out, char **owned)
{
    *owned = NULL;
    out->form = (int)t->TrusteeForm;
    out->operation = (int)t->MultipleTrusteeOperation;
    out->sid = t->TrusteeForm == TRUSTEE_IS_SID ? (const void *)t->ptstrName : NULL;
    out->name = NULL;
    if (t->TrusteeForm != TRUSTEE_IS_NAME)
        return FS_OK;
    if (!wide) {
        out->name = t->ptstrName;
        return FS_OK;
    }
    int failed = 0;
    *owned = fs_api_narrow((LPCWSTR)(const void *)t->ptstrName, &failed);
    out->name = *owned;
    return failed ? FS_E_NOMEM : FS_OK;
}

static fs_err trustee_sid(const TRUSTEE_A *t, int wide, struct fs_sid *sid)
{
    struct fs_trustee view;
    char *owned;
    fs_err err = read_trustee(t, wide, &view, &owned);
    if (err == FS_OK)
        err = fs_trustee_sid(&view, sid);
    free(owned);
    return err;
}

static fs_err SetEntriesInAcl_body(ULONG count, const void *list, int wide, PACL old_acl, PACL *new_acl,
                                   const char *api)
{
    if (!new_acl)
        return FS_E_INVALID_PARAMETER;
    *new_acl = NULL;
    if (count && !list)
        return FS_E_INVALID_PARAMETER;
    struct fs_explicit_entry *entries = count ? fs_calloc(count, sizeof *entries) : NULL;
    if (count && !entries)
        return FS_E_NOMEM;
    fs_err err = FS_OK;
    size_t n = 0;
    for (ULONG i = 0; i < count && err == FS_OK; i++) {
        const EXPLICIT_ACCESS_A *e = (const EXPLICIT_ACCESS_A *)list + i;
        if (e->grfAccessMode == NOT_USED_ACCESS)
            continue;
        entries[n] = (struct fs_explicit_entry){e->grfAccessPermissions, (int)e->grfAccessMode, e->grfInheritance, {0}, 0};
        err = trustee_sid(&e->Trustee, wide, &entries[n].sid);
        n++;
    }
    void *acl = NULL;
    if (err == FS_OK)
        err = fs_explicit_merge(entries, n, old_acl, api, &acl);
    free(entries);
    if (err == FS_OK)
        *new_acl = acl;
    return err;
}

static DWORD set_entries(ULONG count, const void *list, int wide, PACL old_acl, PACL *new_acl, const char *api)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_number(&call.trace, "cCountOfExplicitEntries", count);
    if (fs_call_proceed(&call))
        call.err = SetEntriesInAcl_body(count, list, wide, old_acl, new_acl, call.api);
    return fs_call_end_error(&call);
}

/* Returns the error; the last error is untouched, and *NewAcl is NULL on every failure (doc/semantics.md §42). */
DWORD WINAPI SetEntriesInAclA(ULONG cCountOfExplicitEntries, PEXPLICIT_ACCESS_A pListOfExplicitEntries, PACL OldAcl,
                              PACL *NewAcl)
{
    return set_entries(cCountOfExplicitEntries, pListOfExplicitEntries, 0, OldAcl, NewAcl, "SetEntriesInAclA");
}

DWORD WINAPI SetEntriesInAclW(ULONG cCountOfExplicitEntries, PEXPLICIT_ACCESS_W pListOfExplicitEntries, PACL OldAcl,
                              PACL *NewAcl)
{
    return set_entries(cCountOfExplicitEntries, pListOfExplicitEntries, 1, OldAcl, NewAcl, "SetEntriesInAclW");
}

static fs_err GetEffectiveRightsFromAcl_body(PACL acl, const TRUSTEE_A *trustee, int wide, PACCESS_MASK rights)
{
    if (!acl || !trustee || !rights)
        return FS_E_INVALID_PARAMETER;
    struct fs_sid sid;
    fs_err err = trustee_sid(trustee, wide, &sid);
    uint32_t granted = 0;
    if (err == FS_OK)
        err = fs_effective_rights(acl, &sid, &granted);
    if (err == FS_OK)
        *rights = granted;
    return err;
}

static DWORD effective_rights(PACL acl, const TRUSTEE_A *trustee, int wide, PACCESS_MASK rights, const char *api)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    if (fs_call_proceed(&call))
        call.err = GetEffectiveRightsFromAcl_body(acl, trustee, wide, rights);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "AccessRights", *rights);
    return fs_call_end_error(&call);
}

DWORD WINAPI GetEffectiveRightsFromAclA(PACL pacl, PTRUSTEE_A pTrustee, PACCESS_MASK pAccessRights)
{
    return effective_rights(pacl, pTrustee, 0, pAccessRights, "GetEffectiveRightsFromAclA");
}

DWORD WINAPI GetEffectiveRightsFromAclW(PACL pacl, PTRUSTEE_W pTrustee, PACCESS_MASK pAccessRights)
{
    return effective_rights(pacl, (const TRUSTEE_A *)(const void *)pTrustee, 1, pAccessRights,
                            "GetEffectiveRightsFromAclW");
}

/* The trustee helpers only fill or read the structure: they cannot fail on Windows. */
static void build_trustee(TRUSTEE_A *t, TRUSTEE_FORM form, void *value)
{
    if (!t)
        return;
    t->pMultipleTrustee = NULL;
    t->MultipleTrusteeOperation = NO_MULTIPLE_TRUSTEE;
    t->TrusteeForm = form;
    t->TrusteeType = TRUSTEE_IS_UNKNOWN;
    t->ptstrName = value;
}

/* One LocalAlloc block: the entries, then their SIDs, which the trustees point at. */
static fs_err GetExplicitEntriesFromAcl_body(PACL acl, PULONG count, void **list, const char *api)
{
    if (!count || !list)
        return FS_E_INVALID_PARAMETER;
    struct fs_explicit_entry *entries = NULL;
    size_t n = 0;
    fs_err err = acl ? fs_explicit_entries(acl, &entries, &n) : FS_OK; /* no ACL: no entries */
    if (err != FS_OK)
        return err;
    BYTE *block = NULL;
    if (n) {
        size_t total = n * sizeof(EXPLICIT_ACCESS_A);
        for (size_t i = 0; i < n; i++)
            total += fs_sid_length(&entries[i].sid);
        block = fs_mem_alloc(FS_MEM_LOCAL, total, 1, api);
        if (!block) {
            free(entries);
            return FS_E_NOMEM;
        }
        BYTE *sids = block + n * sizeof(EXPLICIT_ACCESS_A);
        for (size_t i = 0; i < n; i++) {
            EXPLICIT_ACCESS_A *e = (EXPLICIT_ACCESS_A *)(void *)block + i;
            e->grfAccessPermissions = entries[i].mask;
            e->grfAccessMode = (ACCESS_MODE)entries[i].mode;
            e->grfInheritance = entries[i].inheritance;
            build_trustee(&e->Trustee, TRUSTEE_IS_SID, sids);
            e->Trustee.TrusteeType = (TRUSTEE_TYPE)entries[i].type;
            size_t len = fs_sid_length(&entries[i].sid);
            memcpy(sids, &entries[i].sid, len);
            sids += len;
        }
    }
    free(entries);
    *count = (ULONG)n;
    *list = block;
    return FS_OK;
}

static DWORD explicit_entries(PACL acl, PULONG count, void **list, const char *api)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    if (fs_call_proceed(&call))
        call.err = GetExplicitEntriesFromAcl_body(acl, count, list, call.api);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "CountOfExplicitEntries", *count);
    return fs_call_end_error(&call);
}

/* The entries and their SIDs are one block: LocalFree(*pListOfExplicitEntries) frees all (doc/semantics.md §42). */
DWORD WINAPI GetExplicitEntriesFromAclA(PACL pacl, PULONG pcCountOfExplicitEntries,
                                        PEXPLICIT_ACCESS_A *pListOfExplicitEntries)
{
    return explicit_entries(pacl, pcCountOfExplicitEntries, (void **)pListOfExplicitEntries,
                            "GetExplicitEntriesFromAclA");
}

DWORD WINAPI GetExplicitEntriesFromAclW(PACL pacl, PULONG pcCountOfExplicitEntries,
                                        PEXPLICIT_ACCESS_W *pListOfExplicitEntries)
{
    return explicit_entries(pacl, pcCountOfExplicitEntries, (void **)pListOfExplicitEntries,
                            "GetExplicitEntriesFromAclW");
}

VOID WINAPI BuildTrusteeWithSidA(PTRUSTEE_A pTrustee, PSID pSid)
{
    FS_GATE_SCOPE();
    build_trustee(pTrustee, TRUSTEE_IS_SID, pSid);
}

VOID WINAPI BuildTrusteeWithSidW(PTRUSTEE_W pTrustee, PSID pSid)
{
    FS_GATE_SCOPE();
    build_trustee((TRUSTEE_A *)(void *)pTrustee, TRUSTEE_IS_SID, pSid);
}

VOID WINAPI BuildTrusteeWithNameA(PTRUSTEE_A pTrustee, LPSTR pName)
{
    FS_GATE_SCOPE();
    build_trustee(pTrustee, TRUSTEE_IS_NAME, pName);
}

VOID WINAPI BuildTrusteeWithNameW(PTRUSTEE_W pTrustee, LPWSTR pName)
{
    FS_GATE_SCOPE();
    build_trustee((TRUSTEE_A *)(void *)pTrustee, TRUSTEE_IS_NAME, pName);
}

static void build_explicit(EXPLICIT_ACCESS_A *e, void *name, DWORD permissions, ACCESS_MODE mode, DWORD inheritance)
{
    if (!e)
        return;
    e->grfAccessPermissions = permissions;
    e->grfAccessMode = mode;
    e->grfInheritance = inheritance;
    build_trustee(&e->Trustee, TRUSTEE_IS_NAME, name);
}

VOID WINAPI BuildExplicitAccessWithNameA(PEXPLICIT_ACCESS_A pExplicitAccess, LPSTR pTrusteeName,
                                         DWORD AccessPermissions, ACCESS_MODE AccessMode, DWORD Inheritance)
{
    FS_GATE_SCOPE();
    build_explicit(pExplicitAccess, pTrusteeName, AccessPermissions, AccessMode, Inheritance);
}

VOID WINAPI BuildExplicitAccessWithNameW(PEXPLICIT_ACCESS_W pExplicitAccess, LPWSTR pTrusteeName,
                                         DWORD AccessPermissions, ACCESS_MODE AccessMode, DWORD Inheritance)
{
    FS_GATE_SCOPE();
    build_explicit((EXPLICIT_ACCESS_A *)(void *)pExplicitAccess, pTrusteeName, AccessPermissions, AccessMode,
                   Inheritance);
}

LPSTR WINAPI GetTrusteeNameA(PTRUSTEE_A pTrustee)
{
    FS_GATE_SCOPE();
    return pTrustee ? pTrustee->ptstrName : NULL;
}

LPWSTR WINAPI GetTrusteeNameW(PTRUSTEE_W pTrustee)
{
    FS_GATE_SCOPE();
    return pTrustee ? pTrustee->ptstrName : NULL;
}

TRUSTEE_TYPE WINAPI GetTrusteeTypeA(PTRUSTEE_A pTrustee)
{
    FS_GATE_SCOPE();
    return pTrustee ? pTrustee->TrusteeType : TRUSTEE_IS_UNKNOWN;
}

TRUSTEE_TYPE WINAPI GetTrusteeTypeW(PTRUSTEE_W pTrustee)
{
    FS_GATE_SCOPE();
    return pTrustee ? pTrustee->TrusteeType : TRUSTEE_IS_UNKNOWN;
}

TRUSTEE_FORM WINAPI GetTrusteeFormA(PTRUSTEE_A pTrustee)
{
    FS_GATE_SCOPE();
    return pTrustee ? pTrustee->TrusteeForm : TRUSTEE_BAD_FORM;
}

TRUSTEE_FORM WINAPI GetTrusteeFormW(PTRUSTEE_W pTrustee)
{
    FS_GATE_SCOPE();
    return pTrustee ? pTrustee->TrusteeForm : TRUSTEE_BAD_FORM;
}
