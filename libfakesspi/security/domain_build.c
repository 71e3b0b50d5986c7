/* Building a domain principal by principal: checks, defaults and the lists of a user. */
#include "domain_build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "core/alloc.h"
#include "core/rng.h"
#include "core/utf.h"
#include "nt_hash.h"
#include "privileges.h"
#include "wellknown.h"
#include "winnt.h"

static void say(char *message, size_t cap, const char *fmt, ...)
{
    if (!message || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, cap, fmt, ap);
    va_end(ap);
}

static char *dup_str(const char *s)
{
    return s ? fs_strdup(s) : NULL;
}

void fs_domain_random_guid(uint8_t guid[16])
{
    fs_rng_bytes(guid, 16);
    guid[6] = (uint8_t)((guid[6] & 0x0F) | 0x40); /* RFC 4122 version 4 */
    guid[8] = (uint8_t)((guid[8] & 0x3F) | 0x80);
}

int fs_domain_parse_guid(const char *text, uint8_t guid[16])
{
    char plain[37];
    size_t len = strlen(text);
    if (len == 38 && text[0] == '{' && text[37] == '}') {
        memcpy(plain, text + 1, 36);
        plain[36] = '\0';
        text = plain;
    }
    return uuid_parse(text, guid) == 0 ? 0 : -1;
}

int fs_domain_set_string(char **field, const char *value, char *message, size_t cap)
{
    char *copy = fs_strdup(value);
    if (!copy) {
        say(message, cap, "out of memory");
        return -1;
    }
    free(*field);
    *field = copy;
    return 0;
}

static int rid_taken(const struct fs_domain *d, uint32_t rid)
{
    for (size_t i = 0; i < d->nusers; i++)
        if (d->users[i].rid == rid)
            return 1;
    for (size_t i = 0; i < d->ngroups; i++)
        if (d->groups[i].rid == rid)
            return 1;
    return 0;
}

static int name_taken(const struct fs_domain *d, const char *name)
{
    for (size_t i = 0; i < d->nusers; i++)
        if (!fs_ascii_casecmp(d->users[i].name, name))
            return 1;
    for (size_t i = 0; i < d->ngroups; i++)
        if (!fs_ascii_casecmp(d->groups[i].name, name))
            return 1;
    return 0;
}

static int check_new_principal(const struct fs_domain *d, const char *name, uint32_t rid, char *message,
                               size_t cap)
{
    if (!name || !*name || strpbrk(name, "\\/@,[]\"")) {
        say(message, cap, "'%s' is not a valid account name", name ? name : "");
        return -1;
    }
    if (name_taken(d, name)) {
        say(message, cap, "the name '%s' is already used in the domain", name);
        return -1;
    }
    if (rid == 0 || rid_taken(d, rid)) {
        say(message, cap, rid ? "RID %u is already used in the domain" : "RID %u is not valid", rid);
        return -1;
    }
    return 0;
}

struct fs_group *fs_domain_new_group(struct fs_domain *d, const char *name, uint32_t rid, char *message,
                                     size_t cap)
{
    if (check_new_principal(d, name, rid, message, cap))
        return NULL;
    struct fs_group *grown = fs_realloc(d->groups, (d->ngroups + 1) * sizeof *grown);
    if (!grown) {
        say(message, cap, "out of memory");
        return NULL;
    }
    d->groups = grown;
    struct fs_group *g = &d->groups[d->ngroups];
    memset(g, 0, sizeof *g);
    g->name = fs_strdup(name);
    if (!g->name) {
        say(message, cap, "out of memory");
        return NULL;
    }
    g->rid = rid;
    fs_sid_append(&g->sid, &d->sid, rid);
    fs_domain_random_guid(g->guid);
    d->ngroups++;
    return g;
}

