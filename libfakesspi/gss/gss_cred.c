/* GSSAPI credentials over SSPI credentials (doc/gssapi.md, doc/semantics.md §64, §68): gss_acquire_cred and its
 * variants, gss_inquire_cred, gss_release_cred, and the delegated credential an acceptor hands on. A credential is a
 * handle-table object of its own kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/memops.h>

#include "core/alloc.h"
#include "core/handles.h"
#include "gss_context.h"
#include "gss_entry.h"
#include "gss_names.h"
#include "gssi.h"
#include "security/domain_current.h"
#include "security/logon.h"
#include "winbase.h"
#include "security/nt_hash.h"

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
fs_err fs_gss_credential_for(const char *principal, const struct fs_package *pkg, uint32_t use,
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
        err = fs_handle_open(&c->base, 0, fs_gss_tag(), api, &value);
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
        err = fs_gss_credential_for(name->principal, mech->pkg, use, &c->cred);
    else if (use & SECPKG_CRED_OUTBOUND)
        err = fs_credential_acquire(mech->pkg, use, NULL, &c->cred); /* the process's user (FAKESSPI_USER) */
    c->accept_any = !name && (use & SECPKG_CRED_INBOUND);
    if (err == FS_OK && (name || c->cred))
        err = fs_gss_name_canonical(name ? name->principal : user_of(c->cred->name), &c->principal);
    return publish_cred(c, err, api, out);
}

