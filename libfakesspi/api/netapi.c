/* The Net functions of lm.h over the fake domain: a user's global groups and aliases, as a domain
 * controller's SAM answers them (doc/semantics.md §21). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "lm.h"
#include "core/alloc.h"
#include "core/memtrack.h"
#include "core/utf.h"
#include "security/accounts.h"
#include "security/domain.h"
#include "security/domain_current.h"

#define MAX_NAMES 512

/* Group attributes of a global group in NetUserGetGroups level 1, as in a token. */
#define GROUP_ATTRIBUTES (SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED)

NET_API_STATUS NET_API_FUNCTION NetApiBufferAllocate(DWORD ByteCount, LPVOID *Buffer)
{
    FS_GATE_SCOPE();
    if (!Buffer)
        return ERROR_INVALID_PARAMETER;
    *Buffer = fs_mem_alloc(FS_MEM_LOCAL, ByteCount, 1, "NetApiBufferAllocate");
    return *Buffer ? NERR_Success : ERROR_NOT_ENOUGH_MEMORY;
}

/* The Net buffers come from the process heap, as LocalAlloc's do on Windows. */
NET_API_STATUS NET_API_FUNCTION NetApiBufferFree(LPVOID Buffer)
{
    FS_GATE_SCOPE();
    if (!Buffer)
        return NERR_Success;
    return fs_mem_free(Buffer, FS_MEM_LOCAL, "NetApiBufferFree") == FS_OK ? NERR_Success : ERROR_INVALID_PARAMETER;
}

/* One block: the array of name pointers (with attributes when level 1), then the UTF-16 names. */
static NET_API_STATUS pack(char **names, size_t n, int with_attributes, LPBYTE *out)
{
    size_t entry = with_attributes ? sizeof(GROUP_USERS_INFO_1) : sizeof(LPWSTR);
    size_t total = n * entry;
    for (size_t i = 0; i < n; i++) {
        size_t units = 0;
        (void)fs_utf8_to_utf16(names[i], strlen(names[i]), NULL, 0, &units, 0);
        total += (units + 1) * sizeof(WCHAR);
    }
    BYTE *block = fs_mem_alloc(FS_MEM_LOCAL, total ? total : 1, 1, "NetUserGetGroups");
    if (!block)
        return ERROR_NOT_ENOUGH_MEMORY;
    WCHAR *text = (WCHAR *)(block + n * entry);
    for (size_t i = 0; i < n; i++) {
        size_t units = 0;
        (void)fs_utf8_to_utf16(names[i], strlen(names[i]), (uint16_t *)text, (size_t)-1 / 4, &units, 0);
        text[units] = 0;
        if (with_attributes) {
            GROUP_USERS_INFO_1 *e = (GROUP_USERS_INFO_1 *)block + i;
            e->grui1_name = text;
            e->grui1_attributes = GROUP_ATTRIBUTES;
        } else {
            ((LPWSTR *)block)[i] = text;
        }
        text += units + 1;
    }
    *out = block;
    return NERR_Success;
}

static int add_name(char **names, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!fs_ascii_casecmp(names[i], name))
            return 0;
    if (*n == MAX_NAMES || !(names[*n] = fs_strdup(name)))
        return -1;
    (*n)++;
    return 0;
}

/* The nesting Active Directory sets up at promotion: these domain groups are members of these aliases. */
static const struct { uint32_t group_rid, alias_rid; } default_nesting[] = {
    { DOMAIN_GROUP_RID_USERS, DOMAIN_ALIAS_RID_USERS },
    { DOMAIN_GROUP_RID_ADMINS, DOMAIN_ALIAS_RID_ADMINS },
    { DOMAIN_GROUP_RID_GUESTS, DOMAIN_ALIAS_RID_GUESTS },
};

static void add_alias(char **names, size_t *n, uint32_t rid, int *failed)
{
    struct fs_sid sid;
    uint32_t subs[2] = { SECURITY_BUILTIN_DOMAIN_RID, rid };
    fs_sid_init(&sid, 5, 2, subs);
    struct fs_account acct;
    if (fs_account_by_sid(&sid, &acct) == FS_OK && add_name(names, n, acct.name) != 0)
        *failed = 1;
}

