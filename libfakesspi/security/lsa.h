/* The LSA's own objects: logon-process connections (LsaConnectUntrusted, LsaRegisterLogonProcess) and policy
 * handles (LsaOpenPolicy), each a kind of core's one handle table (doc/semantics.md §44). */
#ifndef FS_SECURITY_LSA_H
#define FS_SECURITY_LSA_H

#include <stddef.h>
#include "core/error.h"
#include "core/object.h"

struct fs_lsa_connection {
    struct fs_object base;
    int trusted;   /* LsaRegisterLogonProcess: the caller held SeTcbPrivilege, enabled */
    char name[128]; /* the logon process's name ("" for an untrusted connection), for reports */
};

struct fs_lsa_policy {
    struct fs_object base;
};

/* The kinds: "LSA connection" and "LSA policy", reported as "LEAK LSA_HANDLE" when left open. */
extern const struct fs_object_ops fs_lsa_connection_ops;
extern const struct fs_object_ops fs_lsa_policy_ops;

/* A NEW connection (one reference); name is len bytes, not NUL-terminated, at most 127. */
FS_MUST_CHECK fs_err fs_lsa_connection_new(int trusted, const char *name, size_t len, struct fs_lsa_connection **out);
/* A NEW policy object (one reference). */
FS_MUST_CHECK fs_err fs_lsa_policy_new(struct fs_lsa_policy **out);

/* The authentication packages the LSA knows, by name (case-insensitive) and by number: Negotiate 0, Kerberos 1,
 * MSV1_0 2, in the order EnumerateSecurityPackages lists them. FS_E_NO_SUCH_PACKAGE for any other name. */
enum { FS_LSA_PACKAGE_NEGOTIATE = 0, FS_LSA_PACKAGE_KERBEROS = 1, FS_LSA_PACKAGE_MSV1_0 = 2, FS_LSA_PACKAGE_COUNT };
FS_MUST_CHECK fs_err fs_lsa_package_by_name(const char *name, size_t len, unsigned *id);

#endif
