/* Well-known SIDs: their names, domains, SID_NAME_USE and SDDL aliases. */
#ifndef FS_SECURITY_WELLKNOWN_H
#define FS_SECURITY_WELLKNOWN_H

#include <stdint.h>

#include "sid.h"

struct fs_wellknown {
    const char *sid;     /* text form */
    const char *alias;   /* SDDL two-letter alias, or NULL */
    const char *name;    /* LookupAccountSid name */
    const char *domain;  /* LookupAccountSid referenced domain ("" for none) */
    int use;             /* SID_NAME_USE */
};

const struct fs_wellknown *fs_wellknown_by_sid(const struct fs_sid *sid);
/* name may be "NAME" or "DOMAIN\NAME"; ASCII case-insensitive. */
const struct fs_wellknown *fs_wellknown_by_name(const char *name);
const struct fs_wellknown *fs_wellknown_by_alias(const char *alias);
/* Parses a well-known entry's SID text (always valid). */
void fs_wellknown_sid(const struct fs_wellknown *wk, struct fs_sid *out);

/* CreateWellKnownSid's kinds (WELL_KNOWN_SID_TYPE): 1 and *fixed set for a SID of its own, 2 and *rid set
 * for one relative to an account domain, 0 for a type this table does not make. */
int fs_wellknown_of_type(int type, struct fs_sid *fixed, uint32_t *rid);

/* SIDs the token builder uses, by meaning. */
#define FS_SID_EVERYONE "S-1-1-0"
#define FS_SID_LOCAL "S-1-2-0"
#define FS_SID_CONSOLE_LOGON "S-1-2-1"
#define FS_SID_NETWORK "S-1-5-2"
#define FS_SID_BATCH "S-1-5-3"
#define FS_SID_INTERACTIVE "S-1-5-4"
#define FS_SID_SERVICE "S-1-5-6"
#define FS_SID_AUTHENTICATED_USERS "S-1-5-11"
#define FS_SID_THIS_ORGANIZATION "S-1-5-15"
#define FS_SID_SYSTEM "S-1-5-18"
#define FS_SID_BUILTIN "S-1-5-32"
#define FS_SID_BUILTIN_ADMINISTRATORS "S-1-5-32-544"
#define FS_SID_BUILTIN_USERS "S-1-5-32-545"
#define FS_SID_BUILTIN_GUESTS "S-1-5-32-546"
#define FS_SID_NTLM_AUTHENTICATION "S-1-5-64-10"
#define FS_SID_AUTHORITY_ASSERTED "S-1-18-1" /* every Kerberos logon carries it */
#define FS_SID_MEDIUM_INTEGRITY "S-1-16-8192"
#define FS_SID_HIGH_INTEGRITY "S-1-16-12288"

#endif
