/* The LSA's policy functions of ntsecapi.h: LsaOpenPolicy/LsaClose, LsaQueryInformationPolicy and the name/SID
 * lookups LsaLookupNames(2) and LsaLookupSids(2), over the accounts LookupAccountName/Sid answer from
 * (doc/semantics.md §44). Results are single blocks freed with LsaFreeMemory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "core/alloc.h"
#include "core/handles.h"
#include "core/memtrack.h"
#include "security/accounts.h"
#include "security/domain_current.h"
#include "security/identity.h"
#include "security/lsa.h"
#include "security/wellknown.h"

/* Most names LsaLookupNames(2) takes at once (MSDN), and SIDs LsaLookupSids(2) takes. */
#define MAX_NAMES 1000
#define MAX_SIDS 20480

#define LSA_ALLOC(size, api) fs_mem_alloc(FS_MEM_LSA, (size), 1, (api))

NTSTATUS NTAPI LsaFreeMemory(PVOID Buffer)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaFreeMemory"); /* the pointer is not shown: it would differ run to run */
    if (fs_call_proceed(&call) && Buffer)
        call.err = fs_mem_free(Buffer, FS_MEM_LSA, call.api);
    return fs_call_end_nt_status(&call);
}

/* The policy object's access: administrators may have every right, anyone else only to look names up and view
 * the local information (POLICY_EXECUTE), as Windows' default policy DACL grants (doc/semantics.md §44). */
static DWORD allowed_access(void)
{
    struct fs_sid admins;
    fs_sid_parse_known(FS_SID_BUILTIN_ADMINISTRATORS, &admins);
    struct fs_token *self = fs_effective_token();
    int admin = self && fs_token_is_member(self, &admins); /* under the state lock; restricting SIDs count */
    fs_token_unref(self);
    return admin ? POLICY_ALL_ACCESS | POLICY_NOTIFICATION : POLICY_EXECUTE;
}

static DWORD map_policy_access(DWORD desired, DWORD allowed)
{
    DWORD access = desired & ~(DWORD)(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED);
    if (desired & GENERIC_READ)
        access |= POLICY_READ;
    if (desired & GENERIC_WRITE)
        access |= POLICY_WRITE;
    if (desired & GENERIC_EXECUTE)
        access |= POLICY_EXECUTE;
    if (desired & GENERIC_ALL)
        access |= POLICY_ALL_ACCESS;
    if (desired & MAXIMUM_ALLOWED)
        access |= allowed;
    return access;
}

static fs_err open_policy(const LSA_UNICODE_STRING *system, const LSA_OBJECT_ATTRIBUTES *attributes, DWORD desired,
                          PLSA_HANDLE out, const char *api)
{
    if (!attributes || !out)
        return FS_E_INVALID_PARAMETER;
    if (system && system->Length) {
        char *name;
        fs_err err = system->Buffer ? fs_api_narrow_counted(system->Buffer, system->Length / 2, &name)
                                    : FS_E_INVALID_PARAMETER;
        if (err != FS_OK)
            return err;
        int local = fs_is_local_machine(name);
        free(name);
        if (!local)
            return FS_E_SERVER_UNAVAILABLE;
    }
    DWORD allowed = allowed_access();
    DWORD access = map_policy_access(desired, allowed);
    if (access & ~allowed)
        return FS_E_ACCESS_DENIED;
    struct fs_lsa_policy *p;
    fs_err err = fs_lsa_policy_new(&p);
    if (err != FS_OK)
        return err;
    uintptr_t value;
    err = fs_handle_open(&p->base, access, 0, api, &value);
    fs_object_unref(&p->base);
    if (err == FS_OK)
        *out = (LSA_HANDLE)value;
    return err;
}

NTSTATUS NTAPI LsaOpenPolicy(PLSA_UNICODE_STRING SystemName, PLSA_OBJECT_ATTRIBUTES ObjectAttributes,
                             ACCESS_MASK DesiredAccess, PLSA_HANDLE PolicyHandle)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaOpenPolicy");
    fs_trace_number(&call.trace, "DesiredAccess", DesiredAccess);
    if (fs_call_proceed(&call))
        call.err = open_policy(SystemName, ObjectAttributes, DesiredAccess, PolicyHandle, call.api);
    if (fs_call_outputs(&call))
        fs_trace_handle(&call.trace, "PolicyHandle", (uintptr_t)*PolicyHandle);
    return fs_call_end_nt_status(&call);
}

