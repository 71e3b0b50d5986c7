/* Credentials: who a context speaks for, held by reference by every context made from them. */
#ifndef FS_SSPI_CREDENTIAL_H
#define FS_SSPI_CREDENTIAL_H

#include <stdint.h>

#include "core/object.h"
#include "packages/package.h"

struct fs_token;

struct fs_credential {
    struct fs_object base;
    const struct fs_package *pkg;
    uint32_t use;            /* SECPKG_CRED_INBOUND / OUTBOUND */
    struct fs_identity id;
    char *name;              /* "EXAMPLE\alice": SECPKG_CRED_ATTR_NAMES */
    char *package_list;      /* SEC_WINNT_AUTH_IDENTITY_EX's list, for Negotiate */
    /* The caller's logon session, held: a credential keeps its session (and its ticket cache) alive after the
     * tokens of the logon are closed, as on Windows (doc/semantics.md §49). NULL: none. */
    struct fs_logon_session *logon_session;
};

/* An explicit identity in UTF-8, any part NULL (SEC_WINNT_AUTH_IDENTITY*, converted by api/). */
struct fs_explicit_identity {
    const char *user;
    const char *domain;
    const char *password;
    const uint8_t *nt_hash;   /* instead of a password: the account's key as the domain holds it (16 bytes) */
    const char *package_list;
};

/* A NEW credential. explicit_id NULL means the default: the thread's user, else the process's. */
FS_MUST_CHECK fs_err fs_credential_acquire(const struct fs_package *pkg, uint32_t use, const struct fs_explicit_identity *explicit_id,
                             struct fs_credential **out);
/* A NEW default credential of a caller impersonating token (BORROWED): what AcquireCredentialsHandle(NULL, ...)
 * gives a thread impersonating an accepted client, its user in its logon session, so that Kerberos finds the TGT
 * the client delegated there (the double hop, doc/semantics.md §54), without touching the thread's own token. */
FS_MUST_CHECK fs_err fs_credential_acquire_as(const struct fs_package *pkg, uint32_t use, struct fs_token *token,
                                              struct fs_credential **out);
/* AcquireCredentialsHandle's TimeStamp for c: when an outbound credential with a secret expires in its package
 * (Kerberos and Negotiate: the TGT's end time, doc/semantics.md §62), else FS_TIME_NEVER (NTLM's never expire). */
uint64_t fs_credential_expiry(const struct fs_credential *c);
/* A NEW credential with no secret, for an imported context: it names the identity, nothing more. */
FS_MUST_CHECK fs_err fs_credential_for_import(const struct fs_package *pkg, uint32_t use, const char *name,
                                struct fs_credential **out);
/* The credential kind: "credential", described as "NTLM outbound credential for EXAMPLE\\alice". */
extern const struct fs_object_ops fs_credential_ops;

static inline struct fs_credential *fs_credential_from_object(struct fs_object *o)
{
    return fs_object_as(o, &fs_credential_ops);
}

#endif
