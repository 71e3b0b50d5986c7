/* Acquiring credentials: an explicit identity, or the caller's own logon as Windows uses it. */
#include "core/alloc.h"
#include "core/clock.h"
#include "credential.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "security/nt_hash.h"
#include "security/domain_current.h"
#include "security/identity.h"
#include "security/logon_session.h"
#include "sspi.h"
#include "winbase.h"

static void destroy(struct fs_object *obj)
{
    struct fs_credential *c = (struct fs_credential *)obj;
    free(c->id.user);
    free(c->id.domain);
    free(c->id.s4u_service);
    explicit_bzero(c->id.nt_hash, sizeof c->id.nt_hash);
    explicit_bzero(c->id.lm_hash, sizeof c->id.lm_hash);
    free(c->name);
    free(c->package_list);
    fs_logon_session_unref(c->logon_session);
    free(c);
}

/* An S4U logon's token has SERVICE_ASSERTED_IDENTITY (S-1-18-2, doc/semantics.md §44). */
static int is_s4u_logon(const struct fs_token *t)
{
    struct fs_sid asserted;
    fs_sid_parse_known("S-1-18-2", &asserted);
    for (size_t i = 0; i < t->ngroups; i++)
        if (fs_sid_equal(&t->groups[i].sid, &asserted))
            return 1;
    return 0;
}

/* The default identity: the user of t (the effective token), and its password from the domain. */
static fs_err default_identity(struct fs_identity *id, const char *password, const struct fs_token *t)
{
    if (!t)
        return FS_E_NO_CREDENTIALS;
    id->user = fs_strdup(t->account);
    id->domain = fs_strdup(t->domain);
    fs_err err = FS_OK;
    if (!id->user || !id->domain) {
        err = FS_E_NOMEM;
    } else if (password) {
        err = fs_nt_hash(password, id->nt_hash);
        if (err != FS_OK && err != FS_E_NOMEM)
            err = FS_E_UNKNOWN_CREDENTIALS;
        id->has_lm_hash = fs_lm_hash(password, id->lm_hash) == 0;
    } else {
        /* A network logon keeps no password: Kerberos finds the client's delegated TGT instead (doc/semantics.md §54). */
        id->network_logon = t->logon_type == LOGON32_LOGON_NETWORK;
        id->s4u_logon = id->network_logon && is_s4u_logon(t);
        const struct fs_domain *d = fs_domain_acquire();
        const struct fs_user *u = d ? fs_domain_find_user_by_sid(d, &t->user) : NULL;
        err = u && fs_domain_user_nt_hash(d, u, id->nt_hash) ? FS_OK : FS_E_NO_CREDENTIALS;
        id->has_lm_hash = err == FS_OK && u->password && fs_lm_hash(u->password, id->lm_hash) == 0;
        fs_domain_release();
    }
    id->has_secret = err == FS_OK;
    return err;
}

/* "DOMAIN\user" in the user field with no domain splits in two, as Windows' packages do. */
static fs_err explicit_identity(struct fs_identity *id, const struct fs_explicit_identity *e)
{
    const char *user = e->user, *domain = e->domain ? e->domain : "";
    const char *slash = user ? strchr(user, '\\') : NULL;
    if (slash && !*domain) {
        id->domain = fs_strndup(user, (size_t)(slash - user));
        id->user = fs_strdup(slash + 1);
    } else {
        id->domain = fs_strdup(domain);
        id->user = fs_strdup(user);
    }
    if (!id->user || !id->domain)
        return FS_E_NOMEM;
    id->has_secret = 1;
    if (e->nt_hash) { /* an account the domain gives by its key alone has no LM hash (doc/semantics.md §73) */
        memcpy(id->nt_hash, e->nt_hash, sizeof id->nt_hash);
        return FS_OK;
    }
    fs_err err = fs_nt_hash(e->password ? e->password : "", id->nt_hash);
    if (err != FS_OK)
        return err == FS_E_NOMEM ? err : FS_E_UNKNOWN_CREDENTIALS;
    id->has_lm_hash = fs_lm_hash(e->password ? e->password : "", id->lm_hash) == 0;
    return FS_OK;
}

