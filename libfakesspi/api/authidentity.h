/* The one reader of a caller's SEC_WINNT_AUTH_IDENTITY(_EX), A or W: AcquireCredentialsHandle and the Sspi*
 * identity helpers both read through it. */
#ifndef FS_API_AUTHIDENTITY_H
#define FS_API_AUTHIDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "sspi.h"

/* One string as the caller gave it: its characters (no NUL needed) and their count; chars NULL when absent. */
struct fs_auth_string {
    const void *chars;
    ULONG len;
};

/* A view into the caller's structure: nothing is copied, so it lives as long as the structure. */
struct fs_auth_identity {
    int ex;      /* the _EX form (Version 0x200), else the plain one */
    int unicode; /* UTF-16 strings, else ANSI ones (UTF-8 here) */
    ULONG flags;
    struct fs_auth_string user, domain, password;
    struct fs_auth_string packages; /* the _EX form's PackageList; absent in the plain one */
};

/* Only the _EX form, with a Length that covers it: what the Sspi* helpers take (doc/semantics.md §38).
 * Without it, the plain form is read as well and Length is not looked at, as AcquireCredentialsHandle does
 * (doc/semantics.md §1). */
#define FS_AUTH_IDENTITY_WHOLE_EX 1u

/* Reads auth (not NULL). FS_E_UNKNOWN_CREDENTIALS when it is not an identity these calls read: Flags naming
 * both ANSI and UNICODE or neither, the packed _EX2 form (not emulated), or, with FS_AUTH_IDENTITY_WHOLE_EX,
 * the plain form or a short Length. *out is filled only on FS_OK. */
FS_MUST_CHECK fs_err fs_auth_identity_read(const void *auth, unsigned how, struct fs_auth_identity *out);

/* The bytes one character takes in the identity's strings: 2 (UTF-16) or 1 (ANSI). */
size_t fs_auth_identity_unit(const struct fs_auth_identity *id);

/* NEW malloc'd UTF-8 copy of s, NUL-terminated; NULL when s is absent. A NUL inside the length names no
 * account, so it is FS_E_UNKNOWN_CREDENTIALS (doc/semantics.md §31); FS_E_NOMEM. */
FS_MUST_CHECK fs_err fs_auth_string_utf8(const struct fs_auth_string *s, int unicode, char **out);
/* The UTF-16 units s takes; and writing them to out (that many units, no NUL added). */
size_t fs_auth_string_units(const struct fs_auth_string *s, int unicode);
void fs_auth_string_put_utf16(const struct fs_auth_string *s, int unicode, uint16_t *out);

#endif