NTSTATUS NTAPI LsaClose(LSA_HANDLE ObjectHandle)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaClose");
    fs_trace_handle(&call.trace, "ObjectHandle", (uintptr_t)ObjectHandle);
    if (fs_call_proceed(&call))
        call.err = fs_handle_close(fs_handle_key((uintptr_t)ObjectHandle), &fs_lsa_policy_ops, call.api);
    return fs_call_end_nt_status(&call);
}

/* The policy behind h with the access `need`: FS_E_INVALID_HANDLE (reported) or FS_E_ACCESS_DENIED. */
static fs_err policy(LSA_HANDLE h, DWORD need, const char *api)
{
    struct fs_object *obj;
    fs_err err = fs_handle_get(fs_handle_key((uintptr_t)h), &fs_lsa_policy_ops, need, api, &obj, NULL);
    if (err == FS_OK)
        fs_object_unref(obj);
    return err;
}

static size_t wide_bytes(const char *text) { return (fs_api_text_units(text, 1) + 1) * sizeof(WCHAR); }

/* Writes text into *cursor as a LSA_UNICODE_STRING's buffer (NUL-terminated, MaximumLength counting the NUL). */
static void put_string(LSA_UNICODE_STRING *s, const char *text, BYTE **cursor)
{
    s->Buffer = (PWSTR)*cursor;
    *cursor = (BYTE *)fs_api_widen_into(text, s->Buffer, &s->Length);
    s->MaximumLength = (USHORT)(s->Length + sizeof(WCHAR));
}

static PSID put_sid(const struct fs_sid *sid, BYTE **cursor)
{
    size_t n = fs_sid_length(sid);
    memcpy(*cursor, sid, n);
    PSID at = *cursor;
    *cursor += n;
    return at;
}

static void put_guid(const uint8_t bytes[16], GUID *g)
{
    /* The domain keeps the GUID as RFC 4122 bytes; GUID's first three fields are little-endian numbers. */
    g->Data1 = (ULONG)bytes[0] << 24 | (ULONG)bytes[1] << 16 | (ULONG)bytes[2] << 8 | bytes[3];
    g->Data2 = (USHORT)(bytes[4] << 8 | bytes[5]);
    g->Data3 = (USHORT)(bytes[6] << 8 | bytes[7]);
    memcpy(g->Data4, bytes + 8, 8);
}

/* The fake host is the domain's controller: its account domain and primary domain are both the fake domain, as
 * LookupAccountName with no name answers (doc/semantics.md §37, §44). */
static fs_err domain_information(const struct fs_domain *d, POLICY_INFORMATION_CLASS cls, const char *api, void **out)
{
    size_t sid_len = fs_sid_length(&d->sid);
    size_t size, strings = wide_bytes(d->netbios);
    if (cls == PolicyDnsDomainInformation)
        strings += 2 * wide_bytes(d->dns);
    size = (cls == PolicyDnsDomainInformation ? sizeof(POLICY_DNS_DOMAIN_INFO) : sizeof(POLICY_ACCOUNT_DOMAIN_INFO)) +
           sid_len + strings;
    BYTE *block = LSA_ALLOC(size, api);
    if (!block)
        return FS_E_NOMEM;
    if (cls == PolicyDnsDomainInformation) {
        POLICY_DNS_DOMAIN_INFO *info = (POLICY_DNS_DOMAIN_INFO *)block;
        BYTE *cursor = block + sizeof *info;
        info->Sid = put_sid(&d->sid, &cursor);
        put_string(&info->Name, d->netbios, &cursor);
        put_string(&info->DnsDomainName, d->dns, &cursor);
        put_string(&info->DnsForestName, d->dns, &cursor);
        put_guid(d->guid, &info->DomainGuid);
    } else { /* POLICY_ACCOUNT_DOMAIN_INFO and POLICY_PRIMARY_DOMAIN_INFO have one layout */
        POLICY_ACCOUNT_DOMAIN_INFO *info = (POLICY_ACCOUNT_DOMAIN_INFO *)block;
        BYTE *cursor = block + sizeof *info;
        info->DomainSid = put_sid(&d->sid, &cursor);
        put_string(&info->DomainName, d->netbios, &cursor);
    }
    *out = block;
    return FS_OK;
}