struct fs_user *fs_domain_new_user(struct fs_domain *d, const char *name, uint32_t rid, char *message, size_t cap)
{
    if (check_new_principal(d, name, rid, message, cap))
        return NULL;
    struct fs_user *grown = fs_realloc(d->users, (d->nusers + 1) * sizeof *grown);
    if (!grown) {
        say(message, cap, "out of memory");
        return NULL;
    }
    d->users = grown;
    struct fs_user *u = &d->users[d->nusers];
    memset(u, 0, sizeof *u);
    u->name = fs_strdup(name);
    u->password = fs_strdup("");
    char upn[512];
    snprintf(upn, sizeof upn, "%s@%s", name, d->dns);
    u->upn = fs_strdup(upn);
    if (!u->name || !u->password || !u->upn) {
        free(u->name);
        free(u->password);
        free(u->upn);
        say(message, cap, "out of memory");
        return NULL;
    }
    u->rid = rid;
    fs_sid_append(&u->sid, &d->sid, rid);
    u->primary_group_rid = DOMAIN_GROUP_RID_USERS;
    fs_domain_random_guid(u->guid);
    d->nusers++;
    return u;
}

/* Calls fn for each trimmed, non-empty item of a comma-separated list; stops at the first -1. */
static int each_item(const char *list, int (*fn)(const char *item, void *arg), void *arg)
{
    char *copy = fs_strdup(list);
    if (!copy)
        return -1;
    int rc = 0;
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item && rc == 0; item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ' || *item == '\t')
            item++;
        char *end = item + strlen(item);
        while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        if (*item)
            rc = fn(item, arg);
    }
    free(copy);
    return rc;
}

struct group_walk {
    struct fs_domain *d;
    struct fs_user *u;
    char *message;
    size_t cap;
};

static int add_group_item(const char *item, void *arg)
{
    struct group_walk *w = arg;
    struct fs_sid sid;
    const struct fs_group *g = fs_domain_find_group(w->d, item);
    const struct fs_wellknown *wk = g ? NULL : fs_wellknown_by_name(item);
    if (g) {
        sid = g->sid;
    } else if (wk && !strcmp(wk->domain, "BUILTIN") && strcmp(wk->name, "BUILTIN")) {
        fs_wellknown_sid(wk, &sid);
    } else {
        say(w->message, w->cap, "user '%s': unknown group '%s'", w->u->name, item);
        return -1;
    }
    for (size_t i = 0; i < w->u->ngroups; i++)
        if (fs_sid_equal(&w->u->groups[i], &sid))
            return 0;
    struct fs_sid *grown = fs_realloc(w->u->groups, (w->u->ngroups + 1) * sizeof *grown);
    if (!grown) {
        say(w->message, w->cap, "out of memory");
        return -1;
    }
    w->u->groups = grown;
    w->u->groups[w->u->ngroups++] = sid;
    return 0;
}

int fs_domain_set_user_groups(struct fs_domain *d, struct fs_user *u, const char *list, char *message, size_t cap)
{
    struct group_walk w = {d, u, message, cap};
    free(u->groups);
    u->groups = NULL;
    u->ngroups = 0;
    return each_item(list, add_group_item, &w);
}

struct privilege_walk {
    struct fs_user *u;
    char *message;
    size_t cap;
};

static int add_privilege_item(const char *item, void *arg)
{
    struct privilege_walk *w = arg;
    uint32_t luid = fs_privilege_luid(item);
    if (!luid) {
        say(w->message, w->cap, "user '%s': unknown privilege '%s'", w->u->name, item);
        return -1;
    }
    uint32_t *grown = fs_realloc(w->u->privileges, (w->u->nprivileges + 1) * sizeof *grown);
    if (!grown) {
        say(w->message, w->cap, "out of memory");
        return -1;
    }
    w->u->privileges = grown;
    w->u->privileges[w->u->nprivileges++] = luid;
    return 0;
}

int fs_domain_set_user_privileges(struct fs_user *u, const char *list, char *message, size_t cap)
{
    struct privilege_walk w = {u, message, cap};
    free(u->privileges);
    u->nprivileges = 0;
    /* A non-NULL array, even empty, marks the list as explicit. */
    u->privileges = fs_malloc(sizeof *u->privileges);
    if (!u->privileges) {
        say(message, cap, "out of memory");
        return -1;
    }
    return each_item(list, add_privilege_item, &w);
}

