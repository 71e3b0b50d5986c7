/* Token changes after creation: privileges, groups, owner, primary group, default DACL, session. */
#include "token_adjust.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "luid.h"
#include "winnt.h"

static int group_index(const struct fs_token *t, const void *sid)
{
    struct fs_sid s;
    fs_sid_copy_in(&s, sid);
    for (size_t i = 0; i < t->ngroups; i++)
        if (fs_sid_equal(&t->groups[i].sid, &s))
            return (int)i;
    return fs_sid_equal(&t->user, &s) ? -1 : -2;
}

static struct fs_token_privilege *held(struct fs_token *t, uint32_t luid)
{
    for (size_t i = 0; i < t->nprivileges; i++)
        if (t->privileges[i].luid == luid)
            return &t->privileges[i];
    return NULL;
}

/* The new attributes of p under a change, or p's own when nothing changes. */
static uint32_t adjusted(const struct fs_token_privilege *p, int disable_all, const struct fs_token_privilege *c)
{
    if (disable_all)
        return p->attributes & ~(uint32_t)SE_PRIVILEGE_ENABLED;
    if (c->attributes & SE_PRIVILEGE_REMOVED)
        return SE_PRIVILEGE_REMOVED;
    return (p->attributes & ~(uint32_t)SE_PRIVILEGE_ENABLED) | (c->attributes & SE_PRIVILEGE_ENABLED);
}

fs_err fs_token_adjust_privileges(struct fs_token *t, int disable_all, const struct fs_token_privilege *changes,
                                  size_t n, int want_previous, struct fs_token_privilege **previous,
                                  size_t *nprevious, int *not_all, size_t capacity)
{
    *previous = NULL;
    *nprevious = 0;
    *not_all = 0;
    fs_token_state_lock();
    size_t count = disable_all ? t->nprivileges : n;
    struct fs_token_privilege *prev = fs_calloc(count + 1, sizeof *prev);
    if (!prev) {
        fs_token_state_unlock();
        return FS_E_NOMEM;
    }
    /* First what would change, so a short PreviousState changes nothing. */
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        struct fs_token_privilege *p = disable_all ? &t->privileges[i] : held(t, changes[i].luid);
        if (!p) {
            *not_all = 1;
            continue;
        }
        uint32_t now = adjusted(p, disable_all, disable_all ? NULL : &changes[i]);
        if (now != p->attributes)
            prev[k++] = *p;
    }
    size_t need = sizeof(DWORD) + k * sizeof(LUID_AND_ATTRIBUTES);
    if (want_previous && capacity < need) {
        fs_token_state_unlock();
        *nprevious = k;
        free(prev);
        return FS_E_INSUFFICIENT_BUFFER;
    }
    for (size_t i = 0; i < count; i++) {
        struct fs_token_privilege *p = disable_all ? &t->privileges[i] : held(t, changes[i].luid);
        if (p)
            p->attributes = adjusted(p, disable_all, disable_all ? NULL : &changes[i]);
    }
    /* A removed privilege leaves the token for good. */
    size_t kept = 0;
    for (size_t i = 0; i < t->nprivileges; i++)
        if (!(t->privileges[i].attributes & SE_PRIVILEGE_REMOVED))
            t->privileges[kept++] = t->privileges[i];
    t->nprivileges = kept;
    if (k)
        t->modified_id = fs_luid_next();
    fs_token_state_unlock();
    *previous = prev;
    *nprevious = k;
    return FS_OK;
}

/* The group AdjustTokenGroups may change: the integrity label is not one of them. */
static struct fs_token_group *adjustable_group(struct fs_token *t, const struct fs_sid *sid)
{
    for (size_t i = 0; i < t->ngroups; i++)
        if (!(t->groups[i].attributes & SE_GROUP_INTEGRITY) && fs_sid_equal(&t->groups[i].sid, sid))
            return &t->groups[i];
    return NULL;
}

/* The group the i-th step works on and whether it is to end enabled; NULL when the step names no group
 * (or, on reset, a group that keeps its state: deny-only and the label). */
static struct fs_token_group *group_step(struct fs_token *t, int reset, const struct fs_group_change *changes,
                                         size_t i, int *enable)
{
    if (!reset) {
        *enable = changes[i].enable;
        return adjustable_group(t, &changes[i].sid);
    }
    struct fs_token_group *g = &t->groups[i];
    if (g->attributes & (SE_GROUP_INTEGRITY | SE_GROUP_USE_FOR_DENY_ONLY))
        return NULL;
    *enable = (g->attributes & SE_GROUP_ENABLED_BY_DEFAULT) != 0;
    return g;
}

