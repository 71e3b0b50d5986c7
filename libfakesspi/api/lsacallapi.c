/* LsaCallAuthenticationPackage: the Kerberos package's ticket-cache messages (what klist sends) over the
 * client's service-ticket cache of packages/kerberos (doc/semantics.md §51). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "sechandle.h"
#include "ntsecapi.h"
#include "ntstatus.h"
#include "core/alloc.h"
#include "core/handles.h"
#include "core/memtrack.h"
#include "core/utf.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/kerberos/krb_retrieve.h"
#include "packages/kerberos/krb_tgt.h"
#include "packages/kerberos/krb_ticket_cache.h"
#include "security/domain_current.h"
#include "security/identity.h"
#include "security/logon_session.h"
#include "security/lsa.h"
#include "security/privileges.h"

/* One ticket as collected under the cache's lock: the visit may not call back into the package, so the answer
 * is built after the walk, from copies. */
struct listed {
    char *client, *server;
    char server_realm[256];     /* a trusted domain's realm (doc/semantics.md §76); "": the domain's */
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
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].client);
        free(l->items[i].server);
    }
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
    char *client = fs_strdup(e->client), *server = fs_strdup(e->server);
    if (!client || !server) {
        free(client);
        free(server);
        l->failed = 1;
        return 1;
    }
    /* The ticket is encrypted in the service key's type: the session key's here (doc/semantics.md §49). */
    l->items[l->n] = (struct listed){client, server, "", e->ticket->starttime, e->ticket->endtime,
                                     e->ticket->renew_till, e->ticket->session_key.etype, e->ticket->flags};
    snprintf(l->items[l->n++].server_realm, sizeof l->items[0].server_realm, "%s",
             e->server_realm ? e->server_realm : "");
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

/* An answer block, laid out twice by the same calls: with no base they only count its bytes, then they write. */
struct block {
    uint8_t *base;
    size_t at;
};

static void *block_take(struct block *b, size_t n)
{
    void *p = b->base ? b->base + b->at : NULL;
    b->at += n;
    return p;
}

/* text into the block, s naming it. */
static void block_text(struct block *b, const char *text, UNICODE_STRING *s)
{
    WCHAR *w = block_take(b, text_bytes(text));
    if (w) {
        s->Buffer = w;
        fs_api_widen_into(text, w, &s->Length);
        s->MaximumLength = (USHORT)(s->Length + sizeof(WCHAR));
    }
}

/* KERB_TICKET_CACHE_INFO_EX3's CacheFlags of the logon session's own TGT. */
#define KERB_CACHE_FLAG_PRIMARY 0x1u

/* What each query message answers with: one array element's size. */
static size_t ticket_info_size(KERB_PROTOCOL_MESSAGE_TYPE type)
{
    switch ((ULONG)type) {
    case KerbQueryTicketCacheExMessage:
        return sizeof(KERB_TICKET_CACHE_INFO_EX);
    case KerbQueryTicketCacheEx2Message:
        return sizeof(KERB_TICKET_CACHE_INFO_EX2);
    case KerbQueryTicketCacheEx3Message:
        return sizeof(KERB_TICKET_CACHE_INFO_EX3);
    default:
        return sizeof(KERB_TICKET_CACHE_INFO);
    }
}

/* One ticket's element. The Ex, Ex2 and Ex3 elements share their leading members, so each is the prefix of an
 * Ex3 element (Ex2's last four bytes are padding where Ex3 has BranchId). No KDC is ever called: KdcCalled is
 * empty. A service ticket has no cache flags; the TGT is the session's primary one, klist's "Cache Flags: 0x1 ->
 * PRIMARY" (doc/semantics.md §62). */
