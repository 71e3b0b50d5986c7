/* What AccessCheck answered for one security descriptor (in SDDL), one token and one desired mask, with the
 * file object's generic mapping: the suites that walk MS-DTYP 2.5.3.2's cases compare these. */
#ifndef TESTS_ACCESS_OUTCOME_H
#define TESTS_ACCESS_OUTCOME_H
#include "testutil.h"
#include "sddl.h"

static GENERIC_MAPPING file_mapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS};

/* alice's network logon as an impersonation token, what a server holds while impersonating her. */
static inline HANDLE alice_impersonation(void)
{
    HANDLE primary, imp;
    ck_assert(LogonUserA("alice", NULL, "Passw0rd!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &primary));
    ck_assert(DuplicateToken(primary, SecurityImpersonation, &imp));
    CloseHandle(primary);
    return imp;
}

struct outcome {
    BOOL ok, status;
    DWORD granted, error;
};

/* Sentinels in every field, so that one AccessCheck leaves unset is seen. */
static inline struct outcome check(const char *sddl, HANDLE token, DWORD desired)
{
    PSECURITY_DESCRIPTOR sd;
    ck_assert_msg(ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &sd, NULL), "%s", sddl);
    struct outcome o = {0, 0xdead, 0xdeadbeef, 0};
    BYTE privs[64];
    DWORD len = sizeof privs;
    SetLastError(0xdeadbeef);
    o.ok = AccessCheck(sd, token, desired, &file_mapping, (PPRIVILEGE_SET)privs, &len, &o.granted, &o.status);
    o.error = GetLastError();
    LocalFree(sd);
    return o;
}

#define ck_assert_granted(expr, mask) \
    do { \
        struct outcome o_ = (expr); \
        ck_assert_msg(o_.ok && o_.status, "%s: not granted (last error %lu)", #expr, (unsigned long)o_.error); \
        ck_assert_uint_eq(o_.granted, (mask)); \
    } while (0)
#define ck_assert_denied(expr) \
    do { \
        struct outcome o_ = (expr); \
        ck_assert_msg(o_.ok && !o_.status, "%s: not denied (granted %#lx)", #expr, (unsigned long)o_.granted); \
        ck_assert_uint_eq(o_.granted, 0); \
        ck_assert_uint_eq(o_.error, ERROR_ACCESS_DENIED); \
    } while (0)
#endif