static fs_err query_information(LSA_HANDLE h, POLICY_INFORMATION_CLASS cls, PVOID *buffer, const char *api)
{
    fs_err err = policy(h, 0, api);
    if (err != FS_OK)
        return err;
    if (!buffer || cls < PolicyAuditLogInformation || cls >= PolicyLastEntry)
        return FS_E_INVALID_PARAMETER;
    if (cls != PolicyAccountDomainInformation && cls != PolicyPrimaryDomainInformation &&
        cls != PolicyDnsDomainInformation)
        return FS_E_NOT_SUPPORTED;
    err = policy(h, POLICY_VIEW_LOCAL_INFORMATION, api);
    if (err != FS_OK)
        return err;
    const struct fs_domain *d = fs_domain_acquire();
    err = d ? domain_information(d, cls, api, buffer) : FS_E_DOMAIN_UNUSABLE;
    fs_domain_release();
    return err;
}

NTSTATUS NTAPI LsaQueryInformationPolicy(LSA_HANDLE PolicyHandle, POLICY_INFORMATION_CLASS InformationClass,
                                         PVOID *Buffer)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaQueryInformationPolicy");
    fs_trace_handle(&call.trace, "PolicyHandle", (uintptr_t)PolicyHandle);
    fs_trace_number(&call.trace, "InformationClass", (uint64_t)InformationClass);
    if (fs_call_proceed(&call))
        call.err = query_information(PolicyHandle, InformationClass, Buffer, call.api);
    return fs_call_end_nt_status(&call);
}

/* The lookups. Each name or SID resolves to an account (or none); the domains they belong to are listed once each
 * in LSA_REFERENCED_DOMAIN_LIST, in the order first met. */

struct resolved {
    int mapped;
    int use;           /* SID_NAME_USE */
    struct fs_sid sid; /* the account's SID */
    LONG domain;       /* index into the domain list, -1 for none */
    char name[256];    /* LsaLookupSids: the isolated name, the RID or the SID as text */
};

struct domains {
    struct fs_sid *sids;
    char (*names)[256];
    size_t n;
};

static LONG domain_index(struct domains *ds, const struct fs_sid *sid, const char *name)
{
    for (size_t i = 0; i < ds->n; i++)
        if (fs_sid_equal(&ds->sids[i], sid))
            return (LONG)i;
    ds->sids[ds->n] = *sid;
    snprintf(ds->names[ds->n], sizeof ds->names[0], "%s", name);
    return (LONG)ds->n++;
}

/* The domain an account is in: the domain itself for SidTypeDomain, else its SID without the last sub-authority
 * (NT AUTHORITY is S-1-5, Everyone's domain S-1-1 with the empty name). */
static LONG account_domain(struct domains *ds, const struct fs_account *acct)
{
    if (acct->use == SidTypeDomain)
        return domain_index(ds, &acct->sid, acct->name);
    struct fs_sid prefix = acct->sid;
    if (prefix.count)
        prefix.count--;
    return domain_index(ds, &prefix, acct->domain);
}

static fs_err domains_init(struct domains *ds, size_t count)
{
    ds->n = 0;
    ds->sids = fs_calloc(count ? count : 1, sizeof *ds->sids);
    ds->names = fs_calloc(count ? count : 1, sizeof *ds->names);
    return ds->sids && ds->names ? FS_OK : FS_E_NOMEM;
}

static void domains_free(struct domains *ds)
{
    free(ds->sids);
    free(ds->names);
}