fs_err fs_gss_get_cred(gss_cred_id_t h, const char *api, struct fs_gss_cred **out)
{
    struct fs_object *obj;
    fs_err err = fs_handle_get((struct fs_handle_key){(uintptr_t)h, fs_gss_tag()}, &gss_cred_ops, 0, api, &obj, NULL);
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

/* The two arguments every acquiring call traces: the name asked for and the usage. */
static void trace_desired(struct fs_gss_call *call, gss_name_t desired_name, int cred_usage)
{
    fs_trace_string(&call->trace, "desired_name", desired_name ? ((struct fs_gss_name *)desired_name)->principal : NULL);
    fs_trace_number(&call->trace, "cred_usage", (uint64_t)cred_usage);
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
    trace_desired(call, desired_name, cred_usage);
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
    fs_err err = h == GSS_C_NO_CREDENTIAL ? FS_E_INVALID_HANDLE : fs_gss_get_cred(h, api, &c);
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

/* The account of an impersonator, checked as MIT's krb5 checks it before it asks the KDC (s4u_gss_glue.c): an
 * initiator credential (else GSS_S_NO_CRED) that is no proxy credential itself (else G_BAD_USAGE, GSS_S_FAILURE),
 * and only the initiator usage asked for (G_BAD_USAGE). A NEW string in *service on success. */
static fs_err impersonator_account(gss_cred_id_t impersonator, gss_cred_usage_t usage, const char *api, char **service)
{
    if (usage != GSS_C_INITIATE)
        return FS_E_INVALID_PARAMETER;
    struct fs_gss_cred *imp;
    fs_err err = fs_gss_get_cred(impersonator, api, &imp);
    if (err != FS_OK)
        return err;
    err = !imp->cred || !(imp->cred->use & SECPKG_CRED_OUTBOUND) ? FS_E_NO_CREDENTIALS
          : imp->impersonated                                    ? FS_E_INVALID_PARAMETER
                                                                 : FS_OK;
    if (err == FS_OK && !(*service = fs_strdup(user_of(imp->cred->name))))
        err = FS_E_NOMEM;
    fs_object_unref(&imp->base);
    return err;
}

/* The account a GSS name names, as a NEW string in *out: FS_E_NO_SUCH_USER for none. */
static fs_err account_of(const char *principal, char **out)
{
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d ? fs_gss_name_account(d, principal) : NULL;
    *out = u ? fs_strdup(u->name) : NULL;
    fs_err err = !d ? FS_E_DOMAIN_UNUSABLE : !u ? FS_E_NO_SUCH_USER : !*out ? FS_E_NOMEM : FS_OK;
    fs_domain_release();
    return err;
}

/* Protocol transition through the module (doc/semantics.md §78): the S4U logon LsaLogonUser makes with KERB_S4U_LOGON
 * (doc/semantics.md §44, §54), a network logon of the user carrying SERVICE_ASSERTED_IDENTITY, made for the
 * impersonator's account, whose default Kerberos credential S4U2Proxy then answers for as the user. */
static fs_err impersonate(const char *service, const char *principal, const struct fs_gss_mech *mech,
                          gss_cred_id_t *out, const char *api)
{
    char *user;
    fs_err err = account_of(principal, &user);
    if (err != FS_OK)
        return err;
    struct fs_sid asserted;
    fs_sid_parse_known("S-1-18-2", &asserted); /* SERVICE_ASSERTED_IDENTITY */
    struct fs_lsa_logon_request req = {.logon_type = LOGON32_LOGON_NETWORK, .token_type = TokenImpersonation,
                                       .level = SecurityImpersonation, .source_name = "GSSAPI",
                                       .groups = &asserted, .ngroups = 1, .package = "Kerberos"};
    struct fs_token *token = NULL;
    struct fs_logon_profile profile = {0};
    fs_err sub;
    err = fs_logon_lsa(user, "", NULL, &req, &token, &profile, &sub);
    free(profile.full_name);
    free(profile.logon_server);
    struct fs_gss_cred *c = err == FS_OK ? fs_calloc(1, sizeof *c) : NULL;
    if (!c) {
        free(user);
        fs_token_unref(token);
        /* the account's own refusal (disabled, expired) where there is one */
        return err != FS_OK ? (sub != FS_OK ? sub : err) : FS_E_NOMEM;
    }
    fs_object_init(&c->base, &gss_cred_ops);
    c->mech = mech;
    c->impersonated = 1;
    err = fs_credential_acquire_as(mech->pkg, SECPKG_CRED_OUTBOUND, token, &c->cred);
    fs_token_unref(token);
    if (err == FS_OK && !(c->cred->id.s4u_service = fs_strdup(service)))
        err = FS_E_NOMEM;
    if (err == FS_OK)
        err = fs_gss_name_canonical(user, &c->principal);
    free(user);
    return publish_cred(c, err, api, out);
}

/* MIT's gss_acquire_cred_impersonate_name (S4U2Self): a credential of the user named, without their password, for
 * the impersonator's service (doc/semantics.md §78). Kerberos under either OID; the mechglue sends no other here
 * unless a program names it. */
OM_uint32 gssi_acquire_cred_impersonate_name(OM_uint32 *minor_status, const gss_cred_id_t impersonator_cred_handle,
                                             const gss_name_t desired_name, OM_uint32 time_req,
                                             const gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
                                             gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
                                             OM_uint32 *time_rec)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_acquire_cred_impersonate_name), FS_GSS_ON_CRED);
    const struct fs_gss_name *name = (const struct fs_gss_name *)desired_name;
    fs_trace_handle(&call.trace, "impersonator_cred_handle", (uintptr_t)impersonator_cred_handle);
    trace_desired(&call, desired_name, cred_usage);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (actual_mechs)
        *actual_mechs = GSS_C_NO_OID_SET; /* the mechglue answers it from its own table */
    const struct fs_gss_mech *mech = mech_of_set(desired_mechs);
    char *service = NULL;
    if (!output_cred_handle) {
        call.err = FS_E_NOACCESS;
    } else if (!mech || mech->pkg != &fs_kerberos_package) {
        *output_cred_handle = GSS_C_NO_CREDENTIAL;
        call.err = FS_E_NOT_SUPPORTED; /* SPNEGO and NTLMSSP: GSS_S_UNAVAILABLE (doc/semantics.md §78) */
    } else {
        *output_cred_handle = GSS_C_NO_CREDENTIAL;
        call.err = !name ? FS_E_INVALID_HANDLE
                         : impersonator_account(impersonator_cred_handle, cred_usage, call.api, &service);
        if (call.err == FS_OK) {
            call.subject = FS_GSS_ON_KDC; /* the KDC refused S4U2Self: MIT's GSS_S_FAILURE */
            call.err = impersonate(service, name->principal, mech, output_cred_handle, call.api);
        }
    }
    free(service);
    if (fs_gss_call_outputs(&call)) {
        fs_trace_handle(&call.trace, "output_cred_handle", (uintptr_t)*output_cred_handle);
        if (time_rec)
            *time_rec = GSS_C_INDEFINITE;
    }
    return fs_gss_call_end(&call, minor_status);
}

int fs_gss_cred_is_impersonated(gss_cred_id_t h, const char *api)
{
    struct fs_gss_cred *c;
    if (h == GSS_C_NO_CREDENTIAL || fs_gss_get_cred(h, api, &c) != FS_OK)
        return 0;
    int impersonated = c->impersonated;
    fs_object_unref(&c->base);
    return impersonated;
}

/* The default credential's name: the process's user (FAKESSPI_USER), as MIT's krb5 names its default ccache's
 * client. A NEW name in *name when name is not NULL. */
