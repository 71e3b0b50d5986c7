/* Building a domain principal by principal: checks, defaults and the lists of a user. */
#include "domain_build.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "core/alloc.h"
#include "core/bytes.h"
#include "core/clock.h"
#include "core/rng.h"
#include "core/utf.h"
#include "account_policy.h"
#include "enctypes.h"
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
    if (*field) /* it may have been a password */
        explicit_bzero(*field, strlen(*field));
    free(*field);
    *field = copy;
    return 0;
}

/* Windows' limits on account names (NetUserAdd: user names up to 20 characters, group names up to 256, none
 * of " / \ [ ] : | < > + = ; ? * , nor control characters, no trailing period; doc/semantics.md §30, "The domain
 * file"), with '@' kept out too so that a name never reads as a UPN. */
#define USER_NAME_MAX 20
#define GROUP_NAME_MAX 256
#define UPN_MAX 1024
#define PASSWORD_MAX 256
/* Active Directory's rangeUpper for displayName, givenName and sn (MS-ADA1/MS-ADA3); the PAC carries the
 * display name, in a string counted in 16 bits. */
#define DISPLAY_NAME_MAX 256
#define GIVEN_NAME_MAX 64
#define SURNAME_MAX 64

static int check_name(const char *name, size_t max, char *message, size_t cap)
{
    const char *shown = name ? name : "";
    if (!name || !*name || !fs_utf8_is_valid(name, strlen(name))) {
        say(message, cap, *shown ? "'%s' is not UTF-8" : "an account name is empty", shown);
        return -1;
    }
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 32 || *p == 127 || strchr("\"/\\[]:|<>+=;?*,@", *p)) {
            say(message, cap, "'%s' is not a valid account name (it has '%c')", name, *p >= 32 ? *p : '?');
            return -1;
        }
    if (name[strlen(name) - 1] == '.') {
        say(message, cap, "'%s' is not a valid account name (it ends with a period)", name);
        return -1;
    }
    if (fs_utf8_units(name) > max) {
        say(message, cap, "'%s' is longer than Windows allows (%zu characters)", name, max);
        return -1;
    }
    const struct fs_wellknown *wk = fs_wellknown_by_name(name);
    if (wk) {
        say(message, cap, "'%s' is the name of the well-known account %s%s%s", name, wk->domain,
            *wk->domain ? "\\" : "", wk->name);
        return -1;
    }
    return 0;
}

/* Checks a new principal's name and RID and puts both into the indexes (or neither), upper-casing the name once:
 * a domain of 100,000 users upper-cases 100,000 names. */
static int claim_principal(struct fs_domain *d, const char *name, size_t max, uint32_t rid, uint32_t value,
                           char *message, size_t cap)
{
    if (check_name(name, max, message, cap))
        return -1;
    char key[FS_DOMAIN_KEY_MAX];
    size_t len;
    uint32_t v;
    if (fs_domain_key(name, key, &len) || fs_index_get(&d->names, key, len, &v)) {
        say(message, cap, "the name '%s' is already used in the domain", name);
        return -1;
    }
    if (rid == 0 || fs_index_get(&d->rids, &rid, sizeof rid, &v)) {
        say(message, cap, rid ? "RID %u is already used in the domain" : "RID %u is not valid", rid);
        return -1;
    }
    if (fs_index_put(&d->names, key, len, value))
        goto nomem;
    if (fs_index_put(&d->rids, &rid, sizeof rid, value)) {
        fs_index_remove(&d->names, key, len);
        goto nomem;
    }
    return 0;
nomem:
    say(message, cap, "out of memory");
    return -1;
}

/* Takes a principal's name and RID out of the indexes again. */
static void unclaim_principal(struct fs_domain *d, const char *name, uint32_t rid)
{
    char key[FS_DOMAIN_KEY_MAX];
    size_t len;
    if (!fs_domain_key(name, key, &len))
        fs_index_remove(&d->names, key, len);
    fs_index_remove(&d->rids, &rid, sizeof rid);
}

