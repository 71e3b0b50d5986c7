/* The GSSAPI mechanisms over the SSPI layer (Kerberos, SPNEGO, NTLMSSP: one code path, the package from gss_mech.c's
 * table): credentials, the handshake and message protection, as gssi_* functions of an MIT mechglue interposer
 * (doc/gssapi.md, doc/semantics.md §64). A credential is a handle-table object of
 * its own kind; a context is the SSPI layer's own context object. Both reach the caller as handle-table
 * values, so a stale or forged one is caught and reported as it is for SSPI handles. */
#include <dlfcn.h>
#include <nettle/memops.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "core/alloc.h"
#include "core/bytes.h"
#include "core/clock.h"
#include "core/handles.h"
#include "core/names.h"
#include "gss_entry.h"
#include "gss_mech.h"
#include "gss_names.h"
#include "gssi.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_ticket_service.h"
#include "packages/kerberos/pac.h"
#include "packages/negotiate/spnego.h"
#include "packages/package.h"
#include "security/domain_current.h"
#include "security/nt_hash.h"
#include "sspi/context.h"
#include "sspi/export.h"
#include "sspi/handshake.h"
#include "sspi/protect.h"

static const struct fs_package *const krb = &fs_kerberos_package;

/* The handle-table tag of every handle this module hands out, whatever its mechanism: the Kerberos package, as a
 * CtxtHandle's dwLower would carry it. */
static uintptr_t tag(void) { return fs_package_index(krb); }

/* ---- credentials ---- */

/* A GSS credential: an SSPI credential, or none for an acceptor that answers as whichever service the
 * ticket names (GSS_C_NO_NAME: MIT's acceptor takes any key of its keytab; here the domain holds them all). */
struct fs_gss_cred {
    struct fs_object base;
    const struct fs_gss_mech *mech; /* the mechanism it was acquired for (the mechglue asks for one at a time) */
    struct fs_credential *cred; /* a reference (of mech's package), or NULL: the initiator side was not asked for */
    int accept_any;             /* accepts for every service of the domain */
    char *principal;            /* "bob@EXAMPLE.TEST": gss_inquire_cred's name; NULL for an acceptor of any service */
};

static void cred_destroy(struct fs_object *obj)
{
    struct fs_gss_cred *c = (struct fs_gss_cred *)obj;
    if (c->cred)
        fs_object_unref(&c->cred->base);
    free(c->principal);
    free(c);
}

static void cred_describe(const struct fs_object *obj, char *buf, size_t size)
{
    const struct fs_gss_cred *c = (const struct fs_gss_cred *)obj;
    snprintf(buf, size, "GSSAPI %s credential for %s%s", c->mech->name, c->cred && c->cred->name ? c->cred->name : "no initiator",
             c->accept_any ? ", accepting for every service" : "");
}

static const struct fs_object_ops gss_cred_ops = {
    .name = "GSS credential", .leak_name = "GSS_CREDENTIAL", .describe = cred_describe, .destroy = cred_destroy};

/* A NEW SSPI credential of pkg for the account a principal names, with the key the domain holds for it: a GSS
 * program names a principal and expects its keytab or ccache (or gss-ntlmssp's user file) to hold the key, and the
 * fake domain is all of them. */
static fs_err credential_for(const char *principal, const struct fs_package *pkg, uint32_t use,
                             struct fs_credential **out)
{
    const struct fs_domain *d = fs_domain_acquire();
    if (!d) {
        fs_domain_release();
        return FS_E_DOMAIN_UNUSABLE;
    }
    const struct fs_user *u = fs_gss_name_account(d, principal);
    char *user = u ? fs_strdup(u->name) : NULL, *domain = u ? fs_strdup(d->netbios) : NULL;
    char *password = u && u->password ? fs_strdup(u->password) : NULL;
    /* An account the domain file gives by its key alone has no password: the key itself (doc/semantics.md §73). */
    uint8_t key[16];
    int by_key = u && !u->password && fs_domain_user_nt_hash(d, u, key);
    fs_domain_release();
    fs_err err = !u ? FS_E_NO_SUCH_USER : !user || !domain || (u->password && !password) ? FS_E_NOMEM : FS_OK;
    if (err == FS_OK) {
        struct fs_explicit_identity id = {.user = user, .domain = domain, .password = password,
                                          .nt_hash = by_key ? key : NULL};
        err = fs_credential_acquire(pkg, use, &id, out);
    }
    explicit_bzero(key, sizeof key);
    free(user);
    free(domain);
    if (password) {
        explicit_bzero(password, strlen(password));
        free(password);
    }
    return err;
}

/* The account name of an SSPI credential's "EXAMPLE\\alice". */
static const char *user_of(const char *sspi_name)
{
    const char *slash = strrchr(sspi_name, '\\');
    return slash ? slash + 1 : sspi_name;
}

/* A credential the module made, as the program's handle in *out if err is FS_OK; the module's reference is given up
 * either way (on failure that frees it). */
static fs_err publish_cred(struct fs_gss_cred *c, fs_err err, const char *api, gss_cred_id_t *out)
{
    uintptr_t value = 0;
    if (err == FS_OK)
        err = fs_handle_open(&c->base, 0, tag(), api, &value);
    fs_object_unref(&c->base);
    if (err == FS_OK)
        *out = (gss_cred_id_t)value;
    return err;
}

static fs_err acquire_cred(gss_name_t desired_name, gss_cred_usage_t usage, const struct fs_gss_mech *mech,
                           gss_cred_id_t *out, const char *api)
{
    if (!out)
        return FS_E_NOACCESS;
    uint32_t use = usage == GSS_C_INITIATE ? SECPKG_CRED_OUTBOUND
                   : usage == GSS_C_ACCEPT ? SECPKG_CRED_INBOUND
                   : usage == GSS_C_BOTH   ? SECPKG_CRED_BOTH
                                           : 0;
    if (!use)
        return FS_E_INVALID_PARAMETER;
    struct fs_gss_cred *c = fs_calloc(1, sizeof *c);
    if (!c)
        return FS_E_NOMEM;
    fs_object_init(&c->base, &gss_cred_ops);
    c->mech = mech;
    const struct fs_gss_name *name = (const struct fs_gss_name *)desired_name;
    fs_err err = FS_OK;
    if (name)
        err = credential_for(name->principal, mech->pkg, use, &c->cred);
    else if (use & SECPKG_CRED_OUTBOUND)
        err = fs_credential_acquire(mech->pkg, use, NULL, &c->cred); /* the process's user (FAKESSPI_USER) */
    c->accept_any = !name && (use & SECPKG_CRED_INBOUND);
    if (err == FS_OK && (name || c->cred))
        err = fs_gss_name_canonical(name ? name->principal : user_of(c->cred->name), &c->principal);
    return publish_cred(c, err, api, out);
}

static fs_err get_cred(gss_cred_id_t h, const char *api, struct fs_gss_cred **out)
{
    struct fs_object *obj;
    fs_err err = fs_handle_get((struct fs_handle_key){(uintptr_t)h, tag()}, &gss_cred_ops, 0, api, &obj, NULL);
    if (err == FS_OK)
        *out = fs_object_as(obj, &gss_cred_ops);
    return err;
}

/* The mechanism a credential is asked for: the mechglue names one public OID at a time; none (a direct caller) is
 * Kerberos. NULL for a set with none of the module's. */
static const struct fs_gss_mech *mech_of_set(gss_OID_set set)
{
    if (set == GSS_C_NO_OID_SET || !set->count)
        return fs_gss_mech_krb5;
    for (size_t i = 0; i < set->count; i++)
        if (fs_gss_mech_by_oid(&set->elements[i]))
            return fs_gss_mech_by_oid(&set->elements[i]);
    return NULL;
}

/* The pending delegated credential of this thread (gss_accept_sec_context with SPNEGO, doc/semantics.md §68). */
static _Thread_local uintptr_t pending_delegated;
#define DELEGATED_STORE_KEY "fakesspi:delegated"

/* The store value that names a credential handle. */
static void handle_text(uintptr_t h, char text[static 24]) { snprintf(text, 24, "%#lx", (unsigned long)h); }

/* The one store element that hands over this thread's pending delegated credential, if store has it. */
static int takes_pending(gss_const_key_value_set_t store)
{
    for (OM_uint32 i = 0; store && i < store->count; i++) {
        char value[24];
        handle_text(pending_delegated, value);
        if (store->elements[i].key && !strcmp(store->elements[i].key, DELEGATED_STORE_KEY))
            return pending_delegated && store->elements[i].value && !strcmp(store->elements[i].value, value);
    }
    return 0;
}

/* gss_acquire_cred, and gss_acquire_cred_from with a store, once the call has begun (in the exported function, whose
 * caller's address is the handle's origin). The store's keys (ccache, keytab, client_keytab...) change nothing: the
 * fake domain is every keytab and ccache. Its one key of the module's own hands over the delegated credential
 * gss_accept_sec_context is making for SPNEGO. */
static OM_uint32 acquire_cred_call(struct fs_gss_call *call, OM_uint32 *minor_status, gss_name_t desired_name,
                                   gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
                                   gss_const_key_value_set_t cred_store, gss_cred_id_t *output_cred_handle,
                                   gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    fs_trace_string(&call->trace, "desired_name", desired_name ? ((struct fs_gss_name *)desired_name)->principal : NULL);
    fs_trace_number(&call->trace, "cred_usage", (uint64_t)cred_usage);
    if (!fs_gss_call_proceed(call))
        return fs_gss_call_end(call, minor_status);
    if (actual_mechs)
        *actual_mechs = GSS_C_NO_OID_SET; /* the mechglue answers it from its own table */
    const struct fs_gss_mech *mech = mech_of_set(desired_mechs);
    if (!mech)
        call->subject = FS_GSS_ON_MECH;
    if (!output_cred_handle) {
        call->err = FS_E_NOACCESS;
    } else if (takes_pending(cred_store)) {
        *output_cred_handle = (gss_cred_id_t)pending_delegated; /* now the mechglue's credential's */
        pending_delegated = 0;
        call->err = FS_OK;
    } else {
        call->err = !mech ? FS_E_NOT_SUPPORTED
                          : acquire_cred(desired_name, cred_usage, mech, output_cred_handle, call->api);
    }
    if (fs_gss_call_outputs(call)) {
        fs_trace_handle(&call->trace, "output_cred_handle", (uintptr_t)*output_cred_handle);
        if (time_rec)
            *time_rec = GSS_C_INDEFINITE;
    }
    return fs_gss_call_end(call, minor_status);
}

OM_uint32 gssi_acquire_cred(OM_uint32 *minor_status, gss_name_t desired_name, OM_uint32 time_req,
                            gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
                            gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
                            OM_uint32 *time_rec)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_acquire_cred), FS_GSS_ON_CRED);
    return acquire_cred_call(&call, minor_status, desired_name, desired_mechs, cred_usage, GSS_C_NO_CRED_STORE,
                             output_cred_handle, actual_mechs, time_rec);
}

/* MIT's mechglue sends every gss_acquire_cred here (with no store) once a mechanism offers this call: that one is
 * gss_acquire_cred, traced under its own name. */
