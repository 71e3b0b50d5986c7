/* Token lifetime: creation, duplication and the one place a token is freed. */
#include "core/alloc.h"
#include "token.h"
#include "core/cacheline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logon_session.h"
#include "luid.h"
#include "winnt.h"

static FS_OWN_LINES(atomic_size_t n;) live_tokens; /* written by every token made or freed (core/cacheline.h) */
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

void fs_token_state_lock(void) { pthread_mutex_lock(&state_lock); }
void fs_token_state_unlock(void) { pthread_mutex_unlock(&state_lock); }

size_t fs_token_live_count(void) { return atomic_load(&live_tokens.n); }

static void destroy(struct fs_object *obj)
{
    struct fs_token *t = (struct fs_token *)obj;
    free(t->groups);
    free(t->privileges);
    free(t->account);
    free(t->domain);
    free(t->default_dacl);
    free(t->restricted_sids);
    fs_logon_session_unref(t->logon_session);
    free(t);
    atomic_fetch_sub(&live_tokens.n, 1);
}

struct fs_token *fs_token_new(void)
{
    struct fs_token *t = fs_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    fs_object_init(&t->base, &fs_token_ops);
    t->owner_group = -1;
    t->primary_group = -1;
    t->label_group = -1;
    atomic_fetch_add(&live_tokens.n, 1);
    return t;
}

fs_err fs_token_duplicate(const struct fs_token *src, int type, int level, struct fs_token **out)
{
    struct fs_token *t = fs_token_new();
    if (!t)
        return FS_E_NOMEM;
    /* Everything but the object header: src's refcount may be changing on another thread right now. */
    fs_token_state_lock();
    memcpy((char *)t + offsetof(struct fs_token, user), (const char *)src + offsetof(struct fs_token, user),
           sizeof *t - offsetof(struct fs_token, user));
    fs_logon_session_ref(t->logon_session); /* the copy is a token of the same session: destroy lets it go */
    t->groups = fs_malloc(src->ngroups * sizeof *t->groups + 1);
    t->privileges = fs_malloc(src->nprivileges * sizeof *t->privileges + 1);
    t->account = fs_strdup(src->account ? src->account : "");
    t->domain = fs_strdup(src->domain ? src->domain : "");
    t->default_dacl = src->default_dacl ? fs_malloc(src->default_dacl_len + 1) : NULL;
    t->restricted_sids = fs_malloc(src->nrestricted * sizeof *t->restricted_sids + 1);
    int failed = !t->groups || !t->privileges || !t->account || !t->domain || (src->default_dacl && !t->default_dacl) ||
                 !t->restricted_sids;
    if (!failed) {
        memcpy(t->groups, src->groups, src->ngroups * sizeof *t->groups);
        memcpy(t->privileges, src->privileges, src->nprivileges * sizeof *t->privileges);
        if (src->nrestricted) /* a token without restricting SIDs may have no list (NULL) */
            memcpy(t->restricted_sids, src->restricted_sids, src->nrestricted * sizeof *t->restricted_sids);
        if (src->default_dacl)
            memcpy(t->default_dacl, src->default_dacl, src->default_dacl_len);
    }
    fs_token_state_unlock();
    if (failed) {
        fs_token_unref(t);
        return FS_E_NOMEM;
    }
    t->type = type;
    t->level = type == TokenImpersonation ? level : SecurityAnonymous;
    t->token_id = fs_luid_next();
    *out = t;
    return FS_OK;
}

int fs_token_has_enabled_sid(const struct fs_token *t, const struct fs_sid *sid)
{
    if (fs_sid_equal(&t->user, sid))
        return !(t->user_attributes & SE_GROUP_USE_FOR_DENY_ONLY);
    for (size_t i = 0; i < t->ngroups; i++) {
        uint32_t a = t->groups[i].attributes;
        if ((a & SE_GROUP_ENABLED) && !(a & SE_GROUP_USE_FOR_DENY_ONLY) && !(a & SE_GROUP_INTEGRITY) &&
            fs_sid_equal(&t->groups[i].sid, sid))
            return 1;
    }
    return 0;
}

int fs_token_has_restricted_sid(const struct fs_token *t, const struct fs_sid *sid)
{
    for (size_t i = 0; i < t->nrestricted; i++)
        if (fs_sid_equal(&t->restricted_sids[i].sid, sid))
            return 1;
    return 0;
}

int fs_token_is_member(const struct fs_token *t, const struct fs_sid *sid)
{
    fs_token_state_lock();
    int member = fs_token_has_enabled_sid(t, sid);
    fs_token_state_unlock();
    if (t->restricted && !t->write_restricted) /* doc/semantics.md §45 */
        member = member && fs_token_has_restricted_sid(t, sid);
    return member;
}

int fs_token_has_enabled_privilege(const struct fs_token *t, uint32_t luid)
{
    int enabled = 0;
    fs_token_state_lock();
    for (size_t i = 0; i < t->nprivileges; i++)
        if (t->privileges[i].luid == luid)
            enabled = (t->privileges[i].attributes & SE_PRIVILEGE_ENABLED) != 0;
    fs_token_state_unlock();
    return enabled;
}

static void describe(const struct fs_object *obj, char *buf, size_t size)
{
    const struct fs_token *t = (const struct fs_token *)obj;
    static const char *const levels[] = {"anonymous", "identification", "impersonation", "delegation"};
    if (t->type == TokenPrimary)
        snprintf(buf, size, "%s\\%s, primary", t->domain, t->account);
    else
        snprintf(buf, size, "%s\\%s, impersonation at %s level", t->domain, t->account,
                 t->level >= 0 && t->level <= 3 ? levels[t->level] : "?");
}

const struct fs_object_ops fs_token_ops = {
    .name = "token", .leak_name = "HANDLE", .describe = describe, .destroy = destroy};