static fs_err default_cred_name(const struct fs_gss_mech *mech, gss_name_t *name)
{
    struct fs_credential *cred;
    fs_err err = fs_credential_acquire(mech->pkg, SECPKG_CRED_OUTBOUND, NULL, &cred);
    if (err != FS_OK)
        return err;
    char *principal = NULL;
    err = fs_gss_name_canonical(user_of(cred->name), &principal);
    fs_object_unref(&cred->base);
    struct fs_gss_name *n = NULL;
    if (err == FS_OK && name && (err = fs_gss_name_new(principal, &n)) == FS_OK)
        *name = (gss_name_t)n;
    free(principal);
    return err;
}

/* MIT's gss_inquire_cred_by_mech (RFC 2743 2.1.5): gss_inquire_cred's answer, the lifetime (indefinite) given for
 * each usage the credential has and 0 for the other, as MIT's krb5 answers. The mechglue passes
 * GSS_C_NO_CREDENTIAL on here: the default credential, the process's user as an initiator (doc/semantics.md §79). */
static fs_err inquire_cred_by_mech(gss_cred_id_t h, const struct fs_gss_mech *mech, gss_name_t *name,
                                   OM_uint32 *initiator_lifetime, OM_uint32 *acceptor_lifetime,
                                   gss_cred_usage_t *cred_usage, const char *api)
{
    gss_cred_usage_t usage = GSS_C_INITIATE;
    fs_err err = h == GSS_C_NO_CREDENTIAL ? default_cred_name(mech, name) : inquire_cred(h, name, NULL, &usage, api);
    if (err != FS_OK)
        return err;
    if (cred_usage)
        *cred_usage = usage;
    if (initiator_lifetime)
        *initiator_lifetime = usage != GSS_C_ACCEPT ? GSS_C_INDEFINITE : 0;
    if (acceptor_lifetime)
        *acceptor_lifetime = usage != GSS_C_INITIATE ? GSS_C_INDEFINITE : 0;
    return FS_OK;
}

OM_uint32 gssi_inquire_cred_by_mech(OM_uint32 *minor_status, gss_cred_id_t cred_handle, gss_OID mech_type,
                                    gss_name_t *name, OM_uint32 *initiator_lifetime, OM_uint32 *acceptor_lifetime,
                                    gss_cred_usage_t *cred_usage)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_inquire_cred_by_mech), FS_GSS_ON_CRED);
    fs_trace_handle(&call.trace, "cred_handle", (uintptr_t)cred_handle);
    const struct fs_gss_mech *mech = mech_type ? fs_gss_mech_by_oid(mech_type) : fs_gss_mech_krb5;
    fs_trace_string(&call.trace, "mech_type", mech ? mech->name : NULL);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (name)
        *name = GSS_C_NO_NAME;
    if (!mech) {
        call.subject = FS_GSS_ON_MECH;
        call.err = FS_E_NOT_SUPPORTED;
    } else {
        call.err = inquire_cred_by_mech(cred_handle, mech, name, initiator_lifetime, acceptor_lifetime, cred_usage,
                                        call.api);
    }
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
    trace_desired(&call, desired_name, cred_usage);
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
        call.err = fs_handle_close((struct fs_handle_key){(uintptr_t)*cred_handle, fs_gss_tag()}, &gss_cred_ops, call.api);
        if (call.err == FS_OK)
            *cred_handle = GSS_C_NO_CREDENTIAL;
    }
    return fs_gss_call_end(&call, minor_status);
}

/* The credential a client delegated, as the acceptor's delegated_cred_handle (doc/semantics.md §68): when, and only
 * when, the SSPI side accepted with ASC_RET_DELEGATE, the default credential of a thread impersonating the context's
 * token (the double hop's AcquireCredentialsHandle, doc/semantics.md §54), of the package inside (Kerberos), under
 * the mechanism a Kerberos context runs under, Kerberos for SPNEGO's. A NEW module credential in *out, or none. */
fs_err fs_gss_delegated_cred(struct fs_context *ctx, const char *api, gss_cred_id_t *out)
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
fs_err fs_gss_mechglue_cred(const struct fs_gss_mech *inner, gss_cred_id_t *h, const char *api)
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
        fs_err closed = fs_handle_close((struct fs_handle_key){(uintptr_t)*h, fs_gss_tag()}, &gss_cred_ops, api);
        (void)closed; /* opened by this call a moment ago: it closes */
    }
    *h = major == GSS_S_COMPLETE ? wrapped : GSS_C_NO_CREDENTIAL;
    if (major != GSS_S_COMPLETE && wrapped != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &wrapped);
    return major == GSS_S_COMPLETE ? FS_OK : FS_E_NOMEM;
}