OM_uint32 gssi_acquire_cred_from(OM_uint32 *minor_status, gss_name_t desired_name, OM_uint32 time_req,
                                 gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
                                 gss_const_key_value_set_t cred_store, gss_cred_id_t *output_cred_handle,
                                 gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    if (cred_store == GSS_C_NO_CRED_STORE)
        return gssi_acquire_cred(minor_status, desired_name, time_req, desired_mechs, cred_usage, output_cred_handle,
                                 actual_mechs, time_rec);
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_acquire_cred_from), FS_GSS_ON_CRED);
    return acquire_cred_call(&call, minor_status, desired_name, desired_mechs, cred_usage, cred_store,
                             output_cred_handle, actual_mechs, time_rec);
}

/* RFC 2744 5.21 on a credential the module made. (MIT's mechglue answers GSS_C_NO_CREDENTIAL with its default
 * mechanism's own code, which bypasses interposers: it never reaches the module; doc/semantics.md §50.) */
static fs_err inquire_cred(gss_cred_id_t h, gss_name_t *name, OM_uint32 *lifetime, gss_cred_usage_t *usage,
                           const char *api)
{
    struct fs_gss_cred *c;
    fs_err err = h == GSS_C_NO_CREDENTIAL ? FS_E_INVALID_HANDLE : get_cred(h, api, &c);
    if (err != FS_OK)
        return err;
    uint32_t use = (c->cred ? c->cred->use : 0) | (c->accept_any ? SECPKG_CRED_INBOUND : 0);
    struct fs_gss_name *n = NULL;
    if (name && c->principal)
        err = fs_gss_name_new(c->principal, &n);
    fs_object_unref(&c->base);
    if (err != FS_OK)
        return err;
    if (name)
        *name = (gss_name_t)n; /* GSS_C_NO_NAME for an acceptor of every service, as MIT's for a whole keytab */
    if (lifetime)
        *lifetime = GSS_C_INDEFINITE; /* the domain's keys do not expire */
    if (usage)
        *usage = (use & SECPKG_CRED_BOTH) == SECPKG_CRED_BOTH ? GSS_C_BOTH
                 : use & SECPKG_CRED_INBOUND                 ? GSS_C_ACCEPT
                                                             : GSS_C_INITIATE;
    return FS_OK;
}

OM_uint32 gssi_inquire_cred(OM_uint32 *minor_status, gss_cred_id_t cred_handle, gss_name_t *name,
                            OM_uint32 *lifetime, gss_cred_usage_t *cred_usage, gss_OID_set *mechanisms)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_inquire_cred), FS_GSS_ON_CRED);
    fs_trace_handle(&call.trace, "cred_handle", (uintptr_t)cred_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (name)
        *name = GSS_C_NO_NAME;
    if (mechanisms)
        *mechanisms = GSS_C_NO_OID_SET; /* the mechglue answers it from its own table */
    call.err = inquire_cred(cred_handle, name, lifetime, cred_usage, call.api);
    if (fs_gss_call_outputs(&call) && name && *name)
        fs_trace_string(&call.trace, "name", ((struct fs_gss_name *)*name)->principal);
    return fs_gss_call_end(&call, minor_status);
}

/* The password a KDC would check before it issues a ticket-granting ticket (pre-authentication, RFC 6113
 * 2.1): the key it derives must be the account's. Wrong, or an account that may not log on, is
 * KDC_ERR_PREAUTH_FAILED, which the SSPI side reports as SEC_E_LOGON_DENIED (doc/semantics.md §50). */
static fs_err check_password(const char *principal, const gss_buffer_t password)
{
    if (!password || (password->length && (!password->value || memchr(password->value, '\0', password->length))))
        return FS_E_INVALID_PARAMETER;
    char *text = password->length ? fs_strndup(password->value, password->length) : fs_strdup("");
    if (!text)
        return FS_E_NOMEM;
    uint8_t given[FS_NT_HASH_SIZE];
    fs_err err = fs_nt_hash(text, given);
    explicit_bzero(text, password->length);
    free(text);
    if (err == FS_E_NO_UNICODE_TRANSLATION)
        err = FS_E_LOGON_DENIED; /* no account's password is other than UTF-8 text */
    if (err != FS_OK)
        return err;
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d ? fs_gss_name_account(d, principal) : NULL;
    uint8_t stored[FS_NT_HASH_SIZE];
    err = !d   ? FS_E_DOMAIN_UNUSABLE
          : !u ? FS_E_NO_SUCH_USER
          : u->disabled || u->expired || !fs_domain_user_nt_hash(d, u, stored) ||
                  !memeql_sec(stored, given, sizeof given)
              ? FS_E_LOGON_DENIED
              : FS_OK;
    fs_domain_release();
    explicit_bzero(stored, sizeof stored);
    explicit_bzero(given, sizeof given);
    return err;
}

/* MIT's gss_acquire_cred_with_password: the named account's credential once its password is proved, with no
 * KDC; MIT's mechanism would ask its KDC for a ticket-granting ticket here and fail the same way. The same for
 * NTLMSSP and SPNEGO: the password proved against the domain, as gss-ntlmssp keeps it to answer a CHALLENGE. */
OM_uint32 gssi_acquire_cred_with_password(OM_uint32 *minor_status, const gss_name_t desired_name,
                                          const gss_buffer_t password, OM_uint32 time_req,
                                          const gss_OID_set desired_mechs, int cred_usage,
                                          gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
                                          OM_uint32 *time_rec)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_acquire_cred_with_password), FS_GSS_ON_CRED);
    const struct fs_gss_name *name = (const struct fs_gss_name *)desired_name;
    fs_trace_string(&call.trace, "desired_name", name ? name->principal : NULL);
    fs_trace_number(&call.trace, "cred_usage", (uint64_t)cred_usage);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (actual_mechs)
        *actual_mechs = GSS_C_NO_OID_SET; /* the mechglue answers it from its own table */
    if (output_cred_handle)
        *output_cred_handle = GSS_C_NO_CREDENTIAL;
    const struct fs_gss_mech *mech = mech_of_set(desired_mechs);
    call.err = !name ? FS_E_INVALID_HANDLE : check_password(name->principal, password);
    if (call.err == FS_OK && !mech) {
        call.subject = FS_GSS_ON_MECH;
        call.err = FS_E_NOT_SUPPORTED;
    }
    if (call.err == FS_OK)
        call.err = acquire_cred(desired_name, (gss_cred_usage_t)cred_usage, mech, output_cred_handle, call.api);
    if (fs_gss_call_outputs(&call)) {
        fs_trace_handle(&call.trace, "output_cred_handle", (uintptr_t)*output_cred_handle);
        if (time_rec)
            *time_rec = GSS_C_INDEFINITE;
    }
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_release_cred(OM_uint32 *minor_status, gss_cred_id_t *cred_handle)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_release_cred), FS_GSS_ON_CRED);
    fs_trace_handle(&call.trace, "cred_handle", cred_handle ? (uintptr_t)*cred_handle : 0);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (!cred_handle || *cred_handle == GSS_C_NO_CREDENTIAL) {
        call.err = FS_E_INVALID_HANDLE; /* RFC 2744 5.27: GSS_S_NO_CRED */
    } else {
        call.err = fs_handle_close((struct fs_handle_key){(uintptr_t)*cred_handle, tag()}, &gss_cred_ops, call.api);
        if (call.err == FS_OK)
            *cred_handle = GSS_C_NO_CREDENTIAL;
    }
    return fs_gss_call_end(&call, minor_status);
}

/* ---- the handshake ---- */

/* GSS flags into ISC_REQ_* (RFC 2744 5.19; doc/gssapi.md): the same request a Windows client makes. */
static const struct {
    OM_uint32 gss;
    uint32_t isc, isc_ret, asc_ret;
} flag_map[] = {
    {GSS_C_DELEG_FLAG, ISC_REQ_DELEGATE, ISC_RET_DELEGATE, ASC_RET_DELEGATE},
    {GSS_C_MUTUAL_FLAG, ISC_REQ_MUTUAL_AUTH, ISC_RET_MUTUAL_AUTH, ASC_RET_MUTUAL_AUTH},
    {GSS_C_REPLAY_FLAG, ISC_REQ_REPLAY_DETECT, ISC_RET_REPLAY_DETECT, ASC_RET_REPLAY_DETECT},
    {GSS_C_SEQUENCE_FLAG, ISC_REQ_SEQUENCE_DETECT, ISC_RET_SEQUENCE_DETECT, ASC_RET_SEQUENCE_DETECT},
    {GSS_C_CONF_FLAG, ISC_REQ_CONFIDENTIALITY, ISC_RET_CONFIDENTIALITY, ASC_RET_CONFIDENTIALITY},
    {GSS_C_INTEG_FLAG, ISC_REQ_INTEGRITY, ISC_RET_INTEGRITY, ASC_RET_INTEGRITY},
};

static uint32_t isc_req(OM_uint32 gss)
{
    uint32_t r = 0;
    for (size_t i = 0; i < sizeof flag_map / sizeof flag_map[0]; i++)
        if (gss & flag_map[i].gss)
            r |= flag_map[i].isc;
    return r;
}

static OM_uint32 gss_ret(const struct fs_context *ctx)
{
    OM_uint32 r = ctx->complete ? GSS_C_PROT_READY_FLAG : 0;
    for (size_t i = 0; i < sizeof flag_map / sizeof flag_map[0]; i++)
        if (ctx->ret_flags & (ctx->server ? flag_map[i].asc_ret : flag_map[i].isc_ret))
            r |= flag_map[i].gss;
    return r;
}

/* What an acceptor asks of every context: all that the initiator's authenticator may grant. */
#define ASC_REQ_ALL (ASC_REQ_MUTUAL_AUTH | ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONFIDENTIALITY | \
                     ASC_REQ_INTEGRITY)

static fs_err get_context(gss_ctx_id_t h, const char *api, struct fs_context **out)
{
    struct fs_object *obj;
    fs_err err = fs_handle_get((struct fs_handle_key){(uintptr_t)h, tag()}, &fs_context_ops, 0, api, &obj, NULL);
    if (err == FS_OK)
        *out = fs_context_from_object(obj);
    return err;
}

/* RFC 2744 3.11 channel bindings as SSPI's SEC_CHANNEL_BINDINGS, which carries the same fields (RFC 4121
 * 4.1.1.2 hashes them alike): a NEW block in *out, NULL for none. */
static fs_err bindings_block(gss_channel_bindings_t cb, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (cb == GSS_C_NO_CHANNEL_BINDINGS)
        return FS_OK;
    const gss_buffer_desc *parts[3] = {&cb->initiator_address, &cb->acceptor_address, &cb->application_data};
    size_t n = sizeof(SEC_CHANNEL_BINDINGS);
    for (int i = 0; i < 3; i++) {
        if (parts[i]->length > UINT32_MAX - n)
            return FS_E_INVALID_PARAMETER;
        n += parts[i]->length;
    }
    uint8_t *b = fs_calloc(1, n);
    if (!b)
        return FS_E_NOMEM;
    SEC_CHANNEL_BINDINGS h = {.dwInitiatorAddrType = cb->initiator_addrtype,
                              .dwAcceptorAddrType = cb->acceptor_addrtype};
    ULONG *lens[3] = {&h.cbInitiatorLength, &h.cbAcceptorLength, &h.cbApplicationDataLength};
    ULONG *offsets[3] = {&h.dwInitiatorOffset, &h.dwAcceptorOffset, &h.dwApplicationDataOffset};
    size_t at = sizeof h;
    for (int i = 0; i < 3; i++) {
        *lens[i] = (ULONG)parts[i]->length;
        *offsets[i] = (ULONG)at;
        if (parts[i]->length)
            memcpy(b + at, parts[i]->value, parts[i]->length);
        at += parts[i]->length;
    }
    memcpy(b, &h, sizeof h);
    *out = b;
    *len = n;
    return FS_OK;
}