static struct fs_credential *new_credential(const struct fs_package *pkg, uint32_t use)
{
    struct fs_credential *c = fs_calloc(1, sizeof *c);
    if (c) {
        fs_object_init(&c->base, &fs_credential_ops);
        c->pkg = pkg;
        c->use = use;
    }
    return c;
}

/* A NEW credential acquired by a caller whose effective token is caller (BORROWED, may be NULL). */
static fs_err acquire_by(const struct fs_package *pkg, uint32_t use, const struct fs_explicit_identity *e,
                         struct fs_token *caller, struct fs_credential **out)
{
    struct fs_credential *c = new_credential(pkg, use);
    if (!c)
        return FS_E_NOMEM;
    fs_err err;
    /* A NULL user in an identity means the caller's own name (with the password given). */
    if (!e || !e->user || !*e->user)
        err = default_identity(&c->id, e ? e->password : NULL, caller);
    else
        err = explicit_identity(&c->id, e);
    /* An inbound-only credential needs no secret: the server checks against the domain. */
    if (err == FS_E_NO_CREDENTIALS && !(use & SECPKG_CRED_OUTBOUND))
        err = FS_OK;
    if (err == FS_OK) {
        /* Explicit credentials too: Windows keeps their tickets in the caller's logon session, under the
         * credential's own principal (doc/semantics.md §49). */
        c->id.logon_id = caller ? caller->auth_id : 0;
        c->logon_session = caller ? caller->logon_session : NULL;
        fs_logon_session_ref(c->logon_session);
    }
    if (err == FS_OK && e && e->package_list && !(c->package_list = fs_strdup(e->package_list)))
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        size_t n = strlen(c->id.domain ? c->id.domain : "") + strlen(c->id.user ? c->id.user : "") + 2;
        c->name = fs_malloc(n);
        if (!c->name)
            err = FS_E_NOMEM;
        else if (c->id.domain && *c->id.domain)
            snprintf(c->name, n, "%s\\%s", c->id.domain, c->id.user);
        else
            snprintf(c->name, n, "%s", c->id.user ? c->id.user : "");
    }
    if (err != FS_OK) {
        fs_object_unref(&c->base);
        return err;
    }
    *out = c;
    return FS_OK;
}

fs_err fs_credential_acquire(const struct fs_package *pkg, uint32_t use, const struct fs_explicit_identity *e,
                             struct fs_credential **out)
{
    struct fs_token *caller = fs_effective_token();
    fs_err err = acquire_by(pkg, use, e, caller, out);
    fs_token_unref(caller);
    return err;
}

fs_err fs_credential_acquire_as(const struct fs_package *pkg, uint32_t use, struct fs_token *token,
                                struct fs_credential **out)
{
    return acquire_by(pkg, use, NULL, token, out);
}

uint64_t fs_credential_expiry(const struct fs_credential *c)
{
    if (!(c->use & SECPKG_CRED_OUTBOUND) || !c->id.has_secret || !c->pkg->credential_expiry)
        return (uint64_t)FS_TIME_NEVER;
    return c->pkg->credential_expiry(&c->id, c->package_list);
}

fs_err fs_credential_for_import(const struct fs_package *pkg, uint32_t use, const char *name,
                                struct fs_credential **out)
{
    struct fs_credential *c = new_credential(pkg, use);
    if (!c)
        return FS_E_NOMEM;
    c->name = fs_strdup(name ? name : "");
    if (!c->name) {
        fs_object_unref(&c->base);
        return FS_E_NOMEM;
    }
    *out = c;
    return FS_OK;
}

static void describe(const struct fs_object *obj, char *buf, size_t size)
{
    const struct fs_credential *c = (const struct fs_credential *)obj;
    snprintf(buf, size, "%s %s%s credential for %s", c->pkg->name, c->use & SECPKG_CRED_INBOUND ? "inbound" : "",
             c->use & SECPKG_CRED_OUTBOUND ? (c->use & SECPKG_CRED_INBOUND ? "+outbound" : "outbound") : "",
             c->name ? c->name : "?");
}

const struct fs_object_ops fs_credential_ops = {
    .name = "credential", .leak_name = "CREDENTIAL", .describe = describe, .destroy = destroy};
