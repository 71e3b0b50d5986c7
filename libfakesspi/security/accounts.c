/* Account lookups: domain principals first, then the well-known table, then logon sessions. */
#include "accounts.h"

#include <stdio.h>
#include <string.h>

#include "core/utf.h"
#include "domain_current.h"
#include "wellknown.h"
#include "winnt.h"

static void fill(struct fs_account *out, const char *name, const char *domain, int use, const struct fs_sid *sid)
{
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->domain, sizeof out->domain, "%s", domain);
    out->use = use;
    out->sid = *sid;
}

static int from_domain_by_sid(const struct fs_domain *d, const struct fs_sid *sid, struct fs_account *out)
{
    const struct fs_user *u = fs_domain_find_user_by_sid(d, sid);
    const struct fs_group *g = u ? NULL : fs_domain_find_group_by_sid(d, sid);
    if (u)
        fill(out, u->name, d->netbios, SidTypeUser, sid);
    else if (g) /* a domain-local group is an alias, as BUILTIN's are (doc/semantics.md §76) */
        fill(out, g->name, d->netbios, g->domain_local ? SidTypeAlias : SidTypeGroup, sid);
    else if (fs_sid_equal(sid, &d->sid))
        fill(out, d->netbios, d->netbios, SidTypeDomain, sid);
    else
        return 0;
    return 1;
}

static int from_domain_by_name(const struct fs_domain *d, const char *name, struct fs_account *out)
{
    const struct fs_user *u = fs_domain_find_user(d, name);
    const struct fs_group *g = u ? NULL : fs_domain_find_group(d, name);
    if (u)
        fill(out, u->name, d->netbios, SidTypeUser, &u->sid);
    else if (g)
        fill(out, g->name, d->netbios, g->domain_local ? SidTypeAlias : SidTypeGroup, &g->sid);
    else if (!fs_ascii_casecmp(name, d->netbios) || !fs_ascii_casecmp(name, d->dns))
        fill(out, d->netbios, d->netbios, SidTypeDomain, &d->sid);
    else
        return 0;
    return 1;
}

/* The domain's principals, then its trusted domains' (doc/semantics.md §76). */
static int from_domains(const struct fs_domain *d, const struct fs_sid *sid, const char *name, struct fs_account *out)
{
    if (sid ? from_domain_by_sid(d, sid, out) : from_domain_by_name(d, name, out))
        return 1;
    for (size_t i = 0; i < d->ntrusts; i++)
        if (sid ? from_domain_by_sid(d->trusts[i].domain, sid, out)
                : from_domain_by_name(d->trusts[i].domain, name, out))
            return 1;
    return 0;
}

fs_err fs_account_by_sid(const struct fs_sid *sid, struct fs_account *out)
{
    const struct fs_domain *d = fs_domain_acquire();
    int found = d && from_domains(d, sid, NULL, out);
    fs_domain_release();
    if (found)
        return FS_OK;
    const struct fs_wellknown *wk = fs_wellknown_by_sid(sid);
    if (wk) {
        fill(out, wk->name, wk->domain, wk->use, sid);
        return FS_OK;
    }
    /* S-1-5-5-X-Y: a logon session, named as Windows names it. */
    if (fs_sid_authority(sid) == 5 && sid->count == 3 && sid->sub[0] == SECURITY_LOGON_IDS_RID) {
        char name[64];
        snprintf(name, sizeof name, "LogonSessionId_%u_%u", sid->sub[1], sid->sub[2]);
        fill(out, name, "NT AUTHORITY", SidTypeLogonSession, sid);
        return FS_OK;
    }
    return FS_E_NONE_MAPPED;
}

fs_err fs_account_by_name(const char *name, struct fs_account *out)
{
    if (!name || !*name)
        return FS_E_NONE_MAPPED;
    const struct fs_domain *d = fs_domain_acquire();
    int found = d && from_domains(d, NULL, name, out);
    fs_domain_release();
    if (found)
        return FS_OK;
    const struct fs_wellknown *wk = fs_wellknown_by_name(name);
    if (wk) {
        struct fs_sid sid;
        fs_wellknown_sid(wk, &sid);
        fill(out, wk->name, wk->domain, wk->use, &sid);
        return FS_OK;
    }
    return FS_E_NONE_MAPPED;
}