/* One leg on ctx (a NEW context on the first leg): the peer's token in, ours out into new memory. */
static fs_err run_leg(struct fs_context *ctx, const char *target, uint32_t req, gss_channel_bindings_t cb,
                      gss_buffer_t in, gss_buffer_t out, int *complete, const char *api)
{
    uint8_t *bindings = NULL;
    size_t bindings_len = 0;
    fs_err err = bindings_block(cb, &bindings, &bindings_len);
    if (err != FS_OK)
        return err;
    SecBuffer in_bufs[2] = {{in ? (ULONG)in->length : 0, SECBUFFER_TOKEN, in ? in->value : NULL},
                            {(ULONG)bindings_len, SECBUFFER_CHANNEL_BINDINGS, bindings}};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, bindings ? 2 : 1, in_bufs};
    uint8_t *token = malloc(ctx->pkg->max_token); /* handed to the caller, who frees it with gss_release_buffer */
    if (!token) {
        free(bindings);
        return FS_E_NOMEM;
    }
    SecBuffer out_buf = {ctx->pkg->max_token, SECBUFFER_TOKEN, token};
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out_buf};
    pthread_mutex_lock(&ctx->lock);
    err = fs_handshake_leg(ctx, target, req, in && in->length ? &in_desc : (bindings ? &in_desc : NULL), &out_desc,
                           complete, api);
    pthread_mutex_unlock(&ctx->lock);
    free(bindings);
    if (err != FS_OK || !out_buf.cbBuffer) {
        free(token);
        token = NULL;
        out_buf.cbBuffer = 0;
    }
    fs_gss_mech_frame(ctx->front_end, token, out_buf.cbBuffer); /* Microsoft's Kerberos OID in the framing */
    out->length = out_buf.cbBuffer;
    out->value = token;
    return err;
}

/* A context's remaining lifetime in seconds on the virtual clock (RFC 2744 5.7), GSS_C_INDEFINITE if it has none. */
static OM_uint32 seconds_left(const struct fs_context *ctx)
{
    uint64_t now = fs_clock_now();
    return ctx->expiry == (uint64_t)FS_TIME_NEVER || !ctx->expiry ? GSS_C_INDEFINITE
           : ctx->expiry > now ? (OM_uint32)((ctx->expiry - now) / FS_FILETIME_PER_SECOND)
                               : 0;
}

/* The mechanism a context's mech type outputs name (doc/semantics.md §64): its own; for SPNEGO, as MIT's SPNEGO
 * says, the mechanism inside once established (Kerberos or NTLMSSP, the package Negotiate chose) and until then
 * none (gss_init_sec_context, gss_accept_sec_context) or SPNEGO's own (gss_inquire_context, spnego_in). Under
 * ctx->lock. */
static gss_OID reported_mech(const struct fs_context *ctx, gss_OID spnego_in)
{
    const struct fs_gss_mech *m = ctx->front_end;
    if (!m)
        return GSS_C_NO_OID;
    if (m->pkg != &fs_negotiate_package)
        return m->oid;
    const struct fs_gss_mech *inner =
        ctx->complete && ctx->state ? fs_gss_mech_of_package(fs_package_effective(ctx->pkg, ctx->state)) : NULL;
    return inner ? inner->oid : spnego_in;
}

/* The context handle a first leg hands out, and the flags and lifetime every leg reports. */
static fs_err finish_leg(struct fs_context *ctx, int first, gss_ctx_id_t *handle, OM_uint32 *ret_flags,
                         OM_uint32 *time_rec, const char *api)
{
    if (first) {
        uintptr_t value;
        fs_err err = fs_handle_open(&ctx->base, 0, tag(), api, &value);
        if (err != FS_OK)
            return err;
        ctx->handle = value;
        *handle = (gss_ctx_id_t)value;
    }
    if (ret_flags)
        *ret_flags = gss_ret(ctx);
    if (time_rec)
        *time_rec = seconds_left(ctx);
    return FS_OK;
}

static fs_err init_leg(gss_cred_id_t cred_handle, gss_ctx_id_t *handle, const struct fs_gss_name *target,
                       const struct fs_gss_mech *mech, OM_uint32 req_flags, gss_channel_bindings_t cb,
                       gss_buffer_t in, gss_OID *actual, gss_buffer_t out, OM_uint32 *ret_flags, OM_uint32 *time_rec,
                       const char *api)
{
    if (!handle || !out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    int first = *handle == GSS_C_NO_CONTEXT;
    struct fs_context *ctx;
    fs_err err;
    if (first) {
        if (!target)
            return FS_E_TARGET_UNKNOWN;
        struct fs_credential *cred = NULL;
        if (cred_handle == GSS_C_NO_CREDENTIAL) {
            err = fs_credential_acquire(mech->pkg, SECPKG_CRED_OUTBOUND, NULL, &cred); /* the process's user */
        } else {
            struct fs_gss_cred *c;
            err = get_cred(cred_handle, api, &c);
            if (err == FS_OK) {
                /* The mechglue hands over the credential it holds for this mechanism: of the same package. */
                cred = c->cred && (c->cred->use & SECPKG_CRED_OUTBOUND) && c->cred->pkg == mech->pkg ? c->cred : NULL;
                if (cred)
                    fs_object_ref(&cred->base);
                fs_object_unref(&c->base);
                err = cred ? FS_OK : FS_E_NO_CREDENTIALS;
            }
        }
        if (err != FS_OK)
            return err;
        ctx = fs_context_new(cred, 0);
        if (ctx && cred->name && !(ctx->client_name = fs_strdup(cred->name))) {
            fs_object_unref(&ctx->base);
            ctx = NULL;
        }
        fs_object_unref(&cred->base);
        if (!ctx)
            return FS_E_NOMEM;
        ctx->expiry = (uint64_t)FS_TIME_NEVER;
        ctx->front_end = mech;
    } else if ((err = get_context(*handle, api, &ctx)) != FS_OK) {
        return err;
    } else if (ctx->server) {
        fs_object_unref(&ctx->base);
        return FS_E_INVALID_HANDLE; /* an acceptor's context given to gss_init_sec_context */
    }
    int complete = 0;
    /* gss-ntlmssp's gss_wrap always seals, and MIT's Kerberos always offers confidentiality and integrity; SSPI's
     * NTLM seals only a context that negotiated it: NTLM (alone or in SPNEGO) always asks for both
     * (doc/semantics.md §64). */
    const struct fs_gss_mech *mech_of_ctx = ctx->front_end;
    uint32_t req = isc_req(req_flags);
    if (mech_of_ctx->pkg == &fs_ntlm_package || mech_of_ctx->pkg == &fs_negotiate_package)
        req |= ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY;
    err = run_leg(ctx, target ? target->principal : ctx->target, req, cb, in, out, &complete, api);
    if (err == FS_OK)
        err = finish_leg(ctx, first, handle, ret_flags, time_rec, api);
    if (err == FS_OK && actual) {
        pthread_mutex_lock(&ctx->lock);
        *actual = reported_mech(ctx, GSS_C_NO_OID);
        pthread_mutex_unlock(&ctx->lock);
    }
    fs_object_unref(&ctx->base); /* a failed first leg makes no context */
    if (err != FS_OK) {
        free(out->value);
        out->value = NULL;
        out->length = 0;
        return err;
    }
    return complete ? FS_OK : FS_I_CONTINUE_NEEDED;
}

OM_uint32 gssi_init_sec_context(OM_uint32 *minor_status, gss_cred_id_t claimant_cred_handle,
                                gss_ctx_id_t *context_handle, gss_name_t target_name, gss_OID mech_type,
                                OM_uint32 req_flags, OM_uint32 time_req,
                                gss_channel_bindings_t input_chan_bindings, gss_buffer_t input_token,
                                gss_OID *actual_mech_type, gss_buffer_t output_token,
                                OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_init_sec_context), FS_GSS_ON_CONTEXT);
    const struct fs_gss_name *target = (const struct fs_gss_name *)target_name;
    fs_trace_handle(&call.trace, "claimant_cred_handle", (uintptr_t)claimant_cred_handle);
    fs_trace_handle(&call.trace, "context_handle", context_handle ? (uintptr_t)*context_handle : 0);
    fs_trace_string(&call.trace, "target_name", target ? target->principal : NULL);
    fs_trace_number(&call.trace, "req_flags", req_flags);
    fs_trace_number(&call.trace, "input_token", input_token ? input_token->length : 0);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    /* The mechglue hands over the public OID asked for (GSS_C_NO_OID: its default, Kerberos). */
    const struct fs_gss_mech *mech = mech_type == GSS_C_NO_OID ? fs_gss_mech_krb5 : fs_gss_mech_by_oid(mech_type);
    fs_trace_string(&call.trace, "mech_type", mech ? mech->name : NULL);
    if (actual_mech_type)
        *actual_mech_type = GSS_C_NO_OID;
    if (output_token) { /* RFC 2744 5.19: no token on failure */
        output_token->length = 0;
        output_token->value = NULL;
    }
    if (!mech) {
        call.subject = FS_GSS_ON_MECH;
        call.err = FS_E_NOT_SUPPORTED;
    } else {
        call.err = init_leg(claimant_cred_handle, context_handle, target, mech, req_flags, input_chan_bindings,
                            input_token, actual_mech_type, output_token, ret_flags, time_rec, call.api);
    }
    if (fs_gss_call_outputs(&call)) {
        fs_trace_handle(&call.trace, "context_handle", (uintptr_t)*context_handle);
        fs_trace_number(&call.trace, "output_token", output_token->length);
    }
    return fs_gss_call_end(&call, minor_status);
}

/* The service a Kerberos AP-REQ is for: in the token itself, or (SPNEGO) in the optimistic token of a NegTokenInit
 * whose first choice is Kerberos. FS_E_NOT_SUPPORTED when the token holds none (SPNEGO with NTLM). */
static fs_err ticket_service(const struct fs_gss_mech *mech, gss_buffer_t in, char *spn, size_t cap)
{
    if (mech->pkg == &fs_kerberos_package)
        return krb_ap_req_service(in->value, in->length, spn, cap);
    struct spnego_init init;
    struct der_error derr;
    if (spnego_parse_init(in->value, in->length, &init, &derr) != FS_OK)
        return FS_E_INVALID_TOKEN;
    if (!init.nmechs || !init.token || (init.mechs[0] != MECH_KRB5 && init.mechs[0] != MECH_MS_KRB5))
        return FS_E_NOT_SUPPORTED;
    return krb_ap_req_service(init.token, init.token_len, spn, cap);
}

