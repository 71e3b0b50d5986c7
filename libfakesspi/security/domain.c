/* The domain model: its principals, freeing them, and the lookups by name, SID and SPN. */
#include "domain.h"

#include <nettle/memops.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf.h"
#include "nt_hash.h"

void fs_domain_free_user(struct fs_user *u)
{
    free(u->name);
    if (u->password) /* wiped: the fake secrets still deserve care (explicit_bzero: a memset may be dropped) */
        explicit_bzero(u->password, strlen(u->password));
    free(u->password);
    free(u->display);
    free(u->given);
    free(u->surname);
    free(u->upn);
    free(u->groups);
    free(u->privileges);
    for (size_t i = 0; i < u->nspns; i++)
        free(u->spns[i]);
    free(u->spns);
    for (size_t i = 0; i < u->nallowed_to_delegate_to; i++)
        free(u->allowed_to_delegate_to[i]);
    free(u->allowed_to_delegate_to);
    for (size_t i = 0; i < u->nworkstations; i++)
        free(u->workstations[i]);
    free(u->workstations);
}

void fs_domain_free(struct fs_domain *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nusers; i++)
        fs_domain_free_user(&d->users[i]);
    for (size_t i = 0; i < d->ngroups; i++) {
        free(d->groups[i].name);
        free(d->groups[i].description);
        free(d->groups[i].groups);
        free(d->groups[i].members);
    }
    for (size_t i = 0; i < d->ntrusts; i++) {
        fs_domain_free(d->trusts[i].domain);
        if (d->trusts[i].password)
            explicit_bzero(d->trusts[i].password, strlen(d->trusts[i].password));
        free(d->trusts[i].password);
    }
    free(d->trusts);
    if (d->nt_hashes) /* those made since the load are in there: wiped before the allocator sees them again */
        explicit_bzero(d->nt_hashes, d->users_cap * sizeof *d->nt_hashes);
    free(d->nt_hashes);
    free(d->accounts);
    free(d->users);
    free(d->groups);
    free(d->netbios);
    free(d->dns);
    free(d->computer);
    fs_index_free(&d->names);
    fs_index_free(&d->rids);
    fs_index_free(&d->upns);
    fs_index_free(&d->spns);
    free(d);
}

int fs_domain_user_nt_hash(const struct fs_domain *d, const struct fs_user *u, uint8_t out[16])
{
    struct fs_nt_hash_once *h = &d->nt_hashes[u - d->users];
    unsigned char state = atomic_load_explicit(&h->state, memory_order_acquire);
    if (state == FS_NT_HASH_MADE) {
        memcpy(out, h->bytes, 16);
        return 1;
    }
    if (!u->password) { /* an account given by its NT hash has it MADE from the load; a view of a user has none */
        memset(out, 0, 16);
        return 0;
    }
    fs_err err = state == FS_NT_HASH_NONE ? FS_E_NO_UNICODE_TRANSLATION : fs_nt_hash(u->password, out);
    /* Not made yet, or being made by another thread: this thread made the same bytes rather than wait. The one
     * that wins UNMADE -> MAKING keeps them; an out-of-memory failure (a password of over 259 units cannot be
     * in a finished account) keeps nothing, so that the next call tries again. */
    unsigned char unmade = FS_NT_HASH_UNMADE;
    if (state == FS_NT_HASH_UNMADE && err != FS_E_NOMEM &&
        atomic_compare_exchange_strong_explicit(&h->state, &unmade, FS_NT_HASH_MAKING, memory_order_relaxed,
                                                memory_order_relaxed)) {
        if (err == FS_OK)
            memcpy(h->bytes, out, 16);
        atomic_store_explicit(&h->state, err == FS_OK ? FS_NT_HASH_MADE : FS_NT_HASH_NONE, memory_order_release);
    }
    if (err != FS_OK)
        memset(out, 0, 16);
    return err == FS_OK;
}

