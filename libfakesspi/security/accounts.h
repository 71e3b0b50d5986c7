/* Names for SIDs and SIDs for names, across the domain and the well-known accounts. */
#ifndef FS_SECURITY_ACCOUNTS_H
#define FS_SECURITY_ACCOUNTS_H

#include "core/error.h"
#include "sid.h"

struct fs_account {
    char name[256];
    char domain[256];
    int use; /* SID_NAME_USE */
    struct fs_sid sid;
};

/* FS_E_NONE_MAPPED when nobody has that SID or name. */
FS_MUST_CHECK fs_err fs_account_by_sid(const struct fs_sid *sid, struct fs_account *out);
/* "alice", "EXAMPLE\alice", "alice@example.test", "Engineering", "BUILTIN\Users", "Everyone",
 * "NT AUTHORITY\SYSTEM", "EXAMPLE" (the domain itself). */
FS_MUST_CHECK fs_err fs_account_by_name(const char *name, struct fs_account *out);
/* The account domain (the fake domain: its NetBIOS name, its SID, SidTypeDomain); FS_E_NONE_MAPPED
 * when no domain is loaded. */
FS_MUST_CHECK fs_err fs_account_domain(struct fs_account *out);
/* ConvertStringSidToSid's input: "S-1-..." or an SDDL alias (WD, BA, DU, ...). */
FS_MUST_CHECK fs_err fs_sid_from_sddl(const char *text, struct fs_sid *out);
/* The reverse, as SDDL writes a SID: its two-letter alias when it has one, else "S-1-...". */
size_t fs_sid_to_sddl(const struct fs_sid *sid, char *buf, size_t cap);
/* Is name (NULL, "", "SERVER", "\\SERVER", "server.example.test") this fake host? */
int fs_is_local_machine(const char *name);

#endif