/* The acceptor's SSPI credential (of mech's package) for this token: the one named, or the account that owns the
 * service the ticket is for (doc/gssapi.md); NTLM names no service, and any account of the domain checks its
 * AUTHENTICATE: the process's. NEW reference. */
static fs_err acceptor_credential(gss_cred_id_t cred_handle, const struct fs_gss_mech *mech, gss_buffer_t in,
                                  const char *api, struct fs_credential **out)
{
    int any = cred_handle == GSS_C_NO_CREDENTIAL;
    if (!any) {
        struct fs_gss_cred *c;
        fs_err err = get_cred(cred_handle, api, &c);
        if (err != FS_OK)
            return err;
        struct fs_credential *cred =
            c->cred && (c->cred->use & SECPKG_CRED_INBOUND) && c->cred->pkg == mech->pkg ? c->cred : NULL;
        any = c->accept_any;
        if (cred && !any)
            *out = (struct fs_credential *)fs_object_ref(&cred->base);
        fs_object_unref(&c->base);
        if (!any)
            return cred ? FS_OK : FS_E_NO_CREDENTIALS;
    }
    char spn[640];
    fs_err err = mech->pkg == &fs_ntlm_package ? FS_E_NOT_SUPPORTED : ticket_service(mech, in, spn, sizeof spn);
    if (err == FS_E_NOT_SUPPORTED)
        return fs_credential_acquire(mech->pkg, SECPKG_CRED_INBOUND, NULL, out);
    return err == FS_OK ? credential_for(spn, mech->pkg, SECPKG_CRED_INBOUND, out) : err;
}

/* An acceptor's source name carries the ticket's PAC, as MIT's carries its authorization data, for
 * gss_get_name_attribute (doc/semantics.md §50); an initiator's names carry none. Under ctx->lock. */
static fs_err name_take_pac(const struct fs_context *ctx, struct fs_gss_name *name)
{
    size_t len = 0;
    /* SPNEGO's acceptor name carries the PAC of the Kerberos context inside it (doc/semantics.md §69). */
    const void *state = ctx->state ? fs_package_effective_state(ctx->pkg, ctx->state) : NULL;
    const uint8_t *pac =
        ctx->server && state && fs_package_effective(ctx->pkg, ctx->state) == krb ? krb_context_pac(state, &len) : NULL;
    return pac ? fs_gss_name_set_pac(name, pac, len) : FS_OK;
}

/* The credential a client delegated, as the acceptor's delegated_cred_handle (doc/semantics.md §68): when, and only
 * when, the SSPI side accepted with ASC_RET_DELEGATE, the default credential of a thread impersonating the context's
 * token (the double hop's AcquireCredentialsHandle, doc/semantics.md §54), of the package inside (Kerberos), under
 * the mechanism a Kerberos context runs under, Kerberos for SPNEGO's. A NEW module credential in *out, or none. */
static fs_err delegated_cred(struct fs_context *ctx, const char *api, gss_cred_id_t *out)
{
    pthread_mutex_lock(&ctx->lock);
    struct fs_token *token =
        ctx->server && ctx->complete && ctx->token && (ctx->ret_flags & ASC_RET_DELEGATE) ? fs_token_ref(ctx->token) : NULL;
    const struct fs_package *inner = ctx->state ? fs_package_effective(ctx->pkg, ctx->state) : ctx->pkg;
    const struct fs_gss_mech *front = ctx->front_end;
    pthread_mutex_unlock(&ctx->lock);
    const struct fs_gss_mech *mech = front && front->pkg == inner ? front : fs_gss_mech_of_package(inner);
    if (!token || !mech) {
        fs_token_unref(token);
        return FS_OK;
    }
    struct fs_gss_cred *c = fs_calloc(1, sizeof *c);
    if (!c) {
        fs_token_unref(token);
        return FS_E_NOMEM;
    }
    fs_object_init(&c->base, &gss_cred_ops);
    c->mech = mech;
    fs_err err = fs_credential_acquire_as(inner, SECPKG_CRED_OUTBOUND, token, &c->cred);
    fs_token_unref(token);
    if (err == FS_OK)
        err = fs_gss_name_canonical(user_of(c->cred->name), &c->principal);
    return publish_cred(c, err, api, out);
}

/* MIT's mechglue hands a mechanism's delegated credential to the program as it is when the mechanism reports itself
 * (Kerberos), and wraps it in a credential of its own otherwise; SPNEGO, reporting the mechanism inside, must hand
 * over the mechglue's, as MIT's SPNEGO does. The module asks the mechglue for one with gss_acquire_cred_from, which
 * comes back to gssi_acquire_cred_from with this thread's pending credential (doc/semantics.md §68). */
static fs_err mechglue_cred(const struct fs_gss_mech *inner, gss_cred_id_t *h, const char *api)
{
    char value[24];
    handle_text((uintptr_t)*h, value);
    gss_key_value_element_desc element = {DELEGATED_STORE_KEY, value};
    gss_key_value_set_desc store = {1, &element};
    gss_OID_set_desc mechs = {1, inner->oid};
    gss_cred_id_t wrapped = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;
    pending_delegated = (uintptr_t)*h;
    OM_uint32 major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE, &store,
                                            &wrapped, NULL, NULL);
    if (pending_delegated) { /* not taken over (the mechglue failed first): still the module's to close */
        pending_delegated = 0;
        fs_err closed = fs_handle_close((struct fs_handle_key){(uintptr_t)*h, tag()}, &gss_cred_ops, api);
        (void)closed; /* opened by this call a moment ago: it closes */
    }
    *h = major == GSS_S_COMPLETE ? wrapped : GSS_C_NO_CREDENTIAL;
    if (major != GSS_S_COMPLETE && wrapped != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &wrapped);
    return major == GSS_S_COMPLETE ? FS_OK : FS_E_NOMEM;
}

static fs_err accept_leg(gss_cred_id_t cred_handle, gss_ctx_id_t *handle, gss_channel_bindings_t cb, gss_buffer_t in,
                         gss_name_t *src_name, gss_OID *mech_type, gss_buffer_t out, OM_uint32 *ret_flags,
                         OM_uint32 *time_rec, gss_cred_id_t *delegated, const char *api)
{
    if (!handle || !out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    if (!in || !in->length || !in->value)
        return FS_E_INVALID_TOKEN;
    int first = *handle == GSS_C_NO_CONTEXT;
    struct fs_context *ctx;
    fs_err err;
    if (first) {
        /* The mechglue tells the module no mechanism here: the token says which, as it did to the mechglue, and
         * a Kerberos token's framing says which of the two OIDs the acceptor answers with (MIT's
         * parse_init_token). */
        const struct fs_gss_mech *mech = fs_gss_mech_of_token(in->value, in->length);
        if (!mech)
            return FS_E_INVALID_TOKEN;
        struct fs_credential *cred;
        if ((err = acceptor_credential(cred_handle, mech, in, api, &cred)) != FS_OK)
            return err;
        ctx = fs_context_new(cred, 1);
        fs_object_unref(&cred->base);
        if (!ctx)
            return FS_E_NOMEM;
        ctx->expiry = (uint64_t)FS_TIME_NEVER;
        ctx->front_end = mech;
    } else if ((err = get_context(*handle, api, &ctx)) != FS_OK) {
        return err;
    } else if (!ctx->server) {
        fs_object_unref(&ctx->base);
        return FS_E_INVALID_HANDLE; /* an initiator's context given to gss_accept_sec_context */
    }
    int complete = 0;
    err = run_leg(ctx, NULL, ASC_REQ_ALL, cb, in, out, &complete, api);
    if (err == FS_OK)
        err = finish_leg(ctx, first, handle, ret_flags, time_rec, api);
    if (err == FS_OK && mech_type) {
        pthread_mutex_lock(&ctx->lock);
        *mech_type = reported_mech(ctx, GSS_C_NO_OID);
        pthread_mutex_unlock(&ctx->lock);
    }
    if (err == FS_OK && complete && src_name) {
        /* The ticket's client principal, "alice@EXAMPLE.TEST", as MIT's acceptor names it, with the PAC. */
        const char *client = NULL, *server = NULL;
        pthread_mutex_lock(&ctx->lock);
        if (ctx->pkg->native_names)
            ctx->pkg->native_names(ctx->state, &client, &server);
        struct fs_gss_name *name;
        err = fs_gss_name_new(client ? client : ctx->client_name ? ctx->client_name : "", &name);
        if (err == FS_OK && (err = name_take_pac(ctx, name)) != FS_OK)
            fs_gss_name_free(name);
        pthread_mutex_unlock(&ctx->lock);
        if (err == FS_OK)
            *src_name = (gss_name_t)name;
    }
    if (err == FS_OK && complete && delegated) {
        err = delegated_cred(ctx, api, delegated);
        if (err == FS_OK && *delegated != GSS_C_NO_CREDENTIAL && ctx->pkg == &fs_negotiate_package)
            err = mechglue_cred(fs_gss_mech_krb5, delegated, api);
    }
    fs_object_unref(&ctx->base);
    if (err != FS_OK) {
        free(out->value);
        out->value = NULL;
        out->length = 0;
        return err;
    }
    return complete ? FS_OK : FS_I_CONTINUE_NEEDED;
}

OM_uint32 gssi_accept_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                                  gss_cred_id_t verifier_cred_handle, gss_buffer_t input_token,
                                  gss_channel_bindings_t input_chan_bindings, gss_name_t *src_name,
                                  gss_OID *mech_type, gss_buffer_t output_token, OM_uint32 *ret_flags,
                                  OM_uint32 *time_rec, gss_cred_id_t *delegated_cred_handle)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_accept_sec_context), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", context_handle ? (uintptr_t)*context_handle : 0);
    fs_trace_handle(&call.trace, "verifier_cred_handle", (uintptr_t)verifier_cred_handle);
    fs_trace_number(&call.trace, "input_token", input_token ? input_token->length : 0);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (src_name)
        *src_name = GSS_C_NO_NAME;
    if (mech_type)
        *mech_type = GSS_C_NO_OID;
    if (delegated_cred_handle)
        *delegated_cred_handle = GSS_C_NO_CREDENTIAL; /* until a client delegated (doc/semantics.md §68) */
    call.err = accept_leg(verifier_cred_handle, context_handle, input_chan_bindings, input_token, src_name, mech_type,
                          output_token, ret_flags, time_rec, delegated_cred_handle, call.api);
    if (fs_gss_call_outputs(&call)) {
        fs_trace_handle(&call.trace, "context_handle", (uintptr_t)*context_handle);
        if (src_name && *src_name)
            fs_trace_string(&call.trace, "src_name", ((struct fs_gss_name *)*src_name)->principal);
        fs_trace_number(&call.trace, "output_token", output_token->length);
        if (delegated_cred_handle && *delegated_cred_handle)
            fs_trace_handle(&call.trace, "delegated_cred_handle", (uintptr_t)*delegated_cred_handle);
    }
    return fs_gss_call_end(&call, minor_status);
}

static fs_err delete_context(gss_ctx_id_t *handle, gss_buffer_t output_token, const char *api)
{
    if (output_token) {
        output_token->length = 0; /* RFC 2744 5.9: no token is made */
        output_token->value = NULL;
    }
    if (!handle || *handle == GSS_C_NO_CONTEXT)
        return FS_E_INVALID_HANDLE;
    struct fs_object *taken;
    fs_err err = fs_handle_close_take((struct fs_handle_key){(uintptr_t)*handle, tag()}, &fs_context_ops, api, &taken);
    if (err != FS_OK)
        return err;
    fs_context_retire(taken, api);
    *handle = GSS_C_NO_CONTEXT;
    return FS_OK;
}