/* One block: the list, its array, the SIDs, then the names. */
static LSA_REFERENCED_DOMAIN_LIST *pack_domains(const struct domains *ds, const char *api)
{
    size_t size = sizeof(LSA_REFERENCED_DOMAIN_LIST) + ds->n * sizeof(LSA_TRUST_INFORMATION);
    for (size_t i = 0; i < ds->n; i++)
        size += fs_sid_length(&ds->sids[i]) + wide_bytes(ds->names[i]);
    LSA_REFERENCED_DOMAIN_LIST *list = LSA_ALLOC(size, api);
    if (!list)
        return NULL;
    list->Entries = (ULONG)ds->n;
    list->Domains = ds->n ? (PLSA_TRUST_INFORMATION)(list + 1) : NULL;
    BYTE *cursor = (BYTE *)(list + 1) + ds->n * sizeof(LSA_TRUST_INFORMATION);
    for (size_t i = 0; i < ds->n; i++)
        list->Domains[i].Sid = put_sid(&ds->sids[i], &cursor);
    for (size_t i = 0; i < ds->n; i++)
        put_string(&list->Domains[i].Name, ds->names[i], &cursor);
    return list;
}

/* SUCCESS when every entry mapped, SOME_NOT_MAPPED when some did, NONE_MAPPED when none did. */
static fs_err lookup_outcome(const struct resolved *r, size_t n)
{
    size_t mapped = 0;
    for (size_t i = 0; i < n; i++)
        mapped += r[i].mapped != 0;
    return mapped == n ? FS_OK : mapped ? FS_I_SOME_NOT_MAPPED : FS_E_NONE_MAPPED;
}

/* FS_OK whether or not the name maps; only a failed allocation fails the lookup (STATUS_NO_MEMORY). */
static fs_err resolve_name(const LSA_UNICODE_STRING *s, struct domains *ds, struct resolved *r)
{
    r->mapped = 0;
    r->use = SidTypeUnknown;
    r->domain = -1;
    char *name = NULL;
    if (s->Length && !s->Buffer)
        return FS_OK;
    fs_err err = fs_api_narrow_counted(s->Buffer, s->Length / 2, &name);
    if (err != FS_OK)
        return err == FS_E_NOMEM ? err : FS_OK;
    struct fs_account acct;
    /* No name: the account domain, as LookupAccountName answers it (doc/semantics.md §37). */
    err = *name ? fs_account_by_name(name, &acct) : fs_account_domain(&acct);
    free(name);
    if (err != FS_OK)
        return err == FS_E_NOMEM ? err : FS_OK;
    r->mapped = 1;
    r->use = acct.use;
    r->sid = acct.sid;
    r->domain = account_domain(ds, &acct);
    return FS_OK;
}

/* The two answers of a name lookup: LSA_TRANSLATED_SID (LsaLookupNames: the RID, relative to the domain at
 * DomainIndex) or LSA_TRANSLATED_SID2 (LsaLookupNames2: the whole SID, after the array in the same block). */
enum sid_form { SIDS_RELATIVE, SIDS_WHOLE };

/* A domain has no RID of its own: 0xFFFFFFFF; an unmapped name has 0 (doc/semantics.md §48). */
static ULONG relative_id(const struct resolved *r)
{
    if (!r->mapped)
        return 0;
    if (r->use == SidTypeDomain || r->sid.count == 0)
        return 0xFFFFFFFFu;
    return r->sid.sub[r->sid.count - 1];
}

static void *pack_sids(const struct resolved *r, ULONG count, enum sid_form form, const char *api)
{
    size_t size = count * (form == SIDS_WHOLE ? sizeof(LSA_TRANSLATED_SID2) : sizeof(LSA_TRANSLATED_SID));
    for (ULONG i = 0; form == SIDS_WHOLE && i < count; i++)
        if (r[i].mapped)
            size += fs_sid_length(&r[i].sid);
    void *block = LSA_ALLOC(size, api);
    if (!block)
        return NULL;
    if (form == SIDS_RELATIVE) {
        LSA_TRANSLATED_SID *sids = block;
        for (ULONG i = 0; i < count; i++) {
            sids[i].Use = (SID_NAME_USE)r[i].use;
            sids[i].RelativeId = relative_id(&r[i]);
            sids[i].DomainIndex = r[i].domain;
        }
        return block;
    }
    LSA_TRANSLATED_SID2 *sids = block;
    BYTE *cursor = (BYTE *)(sids + count);
    for (ULONG i = 0; i < count; i++) {
        sids[i].Use = (SID_NAME_USE)r[i].use;
        sids[i].Sid = r[i].mapped ? put_sid(&r[i].sid, &cursor) : NULL;
        sids[i].DomainIndex = r[i].domain;
        sids[i].Flags = 0;
    }
    return block;
}