static uint32_t enabled_as(uint32_t attributes, int enable)
{
    return enable ? attributes | SE_GROUP_ENABLED : attributes & ~(uint32_t)SE_GROUP_ENABLED;
}

fs_err fs_token_adjust_groups(struct fs_token *t, int reset, const struct fs_group_change *changes, size_t n,
                              int want_previous, struct fs_token_group **previous, size_t *nprevious,
                              size_t *needed, int *not_all, size_t capacity)
{
    *previous = NULL;
    *nprevious = 0;
    *needed = 0;
    *not_all = 0;
    fs_token_state_lock();
    size_t count = reset ? t->ngroups : n;
    struct fs_token_group *prev = fs_calloc(count + 1, sizeof *prev);
    if (!prev) {
        fs_token_state_unlock();
        return FS_E_NOMEM;
    }
    /* First what would change, so a refused group or a short PreviousState changes nothing. */
    size_t k = 0, need = offsetof(TOKEN_GROUPS, Groups);
    fs_err err = FS_OK;
    for (size_t i = 0; i < count && err == FS_OK; i++) {
        int enable = 0;
        struct fs_token_group *g = group_step(t, reset, changes, i, &enable);
        if (!g) {
            *not_all |= !reset;
            continue;
        }
        if (!enable && (g->attributes & SE_GROUP_MANDATORY))
            err = FS_E_CANT_DISABLE_MANDATORY;
        else if (enable && (g->attributes & SE_GROUP_USE_FOR_DENY_ONLY))
            err = FS_E_CANT_ENABLE_DENY_ONLY;
        else if (enabled_as(g->attributes, enable) != g->attributes) {
            prev[k++] = *g;
            need += sizeof(SID_AND_ATTRIBUTES) + fs_sid_length(&g->sid);
        }
    }
    if (err == FS_OK && want_previous && capacity < need)
        err = FS_E_INSUFFICIENT_BUFFER;
    if (err != FS_OK) {
        fs_token_state_unlock();
        *needed = err == FS_E_INSUFFICIENT_BUFFER ? need : 0;
        free(prev);
        return err;
    }
    for (size_t i = 0; i < count; i++) {
        int enable = 0;
        struct fs_token_group *g = group_step(t, reset, changes, i, &enable);
        if (g)
            g->attributes = enabled_as(g->attributes, enable);
    }
    if (k)
        t->modified_id = fs_luid_next();
    fs_token_state_unlock();
    *previous = prev;
    *nprevious = k;
    *needed = need;
    return FS_OK;
}

fs_err fs_token_set_owner(struct fs_token *t, const void *sid)
{
    fs_token_state_lock();
    int i = group_index(t, sid);
    fs_err err = FS_E_INVALID_OWNER;
    if (i == -1 || (i >= 0 && (t->groups[i].attributes & SE_GROUP_OWNER))) {
        t->owner_group = i;
        t->modified_id = fs_luid_next();
        err = FS_OK;
    }
    fs_token_state_unlock();
    return err;
}

fs_err fs_token_set_primary_group(struct fs_token *t, const void *sid)
{
    fs_token_state_lock();
    int i = group_index(t, sid);
    fs_err err = FS_E_INVALID_PRIMARY_GROUP;
    if (i >= 0) {
        t->primary_group = i;
        t->modified_id = fs_luid_next();
        err = FS_OK;
    }
    fs_token_state_unlock();
    return err;
}

fs_err fs_token_set_default_dacl(struct fs_token *t, const void *acl, size_t size)
{
    unsigned char *copy = NULL;
    if (acl) {
        copy = fs_malloc(size ? size : 1);
        if (!copy)
            return FS_E_NOMEM;
        memcpy(copy, acl, size);
    }
    fs_token_state_lock();
    unsigned char *old = t->default_dacl;
    t->default_dacl = copy;
    t->default_dacl_len = acl ? size : 0;
    t->default_dacl_set = 1;
    t->modified_id = fs_luid_next();
    fs_token_state_unlock();
    free(old);
    return FS_OK;
}

fs_err fs_token_set_session(struct fs_token *t, uint32_t session)
{
    fs_token_state_lock();
    t->session_id = session;
    t->modified_id = fs_luid_next();
    fs_token_state_unlock();
    return FS_OK;
}