struct fs_group *fs_domain_new_group(struct fs_domain *d, const char *name, uint32_t rid, char *message,
                                     size_t cap)
{
    if (d->ngroups == d->groups_cap) {
        size_t n = d->groups_cap ? 2 * d->groups_cap : 16;
        struct fs_group *grown = fs_realloc(d->groups, n * sizeof *grown);
        if (!grown) {
            say(message, cap, "out of memory");
            return NULL;
        }
        d->groups = grown;
        d->groups_cap = n;
    }
    struct fs_group *g = &d->groups[d->ngroups];
    memset(g, 0, sizeof *g);
    if (claim_principal(d, name, GROUP_NAME_MAX, rid, FS_DOMAIN_GROUP_BIT | (uint32_t)d->ngroups, message, cap))
        return NULL;
    if (!(g->name = fs_strdup(name))) {
        unclaim_principal(d, name, rid);
        say(message, cap, "out of memory");
        return NULL;
    }
    g->rid = rid;
    fs_sid_append(&g->sid, &d->sid, rid);
    fs_domain_random_guid(g->guid);
    d->ngroups++;
    return g;
}

/* Room for n users (n > users_cap). The NT hashes made since the load (fs_domain_user_nt_hash) move by hand and
 * their old block is wiped, never by realloc, so that no copy stays behind in freed memory; the new block comes
 * zeroed (every hash unmade) from calloc, whose large blocks are fresh pages that cost nothing until used. */
static int resize_users(struct fs_domain *d, size_t n)
{
    struct fs_user *users = fs_realloc(d->users, n * sizeof *users);
    if (!users)
        return -1;
    fs_advise_huge(users, n * sizeof *users);
    d->users = users; /* bigger than users_cap says until the hashes follow: harmless */
    struct fs_nt_hash_once *hashes = fs_calloc(n, sizeof *hashes);
    if (!hashes)
        return -1;
    if (d->nt_hashes) {
        memcpy(hashes, d->nt_hashes, d->nusers * sizeof *hashes);
        explicit_bzero(d->nt_hashes, d->users_cap * sizeof *d->nt_hashes);
        free(d->nt_hashes);
    }
    d->nt_hashes = hashes;
    struct fs_account_state *accounts = fs_calloc(n, sizeof *accounts);
    if (!accounts)
        return -1; /* users_cap still fits the old accounts array, which stays */
    if (d->accounts)
        memcpy(accounts, d->accounts, d->nusers * sizeof *accounts);
    free(d->accounts);
    d->accounts = accounts;
    d->users_cap = n;
    return 0;
}

int fs_domain_reserve(struct fs_domain *d, size_t users, size_t groups)
{
    if (groups > d->groups_cap) {
        struct fs_group *grown = fs_realloc(d->groups, groups * sizeof *grown);
        if (!grown)
            return -1;
        d->groups = grown;
        d->groups_cap = groups;
    }
    if (users > d->users_cap && resize_users(d, users))
        return -1;
    /* Key bytes are a guess (names of about 12 bytes, UPNs of about 32); the arenas grow past it if need be. */
    size_t all = users + groups;
    return fs_index_reserve(&d->names, all, 12 * all) || fs_index_reserve(&d->rids, all, 4 * all) ||
                   fs_index_reserve(&d->upns, users, 32 * users)
               ? -1
               : 0;
}

static int grow_users(struct fs_domain *d)
{
    return d->nusers < d->users_cap ? 0 : resize_users(d, d->users_cap ? 2 * d->users_cap : 16);
}