OM_uint32 gssi_delete_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                                  gss_buffer_t output_token)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_delete_sec_context), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", context_handle ? (uintptr_t)*context_handle : 0);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = delete_context(context_handle, output_token, call.api);
    return fs_gss_call_end(&call, minor_status);
}

/* ---- interprocess tokens (RFC 2744 5.14 and 5.20, doc/semantics.md §72) ---- */

/* The module's interprocess token, inside the mechglue's own framing (the length and OID of the mechanism it
 * selected): this magic, the context's mechanism OID (one length byte, then its DER bytes), the client's and the
 * service's principal as gss_inquire_context names them (a 16-bit length, then the text; the Kerberos package's
 * packed state does not keep them), then the SSPI side's packed context as ExportSecurityContext makes it
 * (sspi/export.c). */
static const uint8_t interprocess_magic[6] = {'F', 'S', 'G', 'S', 'S', 1};

static void put_text(struct fs_writer *w, const char *text)
{
    size_t n = text ? strnlen(text, UINT16_MAX) : 0;
    fs_write_u16le(w, (uint16_t)n);
    fs_write_bytes(w, text, n);
}

/* A NEW string, NULL for none; sets r->failed on a malformed one, *nomem when out of memory. */
static char *get_text(struct fs_reader *r, int *nomem)
{
    uint16_t n = fs_read_u16le(r);
    const uint8_t *p = fs_reader_slice(r, r->pos, n);
    if (!p || memchr(p, 0, n)) {
        r->failed = 1;
        return NULL;
    }
    r->pos += n;
    char *text = n ? fs_strndup((const char *)p, n) : NULL;
    if (n && !text)
        *nomem = 1;
    return text;
}

/* The principals inquire_context names (under ctx->lock). */
static void principals(const struct fs_context *ctx, const char **client, const char **server)
{
    *client = *server = NULL;
    if (ctx->state && ctx->pkg->native_names)
        ctx->pkg->native_names(ctx->state, client, server);
    /* NTLM names no principal: the client's "EXAMPLE\\alice"; an imported Kerberos state keeps none either. */
    if ((!*client || !**client) && ctx->complete)
        *client = ctx->client_name;
    if (!*server || !**server)
        *server = ctx->target; /* an initiator's target; an imported context's service */
}

/* Packs an established context into a NEW buffer of the caller's (gss_release_buffer frees it) and deletes it. */
static fs_err export_context(gss_ctx_id_t *handle, gss_buffer_t out, const struct fs_gss_mech **mech_out,
                             const char *api)
{
    if (!out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    if (!handle || *handle == GSS_C_NO_CONTEXT)
        return FS_E_INVALID_HANDLE;
    struct fs_context *ctx;
    fs_err err = get_context(*handle, api, &ctx);
    if (err != FS_OK)
        return err;
    struct fs_writer w;
    fs_writer_init(&w);
    pthread_mutex_lock(&ctx->lock);
    const struct fs_gss_mech *mech = *mech_out = ctx->front_end;
    const char *client, *server;
    principals(ctx, &client, &server);
    fs_write_bytes(&w, interprocess_magic, sizeof interprocess_magic);
    fs_write_u8(&w, (uint8_t)mech->oid->length);
    fs_write_bytes(&w, mech->oid->elements, mech->oid->length);
    put_text(&w, client);
    put_text(&w, server);
    /* Only an established context travels, as SSPI's ExportSecurityContext: no handshake state is packed
     * (doc/semantics.md §72). The message streams go on where they were. */
    err = ctx->complete ? fs_context_export(ctx, 0, &w) : FS_E_NOT_SUPPORTED;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    if (err == FS_OK && !(out->value = malloc(w.len)))
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        memcpy(out->value, w.data, out->length = w.len);
        /* The context is gone once packed (RFC 2744 5.14); a racing gss_delete_sec_context that got there first
         * reported itself. */
        fs_err deleted = delete_context(handle, GSS_C_NO_BUFFER, api);
        (void)deleted;
        *handle = GSS_C_NO_CONTEXT;
    }
    fs_writer_free(&w); /* wipes the session keys it held */
    return err;
}

/* MIT's mechglue context (its mglueP.h): what g_exp_sec_context hands an interposer is &internal_ctx_id of one. */
struct mechglue_context {
    struct mechglue_context *loopback; /* itself, while the context is valid */
    gss_OID mech_type;                 /* the OID the mechglue selected: the interposer's OID, then the public one */
    gss_ctx_id_t internal_ctx_id;
};

/* 1 when the call came from MIT's mechglue: the library whose gss_export_sec_context the module links to. */
static int called_by_mechglue(void *caller)
{
    Dl_info at, glue;
    return caller && dladdr(caller, &at) && dladdr((void *)(uintptr_t)gss_export_sec_context, &glue) &&
           at.dli_fbase == glue.dli_fbase;
}

/* MIT's mechglue frames an exported token with its context's OID, which for an interposed mechanism is the
 * interposer's OID followed by the public one; its gss_import_sec_context sends a token so framed to the real
 * mechanism (MIT's krb5, which cannot read it), and one framed with the public OID to the interposer. So that the
 * program's own import comes back here, the module cuts the OID of the mechglue context it just emptied down to
 * the public one, in place (the mechglue frees that context next), only when the call came from the mechglue and
 * the context is the mechglue's and names the exported mechanism (doc/semantics.md §72). */
static void frame_with_public_oid(gss_ctx_id_t *handle, const struct fs_gss_mech *mech, void *caller)
{
    if (!called_by_mechglue(caller))
        return;
    struct mechglue_context *glue =
        (struct mechglue_context *)(void *)((char *)handle - offsetof(struct mechglue_context, internal_ctx_id));
    gss_OID oid = glue->loopback == glue ? glue->mech_type : GSS_C_NO_OID;
    const size_t n = mech->oid->length;
    if (!oid || !oid->elements || oid->length <= n ||
        memcmp((const char *)oid->elements + (oid->length - n), mech->oid->elements, n))
        return;
    memmove(oid->elements, (const char *)oid->elements + (oid->length - n), n);
    oid->length = (OM_uint32)n;
}

OM_uint32 gssi_export_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                                  gss_buffer_t interprocess_token)
{
    void *caller = __builtin_return_address(0);
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_export_sec_context), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", context_handle ? (uintptr_t)*context_handle : 0);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    const struct fs_gss_mech *mech = NULL;
    call.err = export_context(context_handle, interprocess_token, &mech, call.api);
    if (call.err == FS_OK)
        frame_with_public_oid(context_handle, mech, caller);
    if (fs_gss_call_outputs(&call))
        fs_trace_number(&call.trace, "interprocess_token", interprocess_token->length);
    return fs_gss_call_end(&call, minor_status);
}

/* A NEW context handle from an interprocess token; anything but what export_context made is a defective token.
 * mech_oid: the public OID the mechglue framed the token with (GSS_C_NO_OID: none said). */
static fs_err import_context(gss_const_OID mech_oid, gss_buffer_t in, gss_ctx_id_t *handle, const char *api)
{
    if (!handle)
        return FS_E_NOACCESS;
    *handle = GSS_C_NO_CONTEXT;
    if (!in || !in->value || !in->length)
        return FS_E_INVALID_TOKEN;
    struct fs_reader r;
    fs_reader_init(&r, in->value, in->length);
    uint8_t magic[sizeof interprocess_magic];
    fs_read_bytes(&r, magic, sizeof magic);
    uint8_t oid[255];
    uint8_t oid_len = fs_read_u8(&r);
    fs_read_bytes(&r, oid, oid_len);
    if (r.failed || memcmp(magic, interprocess_magic, sizeof magic))
        return FS_E_INVALID_TOKEN;
    gss_OID_desc packed_oid = {oid_len, oid};
    const struct fs_gss_mech *mech = fs_gss_mech_by_oid(&packed_oid);
    /* The mechglue names the public OID of the frame; a token of another of the module's mechanisms is not one. */
    if (!mech || (mech_oid != GSS_C_NO_OID && fs_gss_mech_by_oid(mech_oid) != mech))
        return FS_E_INVALID_TOKEN;
    int nomem = 0;
    char *client = get_text(&r, &nomem), *server = get_text(&r, &nomem);
    struct fs_context *ctx = NULL;
    fs_err err = nomem ? FS_E_NOMEM : r.failed ? FS_E_INVALID_TOKEN : FS_OK;
    if (err == FS_OK)
        err = fs_context_import(mech->pkg, r.data + r.pos, r.len - r.pos, NULL, &ctx);
    if (err != FS_OK) {
        free(client);
        free(server);
        return err;
    }
    ctx->front_end = mech;
    if (client) { /* the principal, where the SSPI side packed its "EXAMPLE\\alice" */
        free(ctx->client_name);
        ctx->client_name = client;
    }
    if (server) {
        free(ctx->target);
        ctx->target = server;
    }
    uintptr_t value;
    err = fs_handle_open(&ctx->base, 0, tag(), api, &value);
    if (err == FS_OK) {
        ctx->handle = value;
        *handle = (gss_ctx_id_t)value;
    }
    fs_object_unref(&ctx->base);
    return err;
}

/* gss_import_sec_context, once the call has begun. */
static OM_uint32 import_call(struct fs_gss_call *call, OM_uint32 *minor_status, gss_const_OID mech_type,
                             gss_buffer_t interprocess_token, gss_ctx_id_t *context_handle)
{
    fs_trace_number(&call->trace, "interprocess_token", interprocess_token ? interprocess_token->length : 0);
    if (!fs_gss_call_proceed(call))
        return fs_gss_call_end(call, minor_status);
    call->err = import_context(mech_type, interprocess_token, context_handle, call->api);
    if (fs_gss_call_outputs(call))
        fs_trace_handle(&call->trace, "context_handle", (uintptr_t)*context_handle);
    return fs_gss_call_end(call, minor_status);
}

OM_uint32 gssi_import_sec_context(OM_uint32 *minor_status, gss_buffer_t interprocess_token,
                                  gss_ctx_id_t *context_handle)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_import_sec_context), FS_GSS_ON_CONTEXT);
    return import_call(&call, minor_status, GSS_C_NO_OID, interprocess_token, context_handle);
}

/* What MIT's mechglue calls for an interposer's token, with the public OID it was framed with. */
OM_uint32 gssi_import_sec_context_by_mech(OM_uint32 *minor_status, gss_OID mech_type,
                                          gss_buffer_t interprocess_token, gss_ctx_id_t *context_handle)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_import_sec_context), FS_GSS_ON_CONTEXT);
    const struct fs_gss_mech *named = mech_type ? fs_gss_mech_by_oid(mech_type) : NULL;
    fs_trace_string(&call.trace, "mech_type", named ? named->name : NULL);
    return import_call(&call, minor_status, mech_type, interprocess_token, context_handle);
}

