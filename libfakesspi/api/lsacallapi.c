/* LsaCallAuthenticationPackage: the Kerberos package's ticket-cache messages (what klist sends) over the
 * client's service-ticket cache of packages/kerberos (doc/semantics.md §51). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "core/alloc.h"
#include "core/handles.h"
#include "core/memtrack.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/kerberos/krb_ticket_cache.h"
#include "security/domain_current.h"
#include "security/identity.h"
#include "security/lsa.h"
#include "security/privileges.h"

/* One ticket as collected under the cache's lock: the visit may not call back into the package, so the answer
 * is built after the walk, from copies. */
struct listed {
    char *server;
    uint64_t start, end, renew;
    int32_t etype;
    uint32_t flags;
};

struct listing {
    struct listed *items;
    size_t n, cap;
    int failed;
};

static void listing_free(struct listing *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].server);
    free(l->items);
}

static int collect(const struct krb_ticket_cache_entry *e, void *arg)
{
    struct listing *l = arg;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        struct listed *grown = fs_realloc(l->items, cap * sizeof *grown);
        if (!grown) {
            l->failed = 1;
            return 1;
        }
        l->items = grown;
        l->cap = cap;
    }
    char *server = fs_strdup(e->server);
    if (!server) {
        l->failed = 1;
        return 1;
    }
    /* The ticket is encrypted in the service key's type: the session key's here (doc/semantics.md §49). */
    l->items[l->n++] = (struct listed){server, e->ticket->starttime, e->ticket->endtime, e->ticket->renew_till,
                                       e->ticket->session_key.etype, e->ticket->flags};
    return 0;
}

/* The caller's own logon session (LogonId 0, or its own LUID) is always its to read; another session's needs
 * SeTcbPrivilege (a trusted connection holds it, LsaRegisterLogonProcess demands it), as MSDN says of
 * KERB_QUERY_TKT_CACHE_REQUEST. No session at all when the process runs as no user. */
static fs_err session_of(const LUID *requested, const struct fs_lsa_connection *c, uint64_t *out)
{
    struct fs_token *self = fs_effective_token();
    if (!self)
        return FS_E_NO_SUCH_LOGON_SESSION;
    uint64_t own = self->auth_id, want = (uint64_t)(uint32_t)requested->HighPart << 32 | requested->LowPart;
    int tcb = fs_token_has_enabled_privilege(self, fs_privilege_luid("SeTcbPrivilege"));
    fs_token_unref(self);
    if (want == 0 || want == own) {
        *out = own;
        return FS_OK;
    }
    if (!c->trusted && !tcb)
        return FS_E_ACCESS_DENIED;
    *out = want;
    return FS_OK;
}

static ULONG text_bytes(const char *s) { return (ULONG)(fs_api_text_units(s, 1) + 1) * sizeof(WCHAR); }

/* KERB_QUERY_TKT_CACHE_RESPONSE in one block: the array, then every name's text. */
static fs_err query_cache(uint64_t session, const char *api, void **out, ULONG *length)
{
    struct listing l = {0};
    krb_ticket_cache_enumerate(session, 0, collect, &l);
    char realm[256] = "";
    const struct fs_domain *d = fs_domain_acquire();
    if (d)
        krb_realm(d, realm, sizeof realm);
    fs_domain_release();
    fs_err err = l.failed ? FS_E_NOMEM : FS_OK;
    size_t size = offsetof(KERB_QUERY_TKT_CACHE_RESPONSE, Tickets) + l.n * sizeof(KERB_TICKET_CACHE_INFO);
    for (size_t i = 0; err == FS_OK && i < l.n; i++)
        size += text_bytes(l.items[i].server) + text_bytes(realm);
    KERB_QUERY_TKT_CACHE_RESPONSE *r = err == FS_OK ? fs_mem_alloc(FS_MEM_LSA_RETURN, size, 1, api) : NULL;
    if (err == FS_OK && !r)
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        r->MessageType = KerbQueryTicketCacheMessage;
        r->CountOfTickets = (ULONG)l.n;
        WCHAR *text = (WCHAR *)&r->Tickets[l.n];
        for (size_t i = 0; i < l.n; i++) {
            KERB_TICKET_CACHE_INFO *t = &r->Tickets[i];
            t->ServerName.Buffer = text;
            text = fs_api_widen_into(l.items[i].server, text, &t->ServerName.Length);
            t->ServerName.MaximumLength = (USHORT)(t->ServerName.Length + sizeof(WCHAR));
            t->RealmName.Buffer = text;
            text = fs_api_widen_into(realm, text, &t->RealmName.Length);
            t->RealmName.MaximumLength = (USHORT)(t->RealmName.Length + sizeof(WCHAR));
            t->StartTime.QuadPart = (LONGLONG)l.items[i].start;
            t->EndTime.QuadPart = (LONGLONG)l.items[i].end;
            t->RenewTime.QuadPart = (LONGLONG)l.items[i].renew;
            t->EncryptionType = l.items[i].etype;
            t->TicketFlags = l.items[i].flags;
        }
        *out = r;
        *length = (ULONG)size;
    }
    listing_free(&l);
    return err;
}