struct fs_user *fs_domain_new_user(struct fs_domain *d, const char *name, uint32_t rid, char *message, size_t cap)
{
    if (grow_users(d)) {
        say(message, cap, "out of memory");
        return NULL;
    }
    if (claim_principal(d, name, USER_NAME_MAX, rid, (uint32_t)d->nusers, message, cap))
        return NULL;
    struct fs_user *u = &d->users[d->nusers];
    memset(u, 0, sizeof *u);
    u->name = fs_strdup(name);
    size_t n = strlen(name) + strlen(d->dns) + 2;
    u->upn = fs_malloc(n);
    if (!u->name || !u->upn) {
        free(u->name);
        free(u->upn);
        unclaim_principal(d, name, rid);
        say(message, cap, "out of memory");
        return NULL;
    }
    size_t name_len = strlen(name); /* name@dns, a hundred thousand times over in a big domain: no printf */
    memcpy(u->upn, name, name_len);
    u->upn[name_len] = '@';
    memcpy(u->upn + name_len + 1, d->dns, n - name_len - 1);
    u->rid = rid;
    fs_sid_append(&u->sid, &d->sid, rid);
    u->primary_group_rid = DOMAIN_GROUP_RID_USERS;
    u->password_last_set = fs_clock_now(); /* set when loaded, unless the file says (doc/semantics.md §52) */
    fs_domain_random_guid(u->guid);
    /* Its NT hash slot unmade: a refused user whose slot this was was in no index where a logon could have found it,
     * but may have been given its hash (fs_domain_set_user_nt_hash). */
    explicit_bzero(&d->nt_hashes[d->nusers], sizeof d->nt_hashes[d->nusers]);
    d->nusers++; /* in the array and by name and RID; fs_domain_finish_user adds its UPN and SPNs */
    return u;
}

int fs_domain_set_user_nt_hash(struct fs_domain *d, struct fs_user *u, const char *hex, char *message, size_t cap)
{
    uint8_t hash[16];
    if (fs_hex_decode(hex, hash, sizeof hash)) {
        say(message, cap, "user '%s': nt_hash must be 32 hex digits (the NT hash, the account's RC4-HMAC key)", u->name);
        return -1;
    }
    /* Made from the load on: fs_domain_user_nt_hash hands it out as a hash made from a password (doc/semantics.md §73). */
    struct fs_nt_hash_once *slot = &d->nt_hashes[u - d->users];
    memcpy(slot->bytes, hash, sizeof hash);
    atomic_store_explicit(&slot->state, FS_NT_HASH_MADE, memory_order_release);
    explicit_bzero(hash, sizeof hash);
    u->nt_hash_given = 1;
    return 0;
}

/* An account given by its NT hash has no password and one key, RC4-HMAC: its encryption types are what it lists of
 * RC4 (all it has a key for), RC4 when it lists none (doc/semantics.md §73). */
static int finish_key_only_user(struct fs_user *u, char *message, size_t cap)
{
    if (u->password) {
        say(message, cap, "user '%s': give password or nt_hash, not both", u->name);
        return -1;
    }
    uint32_t listed = u->supported_enctypes ? u->supported_enctypes : FS_ENCTYPE_RC4;
    if (!(listed & FS_ENCTYPE_RC4)) {
        say(message, cap, "user '%s': supported_enctypes lists no RC4, the one key an account given by nt_hash has",
            u->name);
        return -1;
    }
    u->supported_enctypes = listed & ~(FS_ENCTYPE_AES128 | FS_ENCTYPE_AES256);
    return 0;
}

/* Calls fn for each trimmed, non-empty item of a comma-separated list; stops at the first -1. A short list
 * is cut on the stack: a domain of 100,000 users reads 100,000 lists. */
static int each_item(const char *list, int (*fn)(const char *item, void *arg), void *arg)
{
    char small[512];
    size_t len = strlen(list);
    char *copy = len < sizeof small ? memcpy(small, list, len + 1) : fs_strdup(list);
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
    if (copy != small)
        free(copy);
    return rc;
}

/* A membership list being read: a user's groups, or the groups a group is nested in. */
struct group_walk {
    struct fs_domain *d;
    const char *kind;          /* "user" or "group", for messages */
    const char *owner;
    const struct fs_sid *self; /* a group may not be its own member */
    struct fs_sid **list;
    size_t *n;
    size_t items;              /* the list's items: no more groups than that */
    char *message;
    size_t cap;
};