static fs_err lookup_names(LSA_HANDLE h, ULONG count, const LSA_UNICODE_STRING *names, enum sid_form form,
                           PLSA_REFERENCED_DOMAIN_LIST *domains_out, void **sids_out, const char *api)
{
    fs_err err = policy(h, POLICY_LOOKUP_NAMES, api);
    if (err != FS_OK)
        return err;
    if (!names || !domains_out || !sids_out || count == 0)
        return FS_E_INVALID_PARAMETER;
    if (count > MAX_NAMES)
        return FS_E_TOO_MANY_NAMES;
    struct resolved *r = fs_calloc(count, sizeof *r);
    struct domains ds;
    err = domains_init(&ds, count);
    if (err != FS_OK || !r) {
        free(r);
        domains_free(&ds);
        return FS_E_NOMEM;
    }
    for (ULONG i = 0; i < count && err == FS_OK; i++)
        err = resolve_name(&names[i], &ds, &r[i]);
    void *sids = err == FS_OK ? pack_sids(r, count, form, api) : NULL;
    LSA_REFERENCED_DOMAIN_LIST *list = sids ? pack_domains(&ds, api) : NULL;
    if (!list) {
        fs_mem_discard(sids, FS_MEM_LSA, api);
        err = FS_E_NOMEM;
    } else {
        /* Handed out even when nothing mapped: the caller frees both (MSDN). */
        *domains_out = list;
        *sids_out = sids;
        err = lookup_outcome(r, count);
    }
    free(r);
    domains_free(&ds);
    return err;
}

NTSTATUS NTAPI LsaLookupNames(LSA_HANDLE PolicyHandle, ULONG Count, PLSA_UNICODE_STRING Names,
                              PLSA_REFERENCED_DOMAIN_LIST *ReferencedDomains, PLSA_TRANSLATED_SID *Sids)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaLookupNames");
    fs_trace_handle(&call.trace, "PolicyHandle", (uintptr_t)PolicyHandle);
    fs_trace_number(&call.trace, "Count", Count);
    if (fs_call_proceed(&call))
        call.err = lookup_names(PolicyHandle, Count, Names, SIDS_RELATIVE, ReferencedDomains, (void **)Sids, call.api);
    return fs_call_end_nt_status(&call);
}

NTSTATUS NTAPI LsaLookupNames2(LSA_HANDLE PolicyHandle, ULONG Flags, ULONG Count, PLSA_UNICODE_STRING Names,
                               PLSA_REFERENCED_DOMAIN_LIST *ReferencedDomains, PLSA_TRANSLATED_SID2 *Sids)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaLookupNames2");
    fs_trace_handle(&call.trace, "PolicyHandle", (uintptr_t)PolicyHandle);
    fs_trace_number(&call.trace, "Flags", Flags); /* LSA_LOOKUP_ISOLATED_AS_LOCAL and the rest change nothing here */
    fs_trace_number(&call.trace, "Count", Count);
    if (fs_call_proceed(&call))
        call.err = lookup_names(PolicyHandle, Count, Names, SIDS_WHOLE, ReferencedDomains, (void **)Sids, call.api);
    return fs_call_end_nt_status(&call);
}

static void resolve_sid(const struct fs_sid *sid, struct domains *ds, struct resolved *r)
{
    struct fs_account acct;
    r->sid = *sid;
    if (fs_account_by_sid(sid, &acct) == FS_OK) {
        r->mapped = 1;
        r->use = acct.use;
        r->domain = account_domain(ds, &acct);
        snprintf(r->name, sizeof r->name, "%s", acct.name);
        return;
    }
    /* Not mapped: in a known domain, the RID and the domain; else the whole SID as text, no domain (MSDN,
     * LsaLookupSids). */
    r->mapped = 0;
    r->use = SidTypeUnknown;
    r->domain = -1;
    struct fs_sid prefix = *sid;
    struct fs_account dom;
    if (sid->count) {
        prefix.count--;
        if (fs_account_by_sid(&prefix, &dom) == FS_OK && dom.use == SidTypeDomain) {
            r->domain = domain_index(ds, &prefix, dom.name);
            snprintf(r->name, sizeof r->name, "%u", (unsigned)sid->sub[sid->count - 1]);
            return;
        }
    }
    fs_sid_format(sid, r->name, sizeof r->name);
}

