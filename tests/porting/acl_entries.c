/* Windows code that builds a DACL with SetEntriesInAcl and asks what it gives: Everyone may read, alice may not
 * write. The layouts it asserts are the SDK's x64 ones, so building it with MinGW-w64 checks them against
 * Windows' own headers. */
#include <windows.h>
#include <aclapi.h>
#include <stdio.h>
#include <stddef.h>

#ifdef __cplusplus
#define STATIC_CHECK(c, m) static_assert(c, m)
#else
#define STATIC_CHECK(c, m) _Static_assert(c, m)
#endif

STATIC_CHECK(sizeof(TRUSTEE_W) == 32 && offsetof(TRUSTEE_W, ptstrName) == 24, "TRUSTEE_W");
STATIC_CHECK(sizeof(EXPLICIT_ACCESS_W) == 48 && offsetof(EXPLICIT_ACCESS_W, Trustee) == 16, "EXPLICIT_ACCESS_W");
STATIC_CHECK(sizeof(EXPLICIT_ACCESS_A) == 48 && offsetof(EXPLICIT_ACCESS_A, grfInheritance) == 8, "EXPLICIT_ACCESS_A");
STATIC_CHECK(GRANT_ACCESS == 1 && SET_ACCESS == 2 && DENY_ACCESS == 3 && REVOKE_ACCESS == 4 && SET_AUDIT_FAILURE == 6,
               "ACCESS_MODE");
STATIC_CHECK(TRUSTEE_IS_NAME == 1 && TRUSTEE_BAD_FORM == 2 && TRUSTEE_IS_OBJECTS_AND_NAME == 4, "TRUSTEE_FORM");
STATIC_CHECK(TRUSTEE_IS_WELL_KNOWN_GROUP == 5 && TRUSTEE_IS_COMPUTER == 8 && TRUSTEE_IS_IMPERSONATE == 1,
               "TRUSTEE_TYPE");
STATIC_CHECK(SUB_CONTAINERS_AND_OBJECTS_INHERIT == 3 && INHERIT_ONLY == 8 && INHERITED_ACCESS_ENTRY == 0x10,
               "inheritance");

int main(void)
{
    EXPLICIT_ACCESS_A entries[2];
    BuildExplicitAccessWithNameA(&entries[0], (LPSTR) "Everyone", GENERIC_READ, SET_ACCESS, NO_INHERITANCE);
    BuildExplicitAccessWithNameA(&entries[1], (LPSTR) "alice", GENERIC_WRITE, DENY_ACCESS, NO_INHERITANCE);
    PACL acl = NULL;
    DWORD err = SetEntriesInAclA(2, entries, NULL, &acl);
    if (err != ERROR_SUCCESS) {
        printf("SetEntriesInAcl failed: %lu\n", (unsigned long)err);
        return 1;
    }
    TRUSTEE_A alice;
    BuildTrusteeWithNameA(&alice, (LPSTR) "alice");
    ACCESS_MASK rights = 0;
    err = GetEffectiveRightsFromAclA(acl, &alice, &rights);
    printf("alice: error %lu, rights %#lx\n", (unsigned long)err, (unsigned long)rights);
    LocalFree(acl);
    return err == ERROR_SUCCESS && rights == GENERIC_READ ? 0 : 1;
}