/* The user's global groups (local = 0) or aliases (local = 1), by name. */
static NET_API_STATUS collect(LPCWSTR server, LPCWSTR user, int local, int indirect, char **names, size_t *n)
{
    char *server8 = NULL, *user8 = NULL;
    int failed = 0;
    if (server)
        server8 = fs_api_narrow(server, &failed);
    if (user)
        user8 = fs_api_narrow(user, &failed);
    NET_API_STATUS st = NERR_Success;
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d && user8 ? fs_domain_find_user(d, user8) : NULL;
    if (failed)
        st = ERROR_NOT_ENOUGH_MEMORY;
    else if (!user8)
        st = ERROR_INVALID_PARAMETER;
    else if (!fs_is_local_machine(server8))
        st = NERR_InvalidComputer;
    else if (!u)
        st = NERR_UserNotFound;
    for (size_t i = 0; st == NERR_Success && i < u->ngroups; i++) {
        uint32_t rid;
        const struct fs_sid *sid = &u->groups[i];
        if (!local && fs_sid_is_in_domain(sid, &d->sid, &rid)) {
            const struct fs_group *g = fs_domain_find_group_by_sid(d, sid);
            if (g && add_name(names, n, g->name) != 0)
                failed = 1;
        } else if (local && sid->count == 2 && fs_sid_authority(sid) == 5 && sid->sub[0] == SECURITY_BUILTIN_DOMAIN_RID) {
            add_alias(names, n, sid->sub[1], &failed);
        } else if (local && indirect && fs_sid_is_in_domain(sid, &d->sid, &rid)) {
            for (size_t k = 0; k < sizeof default_nesting / sizeof default_nesting[0]; k++)
                if (default_nesting[k].group_rid == rid)
                    add_alias(names, n, default_nesting[k].alias_rid, &failed);
        }
    }
    if (st == NERR_Success && !local) { /* the primary group is always a global group of the user */
        struct fs_sid primary;
        fs_sid_append(&primary, &d->sid, u->primary_group_rid);
        const struct fs_group *g = fs_domain_find_group_by_sid(d, &primary);
        if (g && add_name(names, n, g->name) != 0)
            failed = 1;
    }
    if (st == NERR_Success && local && indirect) {
        uint32_t rid = u->primary_group_rid;
        for (size_t k = 0; k < sizeof default_nesting / sizeof default_nesting[0]; k++)
            if (default_nesting[k].group_rid == rid)
                add_alias(names, n, default_nesting[k].alias_rid, &failed);
    }
    fs_domain_release();
    free(server8);
    free(user8);
    return st == NERR_Success && failed ? ERROR_NOT_ENOUGH_MEMORY : st;
}

static NET_API_STATUS get_groups(LPCWSTR server, LPCWSTR user, DWORD level, int local, DWORD flags, LPBYTE *bufptr,
                                 LPDWORD entriesread, LPDWORD totalentries)
{
    FS_GATE_SCOPE();
    if (!bufptr || !entriesread || !totalentries)
        return ERROR_INVALID_PARAMETER;
    if (level != 0 && (local || level != 1))
        return ERROR_INVALID_LEVEL;
    char *names[MAX_NAMES];
    size_t n = 0;
    NET_API_STATUS st = collect(server, user, local, (flags & LG_INCLUDE_INDIRECT) != 0, names, &n);
    if (st == NERR_Success)
        st = pack(names, n, level == 1, bufptr);
    if (st == NERR_Success)
        *entriesread = *totalentries = (DWORD)n;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    return st;
}

NET_API_STATUS NET_API_FUNCTION NetUserGetGroups(LPCWSTR servername, LPCWSTR username, DWORD level, LPBYTE *bufptr,
                                                 DWORD prefmaxlen, LPDWORD entriesread, LPDWORD totalentries)
{
    (void)prefmaxlen; /* every group fits: the fake domain's lists are short */
    return get_groups(servername, username, level, 0, 0, bufptr, entriesread, totalentries);
}

NET_API_STATUS NET_API_FUNCTION NetUserGetLocalGroups(LPCWSTR servername, LPCWSTR username, DWORD level, DWORD flags,
                                                      LPBYTE *bufptr, DWORD prefmaxlen, LPDWORD entriesread,
                                                      LPDWORD totalentries)
{
    (void)prefmaxlen;
    if (flags & ~(DWORD)LG_INCLUDE_INDIRECT)
        return ERROR_INVALID_PARAMETER;
    return get_groups(servername, username, level, 1, flags, bufptr, entriesread, totalentries);
}