struct spn_walk {
    struct fs_user *u;
    char *message;
    size_t cap;
};

static int add_spn_item(const char *item, void *arg)
{
    struct spn_walk *w = arg;
    char **grown = fs_realloc(w->u->spns, (w->u->nspns + 1) * sizeof *grown);
    if (!grown || !(grown[w->u->nspns] = fs_strdup(item))) {
        if (grown)
            w->u->spns = grown;
        say(w->message, w->cap, "out of memory");
        return -1;
    }
    w->u->spns = grown;
    w->u->nspns++;
    return 0;
}

int fs_domain_set_user_spns(struct fs_user *u, const char *list, char *message, size_t cap)
{
    struct spn_walk w = {u, message, cap};
    return each_item(list, add_spn_item, &w);
}

/* What Windows grants a standard user, and what membership of Administrators adds. */
static const char *const user_privileges[] = {"SeShutdownPrivilege", "SeChangeNotifyPrivilege",
                                              "SeUndockPrivilege", "SeIncreaseWorkingSetPrivilege",
                                              "SeTimeZonePrivilege"};
static const char *const admin_privileges[] = {
    "SeIncreaseQuotaPrivilege", "SeSecurityPrivilege", "SeTakeOwnershipPrivilege", "SeLoadDriverPrivilege",
    "SeSystemProfilePrivilege", "SeSystemtimePrivilege", "SeProfileSingleProcessPrivilege",
    "SeIncreaseBasePriorityPrivilege", "SeCreatePagefilePrivilege", "SeBackupPrivilege", "SeRestorePrivilege",
    "SeDebugPrivilege", "SeSystemEnvironmentPrivilege", "SeRemoteShutdownPrivilege", "SeManageVolumePrivilege",
    "SeImpersonatePrivilege", "SeCreateGlobalPrivilege", "SeCreateSymbolicLinkPrivilege",
    "SeDelegateSessionUserImpersonatePrivilege"};

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

void fs_domain_finish_user(struct fs_user *u)
{
    u->has_nt_hash = fs_nt_hash(u->password ? u->password : "", u->nt_hash) == FS_OK;
    if (!u->privileges) {
        struct fs_sid admins;
        (void)fs_sid_parse(FS_SID_BUILTIN_ADMINISTRATORS, &admins);
        int is_admin = 0;
        for (size_t i = 0; i < u->ngroups; i++)
            is_admin |= fs_sid_equal(&u->groups[i], &admins);
        size_t n = sizeof user_privileges / sizeof *user_privileges;
        size_t m = is_admin ? sizeof admin_privileges / sizeof *admin_privileges : 0;
        u->privileges = fs_malloc((n + m) * sizeof *u->privileges);
        if (!u->privileges)
            return;
        for (size_t i = 0; i < n; i++)
            u->privileges[u->nprivileges++] = fs_privilege_luid(user_privileges[i]);
        for (size_t i = 0; i < m; i++)
            u->privileges[u->nprivileges++] = fs_privilege_luid(admin_privileges[i]);
    }
    /* Windows lists a token's privileges in LUID order. */
    qsort(u->privileges, u->nprivileges, sizeof *u->privileges, cmp_u32);
    if (!u->display)
        u->display = dup_str(u->name);
}

int fs_domain_add_group(struct fs_domain *d, const char *name, uint32_t rid, char *message, size_t cap)
{
    return fs_domain_new_group(d, name, rid, message, cap) ? 0 : -1;
}

int fs_domain_add_user(struct fs_domain *d, const char *name, uint32_t rid, const char *password,
                       const char *groups, char *message, size_t cap)
{
    struct fs_user *u = fs_domain_new_user(d, name, rid, message, cap);
    if (!u)
        return -1;
    if ((password && fs_domain_set_string(&u->password, password, message, cap)) ||
        fs_domain_set_user_groups(d, u, groups ? groups : "Domain Users", message, cap)) {
        fs_domain_free_user(u);
        d->nusers--;
        return -1;
    }
    fs_domain_finish_user(u);
    return 0;
}
