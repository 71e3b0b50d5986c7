/* CreateRestrictedToken's filter: deny-only SIDs, deleted privileges, restricting SIDs (doc/semantics.md §45). */
#include "token_restrict.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "luid.h"
#include "privileges.h"
#include "winnt.h"

/* A group made deny-only keeps only what says what kind of SID it is (logon, resource): it is no longer
 * mandatory, enabled or a possible owner. */
#define DENY_ONLY_KEEPS ((uint32_t)(SE_GROUP_LOGON_ID | SE_GROUP_RESOURCE))
/* The attributes Windows reports for a restricting SID: always enabled for access checks. */
#define RESTRICTING_ATTRIBUTES ((uint32_t)(SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED))

static void disable_sids(struct fs_token *t, const struct fs_sid *sids, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (fs_sid_equal(&t->user, &sids[k]))
            t->user_attributes = SE_GROUP_USE_FOR_DENY_ONLY;
        for (size_t i = 0; i < t->ngroups; i++) {
            struct fs_token_group *g = &t->groups[i];
            if ((g->attributes & SE_GROUP_INTEGRITY) || !fs_sid_equal(&g->sid, &sids[k]))
                continue;
            g->attributes = (g->attributes & DENY_ONLY_KEEPS) | SE_GROUP_USE_FOR_DENY_ONLY;
            if (t->owner_group == (int)i) /* a deny-only SID cannot own what the token creates */
                t->owner_group = -1;
        }
    }
}

static int listed(const uint32_t *luids, size_t n, uint32_t luid)
{
    for (size_t i = 0; i < n; i++)
        if (luids[i] == luid)
            return 1;
    return 0;
}

/* DISABLE_MAX_PRIVILEGE keeps SeChangeNotifyPrivilege alone; otherwise the LUIDs named leave the token. */
static void delete_privileges(struct fs_token *t, const struct fs_token_restriction *r)
{
    uint32_t change_notify = fs_privilege_luid("SeChangeNotifyPrivilege");
    size_t kept = 0;
    for (size_t i = 0; i < t->nprivileges; i++) {
        uint32_t luid = t->privileges[i].luid;
        int drop = (r->flags & DISABLE_MAX_PRIVILEGE) ? luid != change_notify : listed(r->remove, r->nremove, luid);
        if (!drop)
            t->privileges[kept++] = t->privileges[i];
    }
    t->nprivileges = kept;
}

/* The new restricting list: the SIDs asked for, or, when the source already has a list, those of them it
 * has too (its own list when none are asked for). Duplicates stay, as Windows keeps them. */
static fs_err restrict_to(struct fs_token *t, const struct fs_token *src, const struct fs_token_restriction *r)
{
    if (!r->nrestrict)
        return FS_OK; /* the copy already holds src's list */
    struct fs_token_group *list = fs_calloc(r->nrestrict + 1, sizeof *list);
    if (!list)
        return FS_E_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < r->nrestrict; i++) {
        if (src->restricted && !fs_token_has_restricted_sid(src, &r->restrict_to[i]))
            continue;
        list[n].sid = r->restrict_to[i];
        list[n++].attributes = RESTRICTING_ATTRIBUTES;
    }
    free(t->restricted_sids);
    t->restricted_sids = list;
    t->nrestricted = n;
    /* A write-restricted source stays so; a fully restricted one is never loosened to writes only. */
    if (!src->restricted)
        t->write_restricted = (r->flags & WRITE_RESTRICTED) != 0;
    t->restricted = 1;
    return FS_OK;
}

fs_err fs_token_restrict(const struct fs_token *src, const struct fs_token_restriction *r, struct fs_token **out)
{
    struct fs_token *t = NULL;
    fs_err err = fs_token_duplicate(src, src->type, src->level, &t);
    if (err != FS_OK)
        return err;
    /* t is ours alone until it is handed out: no lock needed to shape it. */
    disable_sids(t, r->disable, r->ndisable);
    delete_privileges(t, r);
    err = restrict_to(t, src, r);
    if (err != FS_OK) {
        fs_token_unref(t);
        return err;
    }
    if (r->flags & SANDBOX_INERT)
        t->sandbox_inert = 1;
    if (r->flags & LUA_TOKEN)
        t->lua = 1;
    t->filtered = 1;
    t->modified_id = fs_luid_next();
    *out = t;
    return FS_OK;
}