static void write_ticket_info(struct block *b, KERB_PROTOCOL_MESSAGE_TYPE type, void *element,
                              const struct listed *t, const char *realm)
{
    /* A service ticket of a trusted domain is of its realm, as klist shows it; the client and a referral TGT
     * (krbtgt/OTHER.TEST) are of the client's (doc/semantics.md §76). */
    const char *server_realm = t->server_realm[0] ? t->server_realm : realm;
    char own_tgt[300];
    snprintf(own_tgt, sizeof own_tgt, "krbtgt/%s", realm);
    if (type == KerbQueryTicketCacheMessage) {
        KERB_TICKET_CACHE_INFO i = {.StartTime.QuadPart = (LONGLONG)t->start,
                                    .EndTime.QuadPart = (LONGLONG)t->end,
                                    .RenewTime.QuadPart = (LONGLONG)t->renew,
                                    .EncryptionType = t->etype,
                                    .TicketFlags = t->flags};
        block_text(b, t->server, &i.ServerName);
        block_text(b, server_realm, &i.RealmName);
        if (element)
            memcpy(element, &i, sizeof i);
        return;
    }
    KERB_TICKET_CACHE_INFO_EX3 i = {.StartTime.QuadPart = (LONGLONG)t->start,
                                    .EndTime.QuadPart = (LONGLONG)t->end,
                                    .RenewTime.QuadPart = (LONGLONG)t->renew,
                                    .EncryptionType = t->etype,
                                    .TicketFlags = t->flags,
                                    .SessionKeyType = (ULONG)t->etype,
                                    .CacheFlags = fs_ascii_casecmp(t->server, own_tgt) ? 0 : KERB_CACHE_FLAG_PRIMARY};
    block_text(b, t->client, &i.ClientName);
    block_text(b, realm, &i.ClientRealm);
    block_text(b, t->server, &i.ServerName);
    block_text(b, server_realm, &i.ServerRealm);
    if (type == KerbQueryTicketCacheEx3Message)
        block_text(b, "", &i.KdcCalled);
    if (element)
        memcpy(element, &i, ticket_info_size(type));
}

/* KERB_QUERY_TKT_CACHE_RESPONSE and its Ex, Ex2 and Ex3 forms in one block: the array, then every name's text. */
static void write_query(struct block *b, KERB_PROTOCOL_MESSAGE_TYPE type, const struct listing *l, const char *realm)
{
    size_t element = ticket_info_size(type);
    KERB_QUERY_TKT_CACHE_RESPONSE *r = block_take(b, offsetof(KERB_QUERY_TKT_CACHE_RESPONSE, Tickets));
    uint8_t *array = block_take(b, l->n * element);
    if (r) {
        r->MessageType = type;
        r->CountOfTickets = (ULONG)l->n;
    }
    for (size_t i = 0; i < l->n; i++)
        write_ticket_info(b, type, array ? array + i * element : NULL, &l->items[i], realm);
}

static fs_err session_identity(uint64_t session, struct fs_identity *id);
static void identity_clear(struct fs_identity *id);