int fs_domain_user_password_matches(const struct fs_domain *d, const struct fs_user *u, const char *given)
{
    if (u->password) {
        size_t a = strlen(given), b = strlen(u->password);
        /* memeql_sec compares in constant time for the length; unequal lengths differ anyway. */
        return a == b && memeql_sec(given, u->password, a);
    }
    /* Only the hash is known (doc/semantics.md §73): the given text's hash against it. */
    uint8_t theirs[16], ours[16];
    int same = fs_nt_hash(given, theirs) == FS_OK && fs_domain_user_nt_hash(d, u, ours) && memeql_sec(theirs, ours, 16);
    explicit_bzero(theirs, sizeof theirs);
    explicit_bzero(ours, sizeof ours);
    return same;
}

int fs_domain_key(const char *name, char key[FS_DOMAIN_KEY_MAX], size_t *len)
{
    return fs_utf8_upcase(name, key, FS_DOMAIN_KEY_MAX, len) == FS_OK ? 0 : -1;
}

int fs_domain_is_named(const struct fs_domain *d, const char *name)
{
    return !fs_ascii_casecmp(name, d->netbios) || !fs_ascii_casecmp(name, d->dns) || !strcmp(name, ".") ||
           !fs_ascii_casecmp(name, d->computer);
}

/* "DOMAIN\name" -> name when DOMAIN is this domain; NULL when it names another; name itself without one. */
const struct fs_trust *fs_domain_find_trust(const struct fs_domain *d, const char *name)
{
    for (size_t i = 0; name && i < d->ntrusts; i++) {
        const struct fs_domain *o = d->trusts[i].domain;
        if (!fs_ascii_casecmp(name, o->netbios) || !fs_ascii_casecmp(name, o->dns))
            return &d->trusts[i];
    }
    return NULL;
}

/* MS-KILE 3.3.5.7.3 / MS-ADTS 3.1.1.13.4: the resource domain expands the account's SIDs into its domain-local groups
 * (doc/semantics.md §76); a scan of the groups, which are few next to the users. */
fs_err fs_domain_resource_groups(const struct fs_domain *resource, const struct fs_sid *sids, size_t n, uint32_t **rids,
                                 size_t *count)
{
    *rids = NULL;
    *count = 0;
    size_t cap = 0;
    for (size_t g = 0; g < resource->ngroups; g++) {
        const struct fs_group *grp = &resource->groups[g];
        int member = 0;
        for (size_t m = 0; grp->domain_local && !member && m < grp->nmembers; m++)
            for (size_t i = 0; !member && i < n; i++)
                member = fs_sid_equal(&grp->members[m], &sids[i]);
        if (!member)
            continue;
        if (*count == cap) {
            cap = cap ? 2 * cap : 8;
            uint32_t *grown = fs_realloc(*rids, cap * sizeof *grown);
            if (!grown) {
                free(*rids);
                *rids = NULL;
                *count = 0;
                return FS_E_NOMEM;
            }
            *rids = grown;
        }
        (*rids)[(*count)++] = grp->rid;
    }
    return FS_OK;
}

fs_err fs_domain_user_resource_groups(const struct fs_domain *home, const struct fs_user *u,
                                     const struct fs_domain *resource, uint32_t **rids, size_t *count)
{
    *rids = NULL;
    *count = 0;
    struct fs_sid *all = NULL;
    size_t n = 0;
    fs_err err = fs_domain_expand_groups(home, u->groups, u->ngroups, &all, &n);
    if (err != FS_OK)
        return err;
    struct fs_sid *sids = fs_realloc(all, (n + 2) * sizeof *sids);
    if (!sids) {
        free(all);
        return FS_E_NOMEM;
    }
    sids[n++] = u->sid;
    fs_sid_append(&sids[n++], &home->sid, u->primary_group_rid);
    err = fs_domain_resource_groups(resource, sids, n, rids, count);
    free(sids);
    return err;
}