/* A comma-separated list's items, at most. */
static size_t count_items(const char *list)
{
    size_t n = 1;
    for (; *list; list++)
        n += *list == ',';
    return n;
}

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
        say(w->message, w->cap, "%s '%s': unknown group '%s'", w->kind, w->owner, item);
        return -1;
    }
    if (w->self && fs_sid_equal(w->self, &sid)) {
        say(w->message, w->cap, "group '%s' cannot be a member of itself", w->owner);
        return -1;
    }
    for (size_t i = 0; i < *w->n; i++)
        if (fs_sid_equal(&(*w->list)[i], &sid))
            return 0;
    if (!*w->list) { /* room for every item at the first: one block, of 2 SIDs for most of 100,000 users */
        *w->list = fs_malloc(w->items * sizeof **w->list);
        if (!*w->list) {
            say(w->message, w->cap, "out of memory");
            return -1;
        }
    }
    (*w->list)[(*w->n)++] = sid;
    return 0;
}

int fs_domain_set_user_groups(struct fs_domain *d, struct fs_user *u, const char *list, char *message, size_t cap)
{
    struct group_walk w = {d, "user", u->name, NULL, &u->groups, &u->ngroups, count_items(list), message, cap};
    free(u->groups);
    u->groups = NULL;
    u->ngroups = 0;
    return each_item(list, add_group_item, &w);
}

int fs_domain_set_group_groups(struct fs_domain *d, struct fs_group *g, const char *list, char *message, size_t cap)
{
    struct group_walk w = {d, "group", g->name, &g->sid, &g->groups, &g->ngroups, count_items(list), message, cap};
    free(g->groups);
    g->groups = NULL;
    g->ngroups = 0;
    return each_item(list, add_group_item, &w);
}

struct user_walk {
    struct fs_user *u;
    char *message;
    size_t cap;
};

