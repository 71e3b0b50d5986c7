/* AuthZ's resource managers, client contexts and cached results (doc/semantics.md §56). */
#include "authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "acl.h"
#include "domain_current.h"
#include "logon.h"
#include "security_descriptor.h"
#include "winbase.h"
#include "winnt.h"

static void manager_destroy(struct fs_object *obj) { free(obj); }

static void manager_describe(const struct fs_object *obj, char *buf, size_t size)
{
    const struct fs_authz_manager *m = (const struct fs_authz_manager *)obj;
    snprintf(buf, size, "resource manager \"%s\"", m->name);
}

static void context_destroy(struct fs_object *obj)
{
    struct fs_authz_context *c = (struct fs_authz_context *)obj;
    fs_token_unref(c->identity);
    fs_object_unref(&c->manager->base);
    free(c);
}

static void context_describe(const struct fs_object *obj, char *buf, size_t size)
{
    const struct fs_authz_context *c = (const struct fs_authz_context *)obj;
    snprintf(buf, size, "client context of %s\\%s", c->identity->domain, c->identity->account);
}

static void results_destroy(struct fs_object *obj)
{
    struct fs_authz_results *r = (struct fs_authz_results *)obj;
    fs_object_unref(&r->context->base);
    free(r->sd);
    free(r);
}

const struct fs_object_ops fs_authz_manager_ops = {.name = "AuthZ resource manager",
                                                   .leak_name = "AUTHZ_HANDLE",
                                                   .describe = manager_describe,
                                                   .destroy = manager_destroy};
const struct fs_object_ops fs_authz_context_ops = {.name = "AuthZ client context",
                                                   .leak_name = "AUTHZ_HANDLE",
                                                   .describe = context_describe,
                                                   .destroy = context_destroy};
const struct fs_object_ops fs_authz_results_ops = {
    .name = "AuthZ access check results", .leak_name = "AUTHZ_HANDLE", .destroy = results_destroy};

fs_err fs_authz_manager_new(uint32_t flags, const char *name, struct fs_authz_manager **out)
{
    struct fs_authz_manager *m = fs_calloc(1, sizeof *m);
    if (!m)
        return FS_E_NOMEM;
    fs_object_init(&m->base, &fs_authz_manager_ops);
    m->flags = flags;
    if (name)
        snprintf(m->name, sizeof m->name, "%s", name);
    *out = m;
    return FS_OK;
}

/* AUTHZ_SKIP_TOKEN_GROUPS: the user alone decides, so only the integrity label stays among the groups (it is no
 * group an ACE can name, and the label check still needs it). The snapshot is never a token anyone queries for
 * its owner or primary group, which fall back to the user and the label. */
static void drop_groups(struct fs_token *t)
{
    size_t kept = 0;
    for (size_t i = 0; i < t->ngroups; i++)
        if (t->groups[i].attributes & SE_GROUP_INTEGRITY)
            t->groups[kept++] = t->groups[i];
    t->ngroups = kept;
    t->label_group = kept ? 0 : -1;
    t->owner_group = -1;
    t->primary_group = 0;
}

static fs_err context_new(struct fs_authz_manager *m, struct fs_token *identity, int64_t expiration,
                          uint64_t identifier, struct fs_authz_context **out)
{
    struct fs_authz_context *c = fs_calloc(1, sizeof *c);
    if (!c) {
        fs_token_unref(identity);
        return FS_E_NOMEM;
    }
    fs_object_init(&c->base, &fs_authz_context_ops);
    c->identity = identity;
    c->manager = (struct fs_authz_manager *)fs_object_ref(&m->base);
    c->expiration = expiration;
    c->identifier = identifier;
    *out = c;
    return FS_OK;
}

fs_err fs_authz_context_from_token(struct fs_authz_manager *m, const struct fs_token *t, int skip_groups,
                                   int64_t expiration, uint64_t identifier, struct fs_authz_context **out)
{
    struct fs_token *copy;
    fs_err err = fs_token_duplicate(t, TokenImpersonation, SecurityIdentification, &copy);
    if (err != FS_OK)
        return err;
    if (skip_groups)
        drop_groups(copy);
    return context_new(m, copy, expiration, identifier, out);
}

fs_err fs_authz_context_from_sid(struct fs_authz_manager *m, const struct fs_sid *user, int skip_groups,
                                 int privileges, int64_t expiration, uint64_t identifier,
                                 struct fs_authz_context **out)
{
    const struct fs_domain *d = fs_domain_acquire();
    if (!d)
        return FS_E_DOMAIN_UNUSABLE;
    const struct fs_user *u = fs_domain_find_user_by_sid(d, user);
    fs_err err = FS_E_NONE_MAPPED;
    struct fs_token *identity = NULL;
    if (u) {
        const struct fs_logon_request req = {
            .logon_type = LOGON32_LOGON_NETWORK,
            .source = "Authz",
            .token_type = TokenImpersonation,
            .level = SecurityIdentification,
            .package = "Kerberos", /* an S4U logon is the Kerberos package's */
        };
        err = fs_logon_build(d, u, &req, &identity);
    }
    fs_domain_release();
    if (err != FS_OK)
        return err;
    if (!privileges)
        identity->nprivileges = 0;
    if (skip_groups)
        drop_groups(identity);
    return context_new(m, identity, expiration, identifier, out);
}