static const char *strip_domain(const struct fs_domain *d, const char *name, int *had_domain)
{
    const char *slash = strchr(name, '\\');
    *had_domain = slash != NULL;
    if (!slash)
        return name;
    char domain[256];
    size_t n = (size_t)(slash - name);
    if (n >= sizeof domain)
        return NULL;
    memcpy(domain, name, n);
    domain[n] = '\0';
    return fs_domain_is_named(d, domain) ? slash + 1 : NULL;
}

static int lookup(const struct fs_index *ix, const char *name, uint32_t *value)
{
    char key[FS_DOMAIN_KEY_MAX];
    size_t len;
    return !fs_domain_key(name, key, &len) && fs_index_get(ix, key, len, value);
}

const struct fs_user *fs_domain_find_user(const struct fs_domain *d, const char *name)
{
    int had_domain;
    const char *account = strip_domain(d, name, &had_domain);
    uint32_t v;
    if (!account)
        return NULL;
    if (!had_domain && strchr(name, '@'))
        return lookup(&d->upns, name, &v) ? &d->users[v] : NULL;
    return lookup(&d->names, account, &v) && !(v & FS_DOMAIN_GROUP_BIT) ? &d->users[v] : NULL;
}

const struct fs_user *fs_domain_find_user_by_sid(const struct fs_domain *d, const struct fs_sid *sid)
{
    uint32_t rid, v;
    if (!fs_sid_is_in_domain(sid, &d->sid, &rid) || !fs_index_get(&d->rids, &rid, sizeof rid, &v) ||
        (v & FS_DOMAIN_GROUP_BIT))
        return NULL;
    return &d->users[v];
}

const struct fs_group *fs_domain_find_group(const struct fs_domain *d, const char *name)
{
    int had_domain;
    const char *account = strip_domain(d, name, &had_domain);
    uint32_t v;
    if (!account || !lookup(&d->names, account, &v) || !(v & FS_DOMAIN_GROUP_BIT))
        return NULL;
    return &d->groups[v & ~FS_DOMAIN_GROUP_BIT];
}

const struct fs_group *fs_domain_find_group_by_sid(const struct fs_domain *d, const struct fs_sid *sid)
{
    uint32_t rid, v;
    if (!fs_sid_is_in_domain(sid, &d->sid, &rid) || !fs_index_get(&d->rids, &rid, sizeof rid, &v) ||
        !(v & FS_DOMAIN_GROUP_BIT))
        return NULL;
    return &d->groups[v & ~FS_DOMAIN_GROUP_BIT];
}

const struct fs_user *fs_domain_find_spn(const struct fs_domain *d, const char *spn)
{
    uint32_t v;
    return lookup(&d->spns, spn, &v) ? &d->users[v] : NULL;
}

static int seen(const struct fs_sid *list, size_t n, const struct fs_sid *sid)
{
    for (size_t i = 0; i < n; i++)
        if (fs_sid_equal(&list[i], sid))
            return 1;
    return 0;
}

fs_err fs_domain_expand_groups(const struct fs_domain *d, const struct fs_sid *direct, size_t n, struct fs_sid **out,
                               size_t *count)
{
    size_t cap = n + 8, len = 0;
    struct fs_sid *all = fs_malloc(cap * sizeof *all);
    if (!all)
        return FS_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (!seen(all, len, &direct[i]))
            all[len++] = direct[i];
    /* Breadth first over the nesting; a group met twice (or a cycle) is walked once. */
    for (size_t i = 0; i < len; i++) {
        const struct fs_group *g = fs_domain_find_group_by_sid(d, &all[i]);
        for (size_t k = 0; g && k < g->ngroups; k++) {
            if (seen(all, len, &g->groups[k]))
                continue;
            if (len == cap) {
                struct fs_sid *grown = fs_realloc(all, 2 * cap * sizeof *grown);
                if (!grown) {
                    free(all);
                    return FS_E_NOMEM;
                }
                all = grown;
                cap *= 2;
            }
            all[len++] = g->groups[k];
        }
    }
    *out = all;
    *count = len;
    return FS_OK;
}