static int add_privilege_item(const char *item, void *arg)
{
    struct user_walk *w = arg;
    uint32_t luid = fs_privilege_luid(item);
    if (!luid) {
        say(w->message, w->cap, "user '%s': unknown privilege '%s'", w->u->name, item);
        return -1;
    }
    for (size_t i = 0; i < w->u->nprivileges; i++)
        if (w->u->privileges[i] == luid) {
            say(w->message, w->cap, "user '%s': privilege '%s' is listed twice", w->u->name, item);
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
    struct user_walk w = {u, message, cap};
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

static int add_spn_item(const char *item, void *arg)
{
    struct user_walk *w = arg;
    char key[FS_DOMAIN_KEY_MAX], other[FS_DOMAIN_KEY_MAX];
    size_t len, olen;
    if (fs_domain_key(item, key, &len) || strchr(item, '@') || strchr(item, ' ')) {
        say(w->message, w->cap, "user '%s': '%s' is not an SPN", w->u->name, item);
        return -1;
    }
    for (size_t i = 0; i < w->u->nspns; i++)
        if (!fs_domain_key(w->u->spns[i], other, &olen) && olen == len && !memcmp(key, other, len)) {
            say(w->message, w->cap, "user '%s': SPN '%s' is listed twice", w->u->name, item);
            return -1;
        }
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
    struct user_walk w = {u, message, cap};
    return each_item(list, add_spn_item, &w);
}

static int add_delegation_target(const char *item, void *arg)
{
    struct user_walk *w = arg;
    if (!strchr(item, '/') || strchr(item, ' ')) {
        say(w->message, w->cap, "user '%s': '%s' is not an SPN", w->u->name, item);
        return -1;
    }
    char **grown = fs_realloc(w->u->allowed_to_delegate_to, (w->u->nallowed_to_delegate_to + 1) * sizeof *grown);
    if (grown)
        w->u->allowed_to_delegate_to = grown;
    if (!grown || !(grown[w->u->nallowed_to_delegate_to] = fs_strdup(item))) {
        say(w->message, w->cap, "out of memory");
        return -1;
    }
    w->u->nallowed_to_delegate_to++;
    return 0;
}

int fs_domain_set_user_delegation_targets(struct fs_user *u, const char *list, char *message, size_t cap)
{
    struct user_walk w = {u, message, cap};
    return each_item(list, add_delegation_target, &w);
}

static int add_workstation(const char *item, void *arg)
{
    struct user_walk *w = arg;
    if (fs_utf8_units(item) > 15 || strpbrk(item, "\\/:*?\"<>|. \t")) {
        say(w->message, w->cap, "user '%s': '%s' is not a computer's NetBIOS name", w->u->name, item);
        return -1;
    }
    char **grown = fs_realloc(w->u->workstations, (w->u->nworkstations + 1) * sizeof *grown);
    if (grown)
        w->u->workstations = grown;
    if (!grown || !(grown[w->u->nworkstations] = fs_strdup(item))) {
        say(w->message, w->cap, "out of memory");
        return -1;
    }
    w->u->nworkstations++;
    return 0;
}

int fs_domain_set_user_workstations(struct fs_user *u, const char *list, char *message, size_t cap)
{
    struct user_walk w = {u, message, cap};
    return each_item(list, add_workstation, &w);
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

#define NUSER_PRIVILEGES (sizeof user_privileges / sizeof *user_privileges)
#define NADMIN_PRIVILEGES (sizeof admin_privileges / sizeof *admin_privileges)
/* The two default lists as LUIDs, each in LUID order (a token's order), made once: a domain of 100,000 users
 * would look each name up, and sort, 100,000 times. */
static uint32_t user_luids[NUSER_PRIVILEGES], admin_luids[NUSER_PRIVILEGES + NADMIN_PRIVILEGES];
static struct fs_sid admins;
static pthread_once_t luids_once = PTHREAD_ONCE_INIT;

static void find_luids(void)
{
    for (size_t i = 0; i < NUSER_PRIVILEGES; i++)
        admin_luids[i] = user_luids[i] = fs_privilege_luid(user_privileges[i]);
    for (size_t i = 0; i < NADMIN_PRIVILEGES; i++)
        admin_luids[NUSER_PRIVILEGES + i] = fs_privilege_luid(admin_privileges[i]);
    qsort(user_luids, NUSER_PRIVILEGES, sizeof *user_luids, cmp_u32);
    qsort(admin_luids, NUSER_PRIVILEGES + NADMIN_PRIVILEGES, sizeof *admin_luids, cmp_u32);
    fs_sid_parse_known(FS_SID_BUILTIN_ADMINISTRATORS, &admins);
}

static int default_privileges(struct fs_user *u)
{
    pthread_once(&luids_once, find_luids);
    int is_admin = 0;
    for (size_t i = 0; i < u->ngroups; i++)
        is_admin |= fs_sid_equal(&u->groups[i], &admins);
    const uint32_t *luids = is_admin ? admin_luids : user_luids;
    size_t n = is_admin ? NUSER_PRIVILEGES + NADMIN_PRIVILEGES : NUSER_PRIVILEGES;
    u->privileges = fs_malloc(n * sizeof *u->privileges);
    if (!u->privileges)
        return -1;
    memcpy(u->privileges, luids, n * sizeof *luids);
    u->nprivileges = n;
    return 0;
}

/* Refuses a UPN or SPN that another account already has: one of them would log on as the other. The UPN's key
 * is left in upn_key, for index_user. */
static int check_unique_keys(const struct fs_domain *d, const struct fs_user *u, char upn_key[FS_DOMAIN_KEY_MAX],
                             size_t *upn_len, char *message, size_t cap)
{
    char key[FS_DOMAIN_KEY_MAX];
    size_t len;
    uint32_t v;
    const char *at = strchr(u->upn, '@');
    /* A backslash would make LookupAccountName read the UPN as DOMAIN\name: the account could never be found. */
    if (!at || at == u->upn || !at[1] || strchr(at + 1, '@') || strchr(u->upn, '\\') ||
        fs_utf8_units(u->upn) > UPN_MAX || fs_domain_key(u->upn, upn_key, upn_len)) {
        say(message, cap, "user '%s': '%s' is not a UPN (name@suffix without '\\', at most %d characters)", u->name,
            u->upn, UPN_MAX);
        return -1;
    }
    if (fs_index_get(&d->upns, upn_key, *upn_len, &v)) {
        say(message, cap, "user '%s': the UPN '%s' is already %s's", u->name, u->upn, d->users[v].name);
        return -1;
    }
    for (size_t i = 0; i < u->nspns; i++)
        if (!fs_domain_key(u->spns[i], key, &len) && fs_index_get(&d->spns, key, len, &v)) {
            say(message, cap, "user '%s': the SPN '%s' is already registered to '%s'", u->name, u->spns[i],
                d->users[v].name);
            return -1;
        }
    return 0;
}

/* Puts the user's UPN (its key made by check_unique_keys) and SPNs into the indexes, or none of them; its name
 * and RID are there since fs_domain_new_user. */
static int index_user(struct fs_domain *d, const struct fs_user *u, const char *upn_key, size_t upn_len)
{
    char key[FS_DOMAIN_KEY_MAX];
    size_t len, spns = 0;
    uint32_t value = (uint32_t)(u - d->users);
    if (fs_index_put(&d->upns, upn_key, upn_len, value))
        return -1;
    while (spns < u->nspns && !fs_domain_key(u->spns[spns], key, &len) && !fs_index_put(&d->spns, key, len, value))
        spns++;
    if (spns == u->nspns)
        return 0;
    while (spns--)
        if (!fs_domain_key(u->spns[spns], key, &len))
            fs_index_remove(&d->spns, key, len);
    fs_index_remove(&d->upns, upn_key, upn_len);
    return -1;
}

int fs_domain_finish_user(struct fs_domain *d, struct fs_user *u, char *message, size_t cap)
{
    if (u->nt_hash_given) {
        if (finish_key_only_user(u, message, cap))
            return -1;
    } else if (!u->password && !(u->password = fs_strdup(""))) { /* none given: the empty password */
        say(message, cap, "out of memory");
        return -1;
    }
    if (u->password && fs_utf8_units(u->password) > PASSWORD_MAX) {
        say(message, cap, "user '%s': the password is longer than Windows allows (%d characters)", u->name,
            PASSWORD_MAX);
        return -1;
    }
    const struct {
        const char *what, *value;
        size_t max;
    } names[] = {{"display", u->display, DISPLAY_NAME_MAX}, {"given", u->given, GIVEN_NAME_MAX},
                 {"surname", u->surname, SURNAME_MAX}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].value && fs_utf8_units(names[i].value) > names[i].max) {
            say(message, cap, "user '%s': the %s name is longer than Active Directory allows (%zu characters)",
                u->name, names[i].what, names[i].max);
            return -1;
        }
    char upn_key[FS_DOMAIN_KEY_MAX];
    size_t upn_len;
    if (check_unique_keys(d, u, upn_key, &upn_len, message, cap))
        return -1;
    /* Windows lists a token's privileges in LUID order; the defaults are in that order already. */
    if (u->privileges)
        qsort(u->privileges, u->nprivileges, sizeof *u->privileges, cmp_u32);
    else if (default_privileges(u))
        goto nomem;
    if ((u->protected_user = fs_account_in_protected_users(d, u)) < 0)
        goto nomem;
    if ((!u->display && !(u->display = fs_strdup(u->name))) || index_user(d, u, upn_key, upn_len))
        goto nomem;
    return 0;
nomem:
    say(message, cap, "out of memory");
    return -1;
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
        fs_domain_set_user_groups(d, u, groups ? groups : "Domain Users", message, cap) ||
        fs_domain_finish_user(d, u, message, cap)) {
        unclaim_principal(d, u->name, u->rid);
        fs_domain_free_user(u);
        d->nusers--;
        return -1;
    }
    return 0;
}