/* RFC 2744 5.33 on a context of either side: the ticket's client and service principals, as MIT's mechanism
 * names them ("alice@EXAMPLE.TEST", "host/server.example.test@EXAMPLE.TEST"). */
static fs_err inquire_context(gss_ctx_id_t h, gss_name_t *src, gss_name_t *targ, OM_uint32 *lifetime,
                              gss_OID *mech, OM_uint32 *flags, int *local, int *open, const char *api)
{
    struct fs_context *ctx;
    fs_err err = get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    struct fs_gss_name *s = NULL, *t = NULL;
    pthread_mutex_lock(&ctx->lock);
    const char *client, *server;
    principals(ctx, &client, &server);
    if (src && client && *client && (err = fs_gss_name_new(client, &s)) == FS_OK && (err = name_take_pac(ctx, s)) != FS_OK) {
        fs_gss_name_free(s);
        s = NULL;
    }
    if (err == FS_OK && targ && server && *server)
        err = fs_gss_name_new(server, &t);
    if (err == FS_OK) {
        if (lifetime)
            *lifetime = seconds_left(ctx);
        if (flags)
            *flags = gss_ret(ctx);
        if (local)
            *local = !ctx->server;
        if (open)
            *open = ctx->complete;
        if (mech)
            *mech = reported_mech(ctx, fs_gss_mech_spnego->oid);
    }
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    if (err != FS_OK) {
        fs_gss_name_free(s);
        fs_gss_name_free(t);
        return err;
    }
    if (src)
        *src = (gss_name_t)s;
    if (targ)
        *targ = (gss_name_t)t;
    return FS_OK;
}

OM_uint32 gssi_inquire_context(OM_uint32 *minor_status, gss_ctx_id_t context_handle, gss_name_t *src_name,
                               gss_name_t *targ_name, OM_uint32 *lifetime_rec, gss_OID *mech_type,
                               OM_uint32 *ctx_flags, int *locally_initiated, int *opened)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_inquire_context), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (src_name)
        *src_name = GSS_C_NO_NAME;
    if (targ_name)
        *targ_name = GSS_C_NO_NAME;
    if (mech_type)
        *mech_type = GSS_C_NO_OID;
    call.err = inquire_context(context_handle, src_name, targ_name, lifetime_rec, mech_type, ctx_flags,
                               locally_initiated, opened, call.api);
    if (fs_gss_call_outputs(&call)) {
        if (src_name && *src_name)
            fs_trace_string(&call.trace, "src_name", ((struct fs_gss_name *)*src_name)->principal);
        if (targ_name && *targ_name)
            fs_trace_string(&call.trace, "targ_name", ((struct fs_gss_name *)*targ_name)->principal);
    }
    return fs_gss_call_end(&call, minor_status);
}

/* RFC 2744 5.7: an established context's remaining lifetime; GSS_S_CONTEXT_EXPIRED once it is 0. */
static fs_err context_time(gss_ctx_id_t h, OM_uint32 *time_rec, const char *api)
{
    struct fs_context *ctx;
    fs_err err = get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    pthread_mutex_lock(&ctx->lock);
    OM_uint32 left = seconds_left(ctx);
    int complete = ctx->complete;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    if (!complete)
        return FS_E_INVALID_HANDLE; /* not established: no context yet, as MIT's mechanism says */
    if (time_rec)
        *time_rec = left;
    return left ? FS_OK : FS_E_CONTEXT_EXPIRED;
}

OM_uint32 gssi_context_time(OM_uint32 *minor_status, gss_ctx_id_t context_handle, OM_uint32 *time_rec)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_context_time), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (time_rec)
        *time_rec = 0;
    call.err = context_time(context_handle, time_rec, call.api);
    return fs_gss_call_end(&call, minor_status);
}

/* GSS_C_INQ_SSPI_SESSION_KEY (1.2.840.113554.1.2.2.5.5): the session key SSPI's SECPKG_ATTR_SESSION_KEY gives for
 * the same context, then its enctype as the OID 1.2.840.113554.1.2.2.4.<enctype>: the two buffers MIT's Kerberos
 * mechanism answers with (doc/gssapi.md). */
static const gss_OID_desc inq_sspi_session_key = {11, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x05\x05"};
static const unsigned char session_key_enctype_oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x04};

/* base's DER bytes with one more arc appended (X.690 8.19: base 128, high bit on all but the last byte). */
static size_t oid_with_arc(const unsigned char *base, size_t base_len, uint32_t arc, unsigned char *out)
{
    memcpy(out, base, base_len);
    unsigned char digits[5];
    size_t n = 0;
    do
        digits[n++] = arc & 0x7f;
    while ((arc >>= 7) != 0);
    for (size_t i = 0; i < n; i++)
        out[base_len + i] = (unsigned char)(digits[n - 1 - i] | (i + 1 < n ? 0x80 : 0));
    return base_len + n;
}

static fs_err session_key_set(gss_ctx_id_t h, gss_buffer_set_t *out, const char *api)
{
    struct fs_context *ctx;
    fs_err err = get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    uint8_t key[64];
    size_t len = sizeof key;
    struct fs_key_info info = {0};
    pthread_mutex_lock(&ctx->lock);
    err = ctx->complete ? ctx->pkg->session_key(ctx->state, key, &len) : FS_E_INVALID_HANDLE;
    if (err == FS_OK)
        ctx->pkg->key_info(ctx->state, &info);
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    OM_uint32 minor;
    unsigned char oid[sizeof session_key_enctype_oid + 5];
    gss_buffer_desc key_buffer = {len, key};
    gss_buffer_desc oid_buffer = {0, oid};
    if (err == FS_OK) {
        oid_buffer.length =
            oid_with_arc(session_key_enctype_oid, sizeof session_key_enctype_oid, info.encrypt_algorithm, oid);
        /* MIT's own set calls, so that the caller's gss_release_buffer_set frees what they made. */
        if (gss_create_empty_buffer_set(&minor, out) != GSS_S_COMPLETE ||
            gss_add_buffer_set_member(&minor, &key_buffer, out) != GSS_S_COMPLETE ||
            gss_add_buffer_set_member(&minor, &oid_buffer, out) != GSS_S_COMPLETE) {
            if (*out != GSS_C_NO_BUFFER_SET && (*out)->count)
                explicit_bzero((*out)->elements[0].value, (*out)->elements[0].length);
            gss_release_buffer_set(&minor, out);
            err = FS_E_NOMEM;
        }
    }
    explicit_bzero(key, sizeof key);
    return err;
}

OM_uint32 gssi_inquire_sec_context_by_oid(OM_uint32 *minor_status, const gss_ctx_id_t context_handle,
                                          const gss_OID desired_object, gss_buffer_set_t *data_set)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_inquire_sec_context_by_oid), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    int session_key = desired_object && desired_object->length == inq_sspi_session_key.length &&
                      !memcmp(desired_object->elements, inq_sspi_session_key.elements, inq_sspi_session_key.length);
    if (data_set)
        *data_set = GSS_C_NO_BUFFER_SET;
    if (!data_set)
        call.err = FS_E_NOACCESS;
    else if (!session_key)
        call.err = FS_E_NOT_SUPPORTED; /* GSS_S_UNAVAILABLE, as MIT's mechanism answers an OID it does not know */
    else
        call.err = session_key_set(context_handle, data_set, call.api);
    return fs_gss_call_end(&call, minor_status);
}

/* The bytes a Wrap token adds to its data (RFC 4121 4.2.4 with AES): with confidentiality the header,
 * checksum, encrypted header and confounder (KRB_WRAP_TRAILER); without, the header and the 12-byte checksum. */
#define WRAP_SIGN_ONLY_OVERHEAD 28

/* What message protection needs of a complete context: the package whose tokens it makes (Negotiate's choice),
 * the sizes SECPKG_ATTR_SIZES reports for it, and the mechanism it runs under. */
struct protection {
    const struct fs_package *pkg;
    uint32_t max_signature, security_trailer;
    const struct fs_gss_mech *mech;
};

static fs_err protection_of(gss_ctx_id_t h, const char *api, struct protection *out)
{
    struct fs_context *ctx;
    fs_err err = get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    pthread_mutex_lock(&ctx->lock);
    if (ctx->complete) {
        out->pkg = fs_package_effective(ctx->pkg, ctx->state);
        out->max_signature = out->pkg->max_signature;
        out->security_trailer = out->pkg->security_trailer;
        if (ctx->pkg->sizes && ctx->state)
            ctx->pkg->sizes(ctx->state, &out->max_signature, &out->security_trailer);
        out->mech = ctx->front_end;
    }
    int complete = ctx->complete;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    return complete ? FS_OK : FS_E_INVALID_HANDLE; /* not established: no context yet, as MIT's mechanism says */
}

/* NTLM's Wrap token is always sealed, whatever conf_req_flag says, as gss-ntlmssp makes it (doc/semantics.md §64). */
static int always_seals(const struct protection *p) { return p->pkg == &fs_ntlm_package; }

/* RFC 2744 5.34: the largest message whose Wrap token fits in req_output_size bytes. */
static fs_err wrap_size_limit(gss_ctx_id_t h, int conf_req, OM_uint32 req_output_size, OM_uint32 *max_input,
                              const char *api)
{
    struct protection p;
    fs_err err = protection_of(h, api, &p);
    if (err != FS_OK)
        return err;
    if (!max_input)
        return FS_E_NOACCESS;
    const OM_uint32 overhead = conf_req || always_seals(&p) ? p.security_trailer : WRAP_SIGN_ONLY_OVERHEAD;
    *max_input = req_output_size > overhead ? req_output_size - overhead : 0;
    return FS_OK;
}

OM_uint32 gssi_wrap_size_limit(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                               gss_qop_t qop_req, OM_uint32 req_output_size, OM_uint32 *max_input_size)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_wrap_size_limit), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "req_output_size", req_output_size);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT
                   ? FS_E_QOP_NOT_SUPPORTED
                   : wrap_size_limit(context_handle, conf_req_flag, req_output_size, max_input_size, call.api);
    if (fs_gss_call_outputs(&call))
        fs_trace_number(&call.trace, "max_input_size", *max_input_size);
    return fs_gss_call_end(&call, minor_status);
}

/* ---- message protection (RFC 4121 4.2 for Kerberos, MS-NLMP 3.4 for NTLM: the tokens SSPI's MakeSignature and
 * EncryptMessage make) ---- */

/* Runs op on a complete context under its lock. */
static fs_err protect(gss_ctx_id_t h, enum fs_protect_op op, ULONG qop, PSecBufferDesc msg, ULONG *qop_out,
                      const char *api)
{
    struct fs_context *ctx;
    fs_err err = get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    pthread_mutex_lock(&ctx->lock);
    err = ctx->complete ? fs_protect(ctx, op, qop, msg, qop_out) : FS_E_INVALID_HANDLE;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    return err;
}