static fs_err query_cache(uint64_t session, KERB_PROTOCOL_MESSAGE_TYPE type, const char *api, void **out,
                          ULONG *length)
{
    /* A logon with a password holds its TGT from the start, as klist shows it (doc/semantics.md §70). */
    struct fs_identity id = {0};
    if (session_identity(session, &id) == FS_OK)
        krb_tgt_logon(&id);
    identity_clear(&id);
    struct listing l = {0};
    krb_ticket_cache_enumerate(session, 0, collect, &l);
    char realm[256] = "";
    const struct fs_domain *d = fs_domain_acquire();
    if (d)
        krb_realm(d, realm, sizeof realm);
    fs_domain_release();
    fs_err err = l.failed ? FS_E_NOMEM : FS_OK;
    struct block b = {NULL, 0};
    if (err == FS_OK) {
        write_query(&b, type, &l, realm);
        b.base = fs_mem_alloc(FS_MEM_LSA_RETURN, b.at, 1, api);
        if (!b.base)
            err = FS_E_NOMEM;
    }
    if (err == FS_OK) {
        *length = (ULONG)b.at;
        b.at = 0;
        write_query(&b, type, &l, realm);
        *out = b.base;
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

/* The Kerberos identity of a logon session, as InitializeSecurityContext's default credentials have it: the
 * session user's account and the key the domain holds for it (doc/semantics.md §49). */
static fs_err session_identity(uint64_t session, struct fs_identity *id)
{
    struct fs_logon_session_info info;
    fs_err err = fs_logon_session_query(session, &info);
    if (err != FS_OK)
        return err;
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d ? fs_domain_find_user_by_sid(d, &info.sid) : NULL;
    if (!u || !fs_domain_user_nt_hash(d, u, id->nt_hash)) {
        err = FS_E_NO_CREDENTIALS;
    } else {
        id->user = fs_strdup(u->name);
        id->domain = fs_strdup(d->netbios);
        id->has_secret = 1;
        id->logon_id = session;
        /* A network logon keeps no password: no TGT of its own (doc/semantics.md §62, §70). */
        id->network_logon = info.logon_type == LOGON32_LOGON_NETWORK;
        if (!id->user || !id->domain)
            err = FS_E_NOMEM;
    }
    fs_domain_release();
    fs_logon_session_info_free(&info);
    return err;
}

static void identity_clear(struct fs_identity *id)
{
    free(id->user);
    free(id->domain);
    explicit_bzero(id, sizeof *id);
}

/* KERB_EXTERNAL_NAME of name's '/'-separated parts: the structure where names go (all of them before any text,
 * for their alignment), its texts with the block's other texts. */
static size_t name_parts(const char *name)
{
    size_t n = 1;
    for (; *name; name++)
        n += *name == '/';
    return n;
}

static KERB_EXTERNAL_NAME *block_name(struct block *b, const char *name)
{
    return block_take(b, offsetof(KERB_EXTERNAL_NAME, Names) + name_parts(name) * sizeof(UNICODE_STRING));
}

static void block_name_texts(struct block *b, KERB_EXTERNAL_NAME *n, SHORT type, const char *name)
{
    UNICODE_STRING ignored;
    if (n) {
        n->NameType = type;
        n->NameCount = (USHORT)name_parts(name);
    }
    for (size_t i = 0;; i++) {
        const char *slash = strchr(name, '/');
        size_t len = slash ? (size_t)(slash - name) : strlen(name);
        char part[512];
        snprintf(part, sizeof part, "%.*s", (int)(len < sizeof part ? len : sizeof part - 1), name);
        block_text(b, part, n ? &n->Names[i] : &ignored);
        if (!slash)
            break;
        name = slash + 1;
    }
}

/* KERB_RETRIEVE_TKT_RESPONSE in one block: the ticket, its three names, their texts and the domain's, then the
 * session key and the DER Ticket. */
static void write_retrieved(struct block *b, const struct krb_retrieved *t, const char *target)
{
    KERB_RETRIEVE_TKT_RESPONSE *r = block_take(b, sizeof *r);
    KERB_EXTERNAL_NAME *service = block_name(b, t->service), *asked = block_name(b, target),
                       *client = block_name(b, t->client);
    KERB_EXTERNAL_TICKET x = {.SessionKey = {t->t.session_key.etype, (ULONG)t->t.session_key.len, NULL},
                              .TicketFlags = t->t.flags,
                              .KeyExpirationTime.QuadPart = (LONGLONG)t->t.endtime,
                              .StartTime.QuadPart = (LONGLONG)t->t.starttime,
                              .EndTime.QuadPart = (LONGLONG)t->t.endtime,
                              .RenewUntil.QuadPart = (LONGLONG)t->t.renew_till,
                              .EncodedTicketSize = (ULONG)t->ticket.len};
    int32_t service_type = strchr(t->service, '/') ? KRB_NT_SRV_INST : KRB_NT_PRINCIPAL;
    block_name_texts(b, service, (SHORT)service_type, t->service);
    block_name_texts(b, asked, (SHORT)service_type, target);
    block_name_texts(b, client, KRB_NT_PRINCIPAL, t->client);
    /* The domain that issued the ticket and where it is valid: for a service of a trusted domain, that domain's
     * (doc/semantics.md §76). */
    const char *server_realm = t->server_realm[0] ? t->server_realm : t->realm;
    block_text(b, server_realm, &x.DomainName);
    block_text(b, server_realm, &x.TargetDomainName);
    block_text(b, server_realm, &x.AltTargetDomainName);
    x.SessionKey.Value = block_take(b, t->t.session_key.len);
    x.EncodedTicket = block_take(b, t->ticket.len);
    if (r) {
        memcpy(x.SessionKey.Value, t->t.session_key.bytes, t->t.session_key.len);
        memcpy(x.EncodedTicket, t->ticket.data, t->ticket.len);
        x.ServiceName = service;
        x.TargetName = asked;
        x.ClientName = client;
        r->Ticket = x;
    }
}

/* The options the emulator takes; the rest (a KRB-CRED answer, a ticket of another encryption type, the
 * longest lifetime) it does not emulate. A ticket asked for with options other than these, flags or an
 * encryption type is not kept, as Microsoft documents the request. */
#define RETRIEVE_OPTIONS (KERB_RETRIEVE_TICKET_DONT_USE_CACHE | KERB_RETRIEVE_TICKET_USE_CACHE_ONLY | \
                          KERB_RETRIEVE_TICKET_USE_CREDHANDLE | KERB_RETRIEVE_TICKET_CACHE_TICKET)

static unsigned retrieve_how(const KERB_RETRIEVE_TKT_REQUEST *req)
{
    unsigned how = 0;
    if (req->CacheOptions & KERB_RETRIEVE_TICKET_DONT_USE_CACHE)
        how |= KRB_RETRIEVE_FRESH;
    if (req->CacheOptions & KERB_RETRIEVE_TICKET_USE_CACHE_ONLY)
        how |= KRB_RETRIEVE_CACHED_ONLY;
    ULONG options = req->CacheOptions & ~(ULONG)KERB_RETRIEVE_TICKET_USE_CREDHANDLE;
    if ((options == 0 || options == KERB_RETRIEVE_TICKET_CACHE_TICKET) && req->TicketFlags == 0 &&
        req->EncryptionType == KERB_ETYPE_DEFAULT)
        how |= KRB_RETRIEVE_KEEP;
    return how;
}

/* Whose ticket: the credential handle's identity with KERB_RETRIEVE_TICKET_USE_CREDHANDLE (a Kerberos or
 * Negotiate outbound credential), else the logon session's. */
static fs_err retrieve_identity(const KERB_RETRIEVE_TKT_REQUEST *req, const struct fs_lsa_connection *c,
                                const char *api, struct fs_identity *id)
{
    if (!(req->CacheOptions & KERB_RETRIEVE_TICKET_USE_CREDHANDLE)) {
        uint64_t session;
        fs_err err = session_of(&req->LogonId, c, &session);
        return err == FS_OK ? session_identity(session, id) : err;
    }
    struct fs_credential *cred;
    SecHandle h = req->CredentialsHandle;
    fs_err err = fs_api_credential(&h, api, &cred);
    if (err != FS_OK)
        return err;
    if (cred->pkg != fs_package_find("Kerberos") && cred->pkg != fs_package_find("Negotiate"))
        err = FS_E_INVALID_HANDLE;
    else if (!(cred->use & SECPKG_CRED_OUTBOUND) || !cred->id.has_secret)
        err = FS_E_NO_CREDENTIALS;
    if (err == FS_OK) {
        *id = cred->id;
        id->user = fs_strdup(cred->id.user);
        id->domain = fs_strdup(cred->id.domain);
        if (!id->user || !id->domain)
            err = FS_E_NOMEM;
    }
    fs_object_unref(&cred->base);
    return err;
}

/* The session's ticket-granting ticket: krbtgt/REALM (any case, "@REALM" optional) or krbtgt (doc/semantics.md §70). */
static int names_tgt(const char *target)
{
    return !fs_ascii_ncasecmp(target, "krbtgt/", 7) || !fs_ascii_casecmp(target, "krbtgt");
}

/* KerbRetrieveEncodedTicketMessage (doc/semantics.md §51). */
static fs_err retrieve_ticket(const struct fs_lsa_connection *c, const KERB_RETRIEVE_TKT_REQUEST *req, ULONG size,
                              const char *api, void **out, ULONG *length)
{
    if ((req->CacheOptions & KERB_RETRIEVE_TICKET_DONT_USE_CACHE) &&
        (req->CacheOptions & KERB_RETRIEVE_TICKET_USE_CACHE_ONLY))
        return FS_E_INVALID_PARAMETER;
    if ((req->CacheOptions & ~(ULONG)RETRIEVE_OPTIONS) ||
        (req->EncryptionType != KERB_ETYPE_DEFAULT && req->EncryptionType != KERB_ETYPE_AES256_CTS_HMAC_SHA1_96))
        return FS_E_NOT_SUPPORTED;
    char *target;
    fs_err err = fs_api_submitted_string(req, size, &req->TargetName, &target);
    if (err != FS_OK)
        return err;
    char *at = strchr(target, '@');
    struct fs_identity id = {0};
    int tgt = names_tgt(target);
    /* Not emulated: an empty name, and a new TGT asked for past the one held (a TGS exchange for krbtgt). */
    if (!*target || (tgt && (req->CacheOptions & KERB_RETRIEVE_TICKET_DONT_USE_CACHE)))
        err = FS_E_NOT_SUPPORTED;
    else
        err = retrieve_identity(req, c, api, &id);
    struct krb_retrieved t;
    if (err == FS_OK)
        err = tgt ? krb_retrieve_tgt(&id, retrieve_how(req), &t) : krb_retrieve_ticket(&id, target, retrieve_how(req), &t);
    identity_clear(&id);
    if (err == FS_OK) {
        if (at)
            *at = '\0'; /* the target's name, as TargetName gives it */
        struct block b = {NULL, 0};
        write_retrieved(&b, &t, target);
        b.base = fs_mem_alloc(FS_MEM_LSA_RETURN, b.at, 1, api);
        if (!b.base) {
            err = FS_E_NOMEM;
        } else {
            *length = (ULONG)b.at;
            b.at = 0;
            write_retrieved(&b, &t, target);
            *out = b.base;
        }
        krb_retrieved_free(&t);
    }
    free(target);
    return err;
}

/* The Kerberos messages the package answers, and the least each submission must hold. */
static size_t request_size(KERB_PROTOCOL_MESSAGE_TYPE type)
{
    switch ((ULONG)type) { /* a submission may carry any number */
    case KerbQueryTicketCacheMessage:
    case KerbQueryTicketCacheExMessage:
    case KerbQueryTicketCacheEx2Message:
    case KerbQueryTicketCacheEx3Message:
        return sizeof(KERB_QUERY_TKT_CACHE_REQUEST);
    case KerbPurgeTicketCacheMessage:
        return sizeof(KERB_PURGE_TKT_CACHE_REQUEST);
    case KerbRetrieveEncodedTicketMessage:
        return sizeof(KERB_RETRIEVE_TKT_REQUEST);
    default:
        return 0;
    }
}

static fs_err kerberos_message(const struct fs_lsa_connection *c, const void *submit, ULONG size, const char *api,
                               void **out, ULONG *length)
{
    const KERB_QUERY_TKT_CACHE_REQUEST *head = submit;
    size_t need = request_size(head->MessageType);
    if (!need)
        return FS_E_NOT_SUPPORTED;
    if (size < need)
        return FS_E_INVALID_PARAMETER;
    if (head->MessageType == KerbRetrieveEncodedTicketMessage)
        return retrieve_ticket(c, submit, size, api, out, length);
    uint64_t session;
    fs_err err = session_of(&head->LogonId, c, &session);
    if (err != FS_OK)
        return err;
    if (head->MessageType == KerbPurgeTicketCacheMessage)
        return purge_cache(session, submit, size);
    return query_cache(session, head->MessageType, api, out, length);
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
    if (package != FS_LSA_PACKAGE_KERBEROS || !submit || size < sizeof(KERB_PROTOCOL_MESSAGE_TYPE))
        answer = package == FS_LSA_PACKAGE_KERBEROS ? FS_E_INVALID_PARAMETER : FS_E_NOT_SUPPORTED;
    else
        answer = kerberos_message(c, submit, size, api, out, length);
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