fs_err fs_account_domain(struct fs_account *out)
{
    const struct fs_domain *d = fs_domain_acquire();
    if (d)
        fill(out, d->netbios, d->netbios, SidTypeDomain, &d->sid);
    fs_domain_release();
    return d ? FS_OK : FS_E_NONE_MAPPED;
}

/* SDDL aliases relative to the domain. */
static const struct {
    const char *alias;
    uint32_t rid;
} domain_aliases[] = {{"LA", DOMAIN_USER_RID_ADMIN},      {"LG", DOMAIN_USER_RID_GUEST},
                      {"DA", DOMAIN_GROUP_RID_ADMINS},     {"DU", DOMAIN_GROUP_RID_USERS},
                      {"DG", DOMAIN_GROUP_RID_GUESTS},     {"DC", DOMAIN_GROUP_RID_COMPUTERS},
                      {"DD", DOMAIN_GROUP_RID_CONTROLLERS}, {"CA", 517},
                      {"SA", 518},                         {"EA", 519},
                      {"PA", 520},                         {"RS", 553},
                      {"RO", 498},                         {"CN", 522},
                      {"AP", 525},                         {"KA", 526},
                      {"EK", 527}};

/* ConvertStringSidToSid: a two-letter alias in any case, or "S-1-..." with at least one
 * sub-authority (doc/semantics.md §37). */
fs_err fs_sid_from_sddl(const char *text, struct fs_sid *out)
{
    if (strlen(text) == 2) {
        const struct fs_wellknown *wk = fs_wellknown_by_alias(text);
        if (wk) {
            fs_wellknown_sid(wk, out);
            return FS_OK;
        }
        for (size_t i = 0; i < sizeof domain_aliases / sizeof *domain_aliases; i++) {
            if (fs_ascii_casecmp(text, domain_aliases[i].alias))
                continue;
            const struct fs_domain *d = fs_domain_acquire();
            if (d)
                fs_sid_append(out, &d->sid, domain_aliases[i].rid);
            fs_domain_release();
            return d ? FS_OK : FS_E_INVALID_SID;
        }
        return FS_E_INVALID_SID;
    }
    fs_err err = fs_sid_parse(text, out);
    return err == FS_OK && out->count == 0 ? FS_E_INVALID_SID : err;
}

size_t fs_sid_to_sddl(const struct fs_sid *sid, char *buf, size_t cap)
{
    const struct fs_wellknown *wk = fs_wellknown_by_sid(sid);
    if (wk && wk->alias)
        return (size_t)snprintf(buf, cap, "%s", wk->alias);
    const struct fs_domain *d = fs_domain_acquire();
    uint32_t rid;
    const char *alias = NULL;
    if (d && fs_sid_is_in_domain(sid, &d->sid, &rid))
        for (size_t i = 0; i < sizeof domain_aliases / sizeof *domain_aliases; i++)
            if (domain_aliases[i].rid == rid)
                alias = domain_aliases[i].alias;
    fs_domain_release();
    if (alias)
        return (size_t)snprintf(buf, cap, "%s", alias);
    return fs_sid_format(sid, buf, cap);
}

int fs_is_local_machine(const char *name)
{
    if (!name || !*name)
        return 1;
    while (*name == '\\')
        name++;
    const struct fs_domain *d = fs_domain_acquire();
    int local = 0;
    if (d) {
        char fqdn[512];
        snprintf(fqdn, sizeof fqdn, "%s.%s", d->computer, d->dns);
        local = !fs_ascii_casecmp(name, d->computer) || !fs_ascii_casecmp(name, fqdn) ||
                !fs_ascii_casecmp(name, "localhost") || !strcmp(name, ".");
    }
    fs_domain_release();
    return local;
}