fs_err fs_authz_results_new(struct fs_authz_context *ctx, const void *sd, size_t sd_len,
                            const struct fs_sid *principal_self, struct fs_authz_results **out)
{
    struct fs_authz_results *r = fs_calloc(1, sizeof *r);
    void *copy = fs_malloc(sd_len);
    if (!r || !copy) {
        free(r);
        free(copy);
        return FS_E_NOMEM;
    }
    fs_object_init(&r->base, &fs_authz_results_ops);
    memcpy(copy, sd, sd_len);
    r->sd = copy;
    r->context = (struct fs_authz_context *)fs_object_ref(&ctx->base);
    if (principal_self) {
        r->principal_self = *principal_self;
        r->has_principal_self = 1;
    }
    *out = r;
    return FS_OK;
}

fs_err fs_authz_context_add_groups(struct fs_authz_context *ctx, const struct fs_token_group *groups, size_t n,
                                   int restricting)
{
    struct fs_token *t = ctx->identity;
    struct fs_token_group **list = restricting ? &t->restricted_sids : &t->groups;
    size_t *count = restricting ? &t->nrestricted : &t->ngroups;
    if (!n)
        return FS_OK;
    struct fs_token_group *grown = fs_realloc(*list, (*count + n) * sizeof *grown);
    if (!grown)
        return FS_E_NOMEM;
    memcpy(grown + *count, groups, n * sizeof *groups);
    *list = grown;
    *count += n;
    if (restricting)
        t->restricted = 1;
    return FS_OK;
}

/* The ACE bytes of a descriptor's DACL: none when it has no DACL. */
static size_t dacl_ace_bytes(const struct fs_sd *v)
{
    return v->dacl ? fs_acl_bytes_in_use(v->dacl) - FS_ACL_HEADER_SIZE : 0;
}

fs_err fs_authz_merge_descriptors(const void *primary, const void *const *more, size_t nmore, void **out,
                                  size_t *out_len)
{
    struct fs_sd v;
    if (!fs_sd_is_valid(primary) || fs_sd_read(primary, &v) != FS_OK || !v.owner || !v.group)
        return FS_E_INVALID_SECURITY_DESCR;
    if (v.dacl && !fs_acl_is_valid(v.dacl))
        return FS_E_INVALID_ACL;
    size_t total = FS_ACL_HEADER_SIZE + dacl_ace_bytes(&v);
    uint8_t revision = v.dacl ? fs_acl_revision(v.dacl) : FS_ACL_REVISION;
    for (size_t i = 0; i < nmore; i++) {
        struct fs_sd o;
        if (!more[i] || !fs_sd_is_valid(more[i]) || fs_sd_read(more[i], &o) != FS_OK)
            return FS_E_INVALID_SECURITY_DESCR;
        if (o.dacl && !fs_acl_is_valid(o.dacl))
            return FS_E_INVALID_ACL;
        total += dacl_ace_bytes(&o);
        if (o.dacl && fs_acl_revision(o.dacl) > revision)
            revision = fs_acl_revision(o.dacl);
    }
    if (total > 0xFFFF) /* one ACL cannot hold them: its size is 16 bits (MS-DTYP 2.4.5) */
        return FS_E_INVALID_ACL;
    uint8_t *acl = NULL;
    if (v.dacl) { /* a missing primary DACL stays missing: it grants everything, whatever the others say */
        if (!(acl = fs_malloc(total)))
            return FS_E_NOMEM;
        fs_err err = fs_acl_init(acl, (uint32_t)total, revision);
        const void *const *sources = more;
        for (size_t i = 0; err == FS_OK && i <= nmore; i++) {
            struct fs_sd o = v;
            if (i > 0 && fs_sd_read(sources[i - 1], &o) != FS_OK)
                err = FS_E_INVALID_SECURITY_DESCR;
            size_t bytes = err == FS_OK ? dacl_ace_bytes(&o) : 0;
            if (bytes)
                err = fs_acl_insert(acl, revision, UINT32_MAX, (const uint8_t *)o.dacl + FS_ACL_HEADER_SIZE,
                                    (uint32_t)bytes);
        }
        if (err != FS_OK) {
            free(acl);
            return err;
        }
    }
    struct fs_sd merged = v;
    merged.dacl = acl;
    size_t len = fs_sd_relative_length(&merged);
    void *sd = fs_malloc(len);
    if (!sd) {
        free(acl);
        return FS_E_NOMEM;
    }
    fs_sd_write_relative(&merged, sd);
    free(acl);
    *out = sd;
    *out_len = len;
    return FS_OK;
}
