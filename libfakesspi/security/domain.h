/* The fake domain: its users and groups, and the one current domain of the process. */
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

/* Parses INI text into a NEW domain. On error returns NULL and writes "SOURCE:LINE: reason". */
struct fs_domain *fs_domain_parse(const char *text, const char *source, char *message, size_t cap);
void fs_domain_free(struct fs_domain *d);
/* The embedded default domain (README.md documents it). */
extern const char fs_default_domain_ini[];

/* Queries on a domain. Names are matched ASCII case-insensitively; user names may be
 * "alice", "EXAMPLE\alice", "example.test\alice" or "alice@example.test". */
const struct fs_user *fs_domain_find_user(const struct fs_domain *d, const char *name);
const struct fs_user *fs_domain_find_user_by_sid(const struct fs_domain *d, const struct fs_sid *sid);
const struct fs_group *fs_domain_find_group(const struct fs_domain *d, const char *name);
const struct fs_group *fs_domain_find_group_by_sid(const struct fs_domain *d, const struct fs_sid *sid);
/* "EXAMPLE" or "example.test" (or "." for the local machine). */
int fs_domain_is_named(const struct fs_domain *d, const char *name);
/* Adds principals; message explains a refusal. */
int fs_domain_add_group(struct fs_domain *d, const char *name, uint32_t rid, char *message, size_t cap);
int fs_domain_add_user(struct fs_domain *d, const char *name, uint32_t rid, const char *password,
                       const char *groups, char *message, size_t cap);

/* The process's current domain. Readers hold it between acquire and release (a read lock);
 * acquire returns NULL while the last load failed. */
const struct fs_domain *fs_domain_acquire(void);
void fs_domain_release(void);
/* Replace the current domain; on failure the current domain becomes unusable (logons fail). */
int fs_domain_install_text(const char *text, const char *source, char *message, size_t cap);
int fs_domain_install_file(const char *path, char *message, size_t cap);
/* Edit the current domain under the write lock. */
int fs_domain_current_add_user(const char *name, uint32_t rid, const char *password, const char *groups,
                               char *message, size_t cap);
int fs_domain_current_add_group(const char *name, uint32_t rid, char *message, size_t cap);
void fs_domain_clear(void);

#endif