/* KerbPurgeTicketCacheMessage: both names empty forget every ticket of the session; a ServerName forgets that
 * service's (its RealmName, when given, must be this domain's realm: no other realm's tickets are ever held). */
static fs_err purge_cache(uint64_t session, const KERB_PURGE_TKT_CACHE_REQUEST *req, ULONG size)
{
    char *server, *realm;
    fs_err err = fs_api_submitted_string(req, size, &req->ServerName, &server);
    if (err != FS_OK)
        return err;
    if ((err = fs_api_submitted_string(req, size, &req->RealmName, &realm)) != FS_OK) {
        free(server);
        return err;
    }
    krb_ticket_cache_purge(session, 0, *server ? server : NULL);
    free(server);
    free(realm);
    return FS_OK;
}

/* The package's answer goes to *protocol; the function's own result says only whether the call reached it. */
static fs_err call_package(HANDLE h, ULONG package, const void *submit, ULONG size, void **out, ULONG *length,
                           NTSTATUS *protocol, const char *api)
{
    struct fs_object *obj;
    fs_err err = fs_handle_get(fs_handle_key((uintptr_t)h), &fs_lsa_connection_ops, 0, api, &obj, NULL);
    if (err != FS_OK)
        return err;
    struct fs_lsa_connection *c = (struct fs_lsa_connection *)obj;
    if (!out || !length || !protocol)
        err = FS_E_INVALID_PARAMETER;
    else if (package >= FS_LSA_PACKAGE_COUNT)
        err = FS_E_NO_SUCH_PACKAGE;
    if (err != FS_OK) {
        fs_object_unref(obj);
        return err;
    }
    *out = NULL;
    *length = 0;
    fs_err answer;
    const KERB_QUERY_TKT_CACHE_REQUEST *head = submit;
    uint64_t session = 0;
    if (package != FS_LSA_PACKAGE_KERBEROS || !submit || size < sizeof(KERB_PROTOCOL_MESSAGE_TYPE))
        answer = package == FS_LSA_PACKAGE_KERBEROS ? FS_E_INVALID_PARAMETER : FS_E_NOT_SUPPORTED;
    else if (head->MessageType != KerbQueryTicketCacheMessage && head->MessageType != KerbPurgeTicketCacheMessage)
        answer = FS_E_NOT_SUPPORTED;
    else if (size < (head->MessageType == KerbQueryTicketCacheMessage ? sizeof(KERB_QUERY_TKT_CACHE_REQUEST)
                                                                      : sizeof(KERB_PURGE_TKT_CACHE_REQUEST)))
        answer = FS_E_INVALID_PARAMETER;
    else if ((answer = session_of(&head->LogonId, c, &session)) == FS_OK)
        answer = head->MessageType == KerbQueryTicketCacheMessage ? query_cache(session, api, out, length)
                                                                  : purge_cache(session, submit, size);
    fs_object_unref(obj);
    /* Running out of memory is the call's failure; the rest is the package's answer. */
    if (answer == FS_E_NOMEM)
        return FS_E_NOMEM;
    *protocol = fs_nt_status(answer);
    return FS_OK;
}

NTSTATUS NTAPI LsaCallAuthenticationPackage(HANDLE LsaHandle, ULONG AuthenticationPackage, PVOID ProtocolSubmitBuffer,
                                            ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                            PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    struct fs_call call;
    fs_call_begin(&call, "LsaCallAuthenticationPackage");
    fs_trace_handle(&call.trace, "LsaHandle", (uintptr_t)LsaHandle);
    fs_trace_number(&call.trace, "AuthenticationPackage", AuthenticationPackage);
    if (ProtocolSubmitBuffer && SubmitBufferLength >= sizeof(KERB_PROTOCOL_MESSAGE_TYPE))
        fs_trace_number(&call.trace, "MessageType", *(const ULONG *)ProtocolSubmitBuffer);
    if (fs_call_proceed(&call))
        call.err = call_package(LsaHandle, AuthenticationPackage, ProtocolSubmitBuffer, SubmitBufferLength,
                                ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus, call.api);
    if (fs_call_outputs(&call)) {
        fs_trace_number(&call.trace, "ReturnBufferLength", *ReturnBufferLength);
        fs_trace_number(&call.trace, "ProtocolStatus", (uint32_t)*ProtocolStatus);
    }
    return fs_call_end_nt_status(&call);
}