static fs_err wrap(gss_ctx_id_t h, int conf_req, gss_buffer_t in, int *conf_state, gss_buffer_t out, const char *api)
{
    if (!out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    struct protection p;
    fs_err err = protection_of(h, api, &p);
    if (err != FS_OK)
        return err;
    const size_t room = p.security_trailer;
    if (!in || (in->length && !in->value) || in->length > UINT32_MAX - room)
        return FS_E_INVALID_PARAMETER;
    uint8_t *b = malloc(room + in->length + 1);
    if (!b)
        return FS_E_NOMEM;
    if (in->length)
        memcpy(b + room, in->value, in->length);
    /* The Wrap token is the trailer and then the (encrypted) data, as EncryptMessage lays them out: RFC 4121's
     * token with Kerberos, NTLM's 16-byte signature and the sealed data as gss-ntlmssp's gss_wrap writes them. */
    const int seal = conf_req || always_seals(&p);
    SecBuffer bufs[2] = {{(ULONG)room, SECBUFFER_TOKEN, b}, {(ULONG)in->length, SECBUFFER_DATA, b + room}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    err = protect(h, FS_PROTECT_SEAL, seal ? 0 : KRB_QOP_NO_ENCRYPT, &desc, NULL, api);
    if (err != FS_OK) {
        free(b);
        return err;
    }
    if (bufs[0].cbBuffer < room) /* a shorter trailer (no encryption): the data follows it */
        memmove(b + bufs[0].cbBuffer, b + room, in->length);
    out->value = b;
    out->length = bufs[0].cbBuffer + in->length;
    fs_gss_mech_frame(p.mech, b, out->length); /* an RFC 1964 (RC4) token under Microsoft's OID */
    if (conf_state)
        *conf_state = seal;
    return FS_OK;
}

OM_uint32 gssi_wrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                    gss_qop_t qop_req, gss_buffer_t input_message_buffer, int *conf_state,
                    gss_buffer_t output_message_buffer)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_wrap), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "conf_req_flag", (uint64_t)conf_req_flag);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT ? FS_E_QOP_NOT_SUPPORTED
                                             : wrap(context_handle, conf_req_flag, input_message_buffer, conf_state,
                                                    output_message_buffer, call.api);
    return fs_gss_call_end(&call, minor_status);
}

static fs_err unwrap(gss_ctx_id_t h, gss_buffer_t in, gss_buffer_t out, int *conf_state, gss_qop_t *qop_state,
                     const char *api)
{
    if (!out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    struct protection p;
    fs_err err = protection_of(h, api, &p);
    if (err != FS_OK)
        return err;
    if (!in || !in->length || !in->value || in->length > UINT32_MAX)
        return FS_E_INVALID_TOKEN;
    /* NTLM's token is its signature and then the data; Kerberos finds where its trailer ends itself. */
    const int stream = p.pkg->stream_split != NULL;
    if (!stream && in->length < p.security_trailer)
        return FS_E_INVALID_TOKEN;
    uint8_t *b = malloc(in->length);
    if (!b)
        return FS_E_NOMEM;
    memcpy(b, in->value, in->length);
    /* DecryptMessage's one received message (SECBUFFER_STREAM), or its TOKEN and DATA. */
    SecBuffer bufs[2] = {{(ULONG)in->length, SECBUFFER_STREAM, b}, {0, SECBUFFER_DATA, NULL}};
    if (!stream) {
        bufs[0] = (SecBuffer){p.security_trailer, SECBUFFER_TOKEN, b};
        bufs[1] = (SecBuffer){(ULONG)(in->length - p.security_trailer), SECBUFFER_DATA, b + p.security_trailer};
    }
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    ULONG qop = 0;
    err = protect(h, FS_PROTECT_UNSEAL, 0, &desc, &qop, api);
    if (err == FS_OK && bufs[1].cbBuffer) {
        out->value = malloc(bufs[1].cbBuffer);
        if (!out->value)
            err = FS_E_NOMEM;
        else
            memcpy(out->value, bufs[1].pvBuffer, out->length = bufs[1].cbBuffer);
    }
    explicit_bzero(b, in->length);
    free(b);
    if (err == FS_OK && conf_state)
        *conf_state = qop != KRB_QOP_NO_ENCRYPT;
    if (err == FS_OK && qop_state)
        *qop_state = GSS_C_QOP_DEFAULT;
    return err;
}

OM_uint32 gssi_unwrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                      gss_buffer_t input_message_buffer, gss_buffer_t output_message_buffer,
                      int *conf_state, gss_qop_t *qop_state)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_unwrap), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = unwrap(context_handle, input_message_buffer, output_message_buffer, conf_state, qop_state, call.api);
    return fs_gss_call_end(&call, minor_status);
}

static fs_err get_mic(gss_ctx_id_t h, gss_buffer_t msg, gss_buffer_t out, const char *api)
{
    if (!out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    struct protection p;
    fs_err err = protection_of(h, api, &p);
    if (err != FS_OK)
        return err;
    if (!msg || (msg->length && !msg->value) || msg->length > UINT32_MAX)
        return FS_E_INVALID_PARAMETER;
    uint8_t *sig = malloc(p.max_signature);
    if (!sig)
        return FS_E_NOMEM;
    SecBuffer bufs[2] = {{(ULONG)msg->length, SECBUFFER_DATA, msg->value}, {p.max_signature, SECBUFFER_TOKEN, sig}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    err = protect(h, FS_PROTECT_SIGN, 0, &desc, NULL, api);
    if (err != FS_OK) {
        free(sig);
        return err;
    }
    out->value = sig;
    out->length = bufs[1].cbBuffer;
    fs_gss_mech_frame(p.mech, sig, out->length); /* an RFC 1964 (RC4) token under Microsoft's OID */
    return FS_OK;
}
OM_uint32 gssi_get_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle, gss_qop_t qop_req,
                       gss_buffer_t message_buffer, gss_buffer_t message_token)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_get_mic), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT ? FS_E_QOP_NOT_SUPPORTED
                                             : get_mic(context_handle, message_buffer, message_token, call.api);
    return fs_gss_call_end(&call, minor_status);
}

static fs_err verify_mic(gss_ctx_id_t h, gss_buffer_t msg, gss_buffer_t tok, gss_qop_t *qop_state, const char *api)
{
    if (!msg || (msg->length && !msg->value) || msg->length > UINT32_MAX || !tok || !tok->value ||
        tok->length > UINT32_MAX)
        return FS_E_INVALID_TOKEN;
    SecBuffer bufs[2] = {{(ULONG)msg->length, SECBUFFER_DATA, msg->value}, {(ULONG)tok->length, SECBUFFER_TOKEN, tok->value}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, bufs};
    ULONG qop = 0;
    fs_err err = protect(h, FS_PROTECT_VERIFY, 0, &desc, &qop, api);
    if (err == FS_OK && qop_state)
        *qop_state = GSS_C_QOP_DEFAULT;
    return err;
}

OM_uint32 gssi_verify_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                          gss_buffer_t message_buffer, gss_buffer_t message_token, gss_qop_t *qop_state)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_verify_mic), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = verify_mic(context_handle, message_buffer, message_token, qop_state, call.api);
    return fs_gss_call_end(&call, minor_status);
}

/* ---- IOV message protection (MIT's gss_wrap_iov, gss_unwrap_iov and gss_wrap_iov_length; the mechglue builds
 * gss_wrap_aead and gss_unwrap_aead on them): the RFC 4121 Wrap token EncryptMessage makes, laid out over the
 * caller's buffers as MIT's krb5 mechanism lays it out (doc/semantics.md §75) ---- */

#define WRAP_TOKEN_HEADER 16 /* RFC 4121 4.2.6.2: TOK_ID, Flags, Filler, EC, RRC, SND_SEQ */

/* The one buffer of a type, or NULL when there is none or more than one, as MIT's mechanism finds it. */
static gss_iov_buffer_desc *iov_find(gss_iov_buffer_desc *iov, int count, OM_uint32 type)
{
    gss_iov_buffer_desc *found = NULL;
    for (int i = 0; i < count; i++) {
        if (GSS_IOV_BUFFER_TYPE(iov[i].type) != type)
            continue;
        if (found)
            return NULL;
        found = &iov[i];
    }
    return found;
}

static int iov_is(const gss_iov_buffer_desc *b, OM_uint32 type) { return GSS_IOV_BUFFER_TYPE(b->type) == type; }

/* Only Kerberos' RFC 4121 tokens with AES (no RC4, no DCE style's filler) have an IOV layout here; NTLM has none
 * in gss-ntlmssp either, whose mechanism MIT's mechglue answers GSS_S_UNAVAILABLE (doc/semantics.md §75). The
 * security trailer tells them apart: 60 bytes only with AES and no filler (RC4's is 49 or 45, DCE style's 76). */
static fs_err iov_protection(gss_ctx_id_t h, const char *api, struct protection *p)
{
    fs_err err = protection_of(h, api, p);
    if (err == FS_OK && (p->pkg != krb || p->security_trailer != KRB_WRAP_TRAILER))
        err = FS_E_NOT_SUPPORTED;
    return err;
}

/* How many bytes the token puts before the data (HEADER) and after it (TRAILER): MIT's layout, the header
 * and confounder in front and the encrypted header copy and HMAC (or the checksum alone) behind; with no TRAILER
 * buffer all of it goes in front, rotated there by RRC as EncryptMessage writes it (doc/semantics.md §75). */
static void iov_layout(int seal, int has_trailer, size_t *head, size_t *trail)
{
    const size_t all = seal ? KRB_WRAP_TRAILER : WRAP_SIGN_ONLY_OVERHEAD;
    *trail = has_trailer ? all - WRAP_TOKEN_HEADER - (seal ? KRB_CONFOUNDER : 0) : 0;
    *head = all - *trail;
}

/* A buffer for n bytes: the caller's, which must be long enough, or one allocated for it (FLAG_ALLOCATE, which
 * the caller frees with gss_release_iov_buffer). */
static fs_err iov_room(gss_iov_buffer_desc *b, size_t n)
{
    if (b->type & GSS_IOV_BUFFER_FLAG_ALLOCATE) {
        if (!(b->buffer.value = malloc(n ? n : 1)))
            return FS_E_NOMEM;
        b->type |= GSS_IOV_BUFFER_FLAG_ALLOCATED;
    } else if (b->buffer.length < n || !b->buffer.value) {
        return FS_E_INSUFFICIENT_BUFFER; /* MIT: KRB5_BAD_MSIZE, GSS_S_FAILURE */
    }
    b->buffer.length = n;
    return FS_OK;
}

static void iov_unallocate(gss_iov_buffer_desc *b)
{
    if (b && (b->type & GSS_IOV_BUFFER_FLAG_ALLOCATED)) {
        free(b->buffer.value);
        b->buffer.value = NULL;
        b->buffer.length = 0;
        b->type &= ~(OM_uint32)GSS_IOV_BUFFER_FLAG_ALLOCATED;
    }
}

/* The DATA and SIGN_ONLY buffers as EncryptMessage's SECBUFFER_DATA and SECBUFFER_READONLY_WITH_CHECKSUM, in the
 * caller's order (the checksum covers them in that order), after the token buffer bufs[0]. With base, the DATA
 * buffers' bytes are taken in turn from there instead. Returns the number of buffers, 0 for a bad buffer. */
