/* The fake domain's model: its users and groups, and the lookups on them. */
#ifndef FS_SECURITY_DOMAIN_H
#define FS_SECURITY_DOMAIN_H

#include <stddef.h>
#include <stdint.h>
#include "sid.h"

struct fs_group {
    char *name;
    uint32_t rid;
    struct fs_sid sid;
    char *description;
    uint8_t guid[16];
};

struct fs_user {
    char *name;
    uint32_t rid;
    struct fs_sid sid;
    char *password;
    uint8_t nt_hash[16];        /* the password's NT hash, made when the domain is built (as AD keeps it) */
    int has_nt_hash;            /* 0 when the password is not UTF-8: such an account cannot log on */
    char *display;
    char *given;
    char *surname;
    char *upn;
    uint8_t guid[16];
    int disabled;
    int expired;
    uint32_t primary_group_rid;
    struct fs_sid *groups;      /* domain groups and BUILTIN aliases, in file order */
    size_t ngroups;
    uint32_t *privileges;       /* LUIDs; explicit, or the defaults for the user's groups */
    size_t nprivileges;
    char **spns;
    size_t nspns;
};

struct fs_domain {
    char *netbios;    /* EXAMPLE */
    char *dns;        /* example.test */
    char *computer;   /* NetBIOS name of the fake host, e.g. SERVER */
    struct fs_sid sid;
    uint8_t guid[16];
    struct fs_user *users;
    size_t nusers;
    struct fs_group *groups;
    size_t ngroups;
};

/* Frees a domain and everything it holds (passwords and NT hashes wiped). */
void fs_domain_free(struct fs_domain *d);
/* Frees what one user holds (not the user itself). */
void fs_domain_free_user(struct fs_user *u);

/* Queries on a domain. Names are matched ASCII case-insensitively; user names may be
 * "alice", "EXAMPLE\alice", "example.test\alice" or "alice@example.test". */
const struct fs_user *fs_domain_find_user(const struct fs_domain *d, const char *name);
const struct fs_user *fs_domain_find_user_by_sid(const struct fs_domain *d, const struct fs_sid *sid);
const struct fs_group *fs_domain_find_group(const struct fs_domain *d, const char *name);
const struct fs_group *fs_domain_find_group_by_sid(const struct fs_domain *d, const struct fs_sid *sid);
/* "EXAMPLE" or "example.test" (or "." for the local machine). */
int fs_domain_is_named(const struct fs_domain *d, const char *name);
#endif
