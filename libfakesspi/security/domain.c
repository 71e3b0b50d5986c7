/* The domain model: its principals, freeing them, and the lookups by name and SID. */
#include "domain.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf.h"

void fs_domain_free_user(struct fs_user *u)
{
    free(u->name);
    if (u->password) /* wiped: the fake secrets still deserve care (explicit_bzero: a memset may be dropped) */
        explicit_bzero(u->password, strlen(u->password));
    explicit_bzero(u->nt_hash, sizeof u->nt_hash);
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
    }
    free(d->users);
    free(d->groups);
    free(d->netbios);
    free(d->dns);
    free(d->computer);
    free(d);
}

int fs_domain_is_named(const struct fs_domain *d, const char *name)
{
    return !fs_ascii_casecmp(name, d->netbios) || !fs_ascii_casecmp(name, d->dns) || !strcmp(name, ".") ||
           !fs_ascii_casecmp(name, d->computer);
}

const struct fs_user *fs_domain_find_user(const struct fs_domain *d, const char *name)
{
    char domain[256];
    const char *account = name;
    const char *slash = strchr(name, '\\');
    const char *at = strrchr(name, '@');
    if (slash) {
        size_t n = (size_t)(slash - name);
        if (n >= sizeof domain)
            return NULL;
        memcpy(domain, name, n);
        domain[n] = '\0';
        if (!fs_domain_is_named(d, domain))
            return NULL;
        account = slash + 1;
    }
    for (size_t i = 0; i < d->nusers; i++) {
        const struct fs_user *u = &d->users[i];
        if (!fs_ascii_casecmp(account, u->name) || (!slash && at && !fs_ascii_casecmp(name, u->upn)))
            return u;
    }
    return NULL;
}

const struct fs_user *fs_domain_find_user_by_sid(const struct fs_domain *d, const struct fs_sid *sid)
{
    for (size_t i = 0; i < d->nusers; i++)
        if (fs_sid_equal(&d->users[i].sid, sid))
            return &d->users[i];
    return NULL;
}

const struct fs_group *fs_domain_find_group(const struct fs_domain *d, const char *name)
{
    const char *slash = strchr(name, '\\');
    if (slash) {
        char domain[256];
        size_t n = (size_t)(slash - name);
        if (n >= sizeof domain)
            return NULL;
        memcpy(domain, name, n);
        domain[n] = '\0';
        if (!fs_domain_is_named(d, domain))
            return NULL;
        name = slash + 1;
    }
    for (size_t i = 0; i < d->ngroups; i++)
        if (!fs_ascii_casecmp(name, d->groups[i].name))
            return &d->groups[i];
    return NULL;
}

const struct fs_group *fs_domain_find_group_by_sid(const struct fs_domain *d, const struct fs_sid *sid)
{
    for (size_t i = 0; i < d->ngroups; i++)
        if (fs_sid_equal(&d->groups[i].sid, sid))
            return &d->groups[i];
    return NULL;
}