static ULONG iov_secbuffers(gss_iov_buffer_desc *iov, int count, uint8_t *base, SecBuffer *bufs)
{
    ULONG n = 1;
    for (int i = 0; i < count; i++) {
        int data = iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_DATA), sign_only = iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_SIGN_ONLY);
        if (!data && !sign_only)
            continue;
        if (iov[i].buffer.length > UINT32_MAX || (iov[i].buffer.length && !iov[i].buffer.value && !(data && base)))
            return 0;
        bufs[n].cbBuffer = (ULONG)iov[i].buffer.length;
        bufs[n].BufferType = data ? SECBUFFER_DATA : SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM;
        bufs[n].pvBuffer = data && base ? base : iov[i].buffer.value;
        if (data && base)
            base += iov[i].buffer.length;
        n++;
    }
    return n;
}

/* The buffers a Wrap token goes into, found on a context that has an IOV layout, and how long its two parts are. */
struct iov_token {
    gss_iov_buffer_desc *header, *trailer, *padding;
    size_t head, trail;
};

static fs_err iov_token_of(gss_ctx_id_t h, int seal, gss_iov_buffer_desc *iov, int count, const char *api,
                           struct iov_token *t)
{
    struct protection p;
    fs_err err = iov_protection(h, api, &p);
    if (err != FS_OK)
        return err;
    t->header = iov ? iov_find(iov, count, GSS_IOV_BUFFER_TYPE_HEADER) : NULL;
    if (!t->header)
        return FS_E_INVALID_PARAMETER; /* MIT: EINVAL, GSS_S_FAILURE */
    t->trailer = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_TRAILER);
    t->padding = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_PADDING);
    iov_layout(seal, t->trailer != NULL, &t->head, &t->trail);
    return FS_OK;
}

static fs_err wrap_iov_length(gss_ctx_id_t h, int conf_req, int *conf_state, gss_iov_buffer_desc *iov, int count,
                              const char *api)
{
    struct iov_token t;
    fs_err err = iov_token_of(h, conf_req != 0, iov, count, api, &t);
    if (err != FS_OK)
        return err;
    t.header->buffer.length = t.head;
    if (t.trailer)
        t.trailer->buffer.length = t.trail;
    if (t.padding)
        t.padding->buffer.length = 0; /* AES-CTS needs none, and EC stays 0 */
    if (conf_state)
        *conf_state = conf_req != 0;
    return FS_OK;
}

static fs_err wrap_iov(gss_ctx_id_t h, int conf_req, int *conf_state, gss_iov_buffer_desc *iov, int count,
                       const char *api)
{
    const int seal = conf_req != 0;
    struct iov_token t;
    fs_err err = iov_token_of(h, seal, iov, count, api, &t);
    if (err != FS_OK)
        return err;
    gss_iov_buffer_desc *header = t.header, *trailer = t.trailer, *padding = t.padding;
    const size_t head = t.head, trail = t.trail;
    SecBuffer *bufs = calloc((size_t)count + 1, sizeof *bufs);
    uint8_t tok[KRB_WRAP_TRAILER];
    if (!bufs)
        return FS_E_NOMEM;
    bufs[0] = (SecBuffer){sizeof tok, SECBUFFER_TOKEN, tok};
    ULONG n = iov_secbuffers(iov, count, NULL, bufs);
    err = n ? iov_room(header, head) : FS_E_INVALID_PARAMETER;
    if (err == FS_OK && trailer)
        err = iov_room(trailer, trail);
    if (err == FS_OK) {
        SecBufferDesc desc = {SECBUFFER_VERSION, n, bufs};
        err = protect(h, FS_PROTECT_SEAL, seal ? 0 : KRB_QOP_NO_ENCRYPT, &desc, NULL, api);
    }
    if (err == FS_OK && bufs[0].cbBuffer != head + trail)
        err = FS_E_INTERNAL;
    if (err == FS_OK) {
        /* EncryptMessage's token: the header (RRC 28, or 12 unsealed), the rotated trailer, the confounder.
         * With a TRAILER buffer nothing is rotated (RRC 0): the header and confounder go in front, the rest
         * behind; the checksum and the encrypted header copy never cover RRC (RFC 4121 4.2.5). */
        uint8_t *out = header->buffer.value;
        memcpy(out, tok, WRAP_TOKEN_HEADER);
        if (trailer) {
            out[6] = out[7] = 0;
            memcpy(out + WRAP_TOKEN_HEADER, tok + WRAP_TOKEN_HEADER + trail, head - WRAP_TOKEN_HEADER);
            memcpy(trailer->buffer.value, tok + WRAP_TOKEN_HEADER, trail);
        } else {
            memcpy(out + WRAP_TOKEN_HEADER, tok + WRAP_TOKEN_HEADER, head - WRAP_TOKEN_HEADER);
        }
        if (padding)
            padding->buffer.length = 0;
        if (conf_state)
            *conf_state = seal;
    } else {
        iov_unallocate(header);
        iov_unallocate(trailer);
    }
    explicit_bzero(tok, sizeof tok);
    free(bufs);
    return err;
}

/* The received token as one message (MIT's STREAM, or HEADER | DATA... | PADDING | TRAILER put back together):
 * DecryptMessage's token is what comes before the data, whatever RRC rotated (doc/semantics.md §75). */
static fs_err unwrap_iov(gss_ctx_id_t h, int *conf_state, gss_qop_t *qop_state, gss_iov_buffer_desc *iov, int count,
                         const char *api)
{
    struct protection p;
    fs_err err = iov_protection(h, api, &p);
    if (err != FS_OK)
        return err;
    if (!iov)
        return FS_E_INVALID_PARAMETER;
    gss_iov_buffer_desc *stream = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_STREAM), *data = NULL;
    gss_iov_buffer_desc *header = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_HEADER),
                        *trailer = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_TRAILER),
                        *padding = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_PADDING);
    size_t wire = 0, data_len = 0, datas = 0;
    for (int i = 0; i < count; i++)
        if (iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_DATA)) {
            data = &iov[i];
            data_len += iov[i].buffer.length;
            datas++;
        }
    if (stream) {
        if (datas != 1 || !stream->buffer.value)
            return FS_E_INVALID_PARAMETER; /* MIT: one DATA buffer receives the message, EINVAL otherwise */
        wire = stream->buffer.length;
    } else {
        if (!header)
            return FS_E_INVALID_PARAMETER; /* MIT: EINVAL, GSS_S_FAILURE */
        if (padding && padding->buffer.length)
            return FS_E_INVALID_TOKEN; /* RFC 4121 has no padding: GSS_S_DEFECTIVE_TOKEN, as MIT */
        wire = header->buffer.length + data_len + (trailer ? trailer->buffer.length : 0);
        if (header->buffer.length < WRAP_TOKEN_HEADER || (header->buffer.length && !header->buffer.value) ||
            (trailer && trailer->buffer.length && !trailer->buffer.value))
            return FS_E_INVALID_TOKEN;
    }
    if (wire < WRAP_TOKEN_HEADER || wire > UINT32_MAX)
        return FS_E_INVALID_TOKEN;
    uint8_t *msg = malloc(wire);
    SecBuffer *bufs = calloc((size_t)count + 1, sizeof *bufs);
    if (!msg || !bufs) {
        free(msg);
        free(bufs);
        return FS_E_NOMEM;
    }
    if (stream) {
        memcpy(msg, stream->buffer.value, wire);
    } else {
        uint8_t *at = msg;
        memcpy(at, header->buffer.value, header->buffer.length);
        at += header->buffer.length;
        for (int i = 0; i < count; i++)
            if (iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_DATA) && iov[i].buffer.length) {
                memcpy(at, iov[i].buffer.value, iov[i].buffer.length);
                at += iov[i].buffer.length;
            }
        if (trailer && trailer->buffer.length)
            memcpy(at, trailer->buffer.value, trailer->buffer.length);
    }
    size_t front;
    err = krb_wrap_split(msg, wire, &front);
    if (err == FS_OK && stream)
        data_len = wire - front;
    else if (err == FS_OK && wire - front != data_len)
        err = FS_E_INVALID_TOKEN; /* the buffers do not add up to the token's length */
    ULONG n = 0;
    if (err == FS_OK) {
        bufs[0] = (SecBuffer){(ULONG)front, SECBUFFER_TOKEN, msg};
        if (stream)
            data->buffer.length = data_len; /* one DATA buffer takes the whole message */
        n = iov_secbuffers(iov, count, msg + front, bufs);
        if (!n)
            err = FS_E_INVALID_TOKEN;
    }
    ULONG qop = 0;
    if (err == FS_OK) {
        SecBufferDesc desc = {SECBUFFER_VERSION, n, bufs};
        err = protect(h, FS_PROTECT_UNSEAL, 0, &desc, &qop, api);
    }
    if (err == FS_OK && stream) {
        /* MIT leaves the message in the stream, DATA pointing at it after the header and confounder, or copies it
         * to a buffer of its own (FLAG_ALLOCATE). */
        const size_t at = WRAP_TOKEN_HEADER + (qop != KRB_QOP_NO_ENCRYPT ? KRB_CONFOUNDER : 0);
        if (data->type & GSS_IOV_BUFFER_FLAG_ALLOCATE) {
            data->buffer.length = 0;
            err = iov_room(data, data_len);
            if (err == FS_OK && data_len)
                memcpy(data->buffer.value, msg + front, data_len);
        } else {
            memcpy((uint8_t *)stream->buffer.value + at, msg + front, data_len);
            data->buffer.value = (uint8_t *)stream->buffer.value + at;
            data->buffer.length = data_len;
        }
    } else if (err == FS_OK) {
        const uint8_t *plain = msg + front;
        for (int i = 0; i < count; i++)
            if (iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_DATA) && iov[i].buffer.length) {
                memcpy(iov[i].buffer.value, plain, iov[i].buffer.length);
                plain += iov[i].buffer.length;
            }
    }
    if (err != FS_OK && stream && !(data->type & GSS_IOV_BUFFER_FLAG_ALLOCATED))
        data->buffer.length = 0;
    if (err == FS_OK && conf_state)
        *conf_state = qop != KRB_QOP_NO_ENCRYPT;
    if (err == FS_OK && qop_state)
        *qop_state = GSS_C_QOP_DEFAULT;
    explicit_bzero(msg, wire);
    free(msg);
    free(bufs);
    return err;
}

OM_uint32 gssi_wrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag, gss_qop_t qop_req,
                        int *conf_state, gss_iov_buffer_desc *iov, int iov_count)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_wrap_iov), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "conf_req_flag", (uint64_t)conf_req_flag);
    fs_trace_number(&call.trace, "iov_count", (uint64_t)iov_count);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT
                   ? FS_E_QOP_NOT_SUPPORTED
                   : wrap_iov(context_handle, conf_req_flag, conf_state, iov, iov_count, call.api);
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_unwrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int *conf_state, gss_qop_t *qop_state,
                          gss_iov_buffer_desc *iov, int iov_count)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_unwrap_iov), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "iov_count", (uint64_t)iov_count);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = unwrap_iov(context_handle, conf_state, qop_state, iov, iov_count, call.api);
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_wrap_iov_length(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                               gss_qop_t qop_req, int *conf_state, gss_iov_buffer_desc *iov, int iov_count)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_wrap_iov_length), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "conf_req_flag", (uint64_t)conf_req_flag);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT
                   ? FS_E_QOP_NOT_SUPPORTED
                   : wrap_iov_length(context_handle, conf_req_flag, conf_state, iov, iov_count, call.api);
    return fs_gss_call_end(&call, minor_status);
}