static fs_err lookup_sids(LSA_HANDLE h, ULONG count, PSID *in, PLSA_REFERENCED_DOMAIN_LIST *domains_out,
                          PLSA_TRANSLATED_NAME *names_out, const char *api)
{
    fs_err err = policy(h, POLICY_LOOKUP_NAMES, api);
    if (err != FS_OK)
        return err;
    if (!in || !domains_out || !names_out || count == 0 || count > MAX_SIDS)
        return FS_E_INVALID_PARAMETER;
    for (ULONG i = 0; i < count; i++)
        if (!fs_sid_is_valid(in[i]))
            return in[i] ? FS_E_INVALID_SID : FS_E_INVALID_PARAMETER;
    struct resolved *r = fs_calloc(count, sizeof *r);
    struct domains ds;
    err = domains_init(&ds, count);
    if (err != FS_OK || !r) {
        free(r);
        domains_free(&ds);
        return FS_E_NOMEM;
    }
    size_t size = count * sizeof(LSA_TRANSLATED_NAME);
    for (ULONG i = 0; i < count; i++) {
        struct fs_sid sid;
        fs_sid_copy_in(&sid, in[i]);
        resolve_sid(&sid, &ds, &r[i]);
        size += wide_bytes(r[i].name);
    }
    LSA_TRANSLATED_NAME *names = LSA_ALLOC(size, api);
    LSA_REFERENCED_DOMAIN_LIST *list = names ? pack_domains(&ds, api) : NULL;
    if (!list) {
        fs_mem_discard(names, FS_MEM_LSA, api);
        err = FS_E_NOMEM;
    } else {
        BYTE *cursor = (BYTE *)(names + count);
        for (ULONG i = 0; i < count; i++) {
            names[i].Use = (SID_NAME_USE)r[i].use;
            put_string(&names[i].Name, r[i].name, &cursor);
            names[i].DomainIndex = r[i].domain;
        }
        *domains_out = list;
        *names_out = names;
        err = lookup_outcome(r, count);
    }
    free(r);
    domains_free(&ds);
    return err;
}

NTSTATUS NTAPI LsaLookupSids(LSA_HANDLE PolicyHandle, ULONG Count, PSID *Sids,
                             PLSA_REFERENCED_DOMAIN_LIST *ReferencedDomains, PLSA_TRANSLATED_NAME *Names)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaLookupSids");
    fs_trace_handle(&call.trace, "PolicyHandle", (uintptr_t)PolicyHandle);
    fs_trace_number(&call.trace, "Count", Count);
    if (fs_call_proceed(&call))
        call.err = lookup_sids(PolicyHandle, Count, Sids, ReferencedDomains, Names, call.api);
    return fs_call_end_nt_status(&call);
}

/* LsaLookupSids with LookupOptions: LSA_LOOKUP_PREFER_INTERNET_NAMES and
 * LSA_LOOKUP_DISALLOW_CONNECTED_ACCOUNT_INTERNET_SID concern Microsoft accounts, which the fake domain has none of,
 * so the answer is LsaLookupSids' (doc/semantics.md §48). */
NTSTATUS NTAPI LsaLookupSids2(LSA_HANDLE PolicyHandle, ULONG LookupOptions, ULONG Count, PSID *Sids,
                              PLSA_REFERENCED_DOMAIN_LIST *ReferencedDomains, PLSA_TRANSLATED_NAME *Names)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaLookupSids2");
    fs_trace_handle(&call.trace, "PolicyHandle", (uintptr_t)PolicyHandle);
    fs_trace_number(&call.trace, "LookupOptions", LookupOptions);
    fs_trace_number(&call.trace, "Count", Count);
    if (fs_call_proceed(&call))
        call.err = lookup_sids(PolicyHandle, Count, Sids, ReferencedDomains, Names, call.api);
    return fs_call_end_nt_status(&call);
}
