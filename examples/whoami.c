/* whoami, written as Windows code is: log on, read the token, impersonate, look names up.
 * Builds unchanged against libfakesspi (no #ifdef); run it with `make demo`. */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>

static void print_groups(HANDLE token)
{
    DWORD needed = 0;
    GetTokenInformation(token, TokenGroups, NULL, 0, &needed); /* sizes the buffer */
    TOKEN_GROUPS *groups = (TOKEN_GROUPS *)malloc(needed);
    if (!groups || !GetTokenInformation(token, TokenGroups, groups, needed, &needed)) {
        printf("GetTokenInformation failed: %lu\n", (unsigned long)GetLastError());
        free(groups);
        return;
    }
    for (DWORD i = 0; i < groups->GroupCount; i++) {
        char name[256], domain[256];
        DWORD cch_name = sizeof name, cch_domain = sizeof domain;
        SID_NAME_USE use;
        LPSTR text = NULL;
        ConvertSidToStringSidA(groups->Groups[i].Sid, &text);
        if (LookupAccountSidA(NULL, groups->Groups[i].Sid, name, &cch_name, domain, &cch_domain, &use))
            printf("  %-44s %-46s attributes 0x%08lx\n", text,
                   domain[0] ? (snprintf(domain + cch_domain, sizeof domain - cch_domain, "\\%s", name), domain) : name,
                   (unsigned long)groups->Groups[i].Attributes);
        LocalFree(text);
    }
    free(groups);
}

int main(void)
{
    HANDLE token;
    if (!LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &token)) {
        printf("LogonUser failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    printf("LogonUser(EXAMPLE\\bob, network) gave token handle %p; its groups:\n", token);
    print_groups(token);

    if (!ImpersonateLoggedOnUser(token)) {
        printf("ImpersonateLoggedOnUser failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    char name[256];
    ULONG size = sizeof name;
    GetUserNameExA(NameUserPrincipal, name, &size);
    printf("while impersonating, GetUserNameEx(NameUserPrincipal) = %s\n", name);

    PSID admins = NULL;
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0, &admins);
    BOOL member = FALSE;
    CheckTokenMembership(NULL, admins, &member);
    printf("member of BUILTIN\\Administrators? %s\n", member ? "yes" : "no");
    FreeSid(admins);
    RevertToSelf();

    size = sizeof name;
    GetUserNameExA(NameSamCompatible, name, &size);
    printf("after RevertToSelf the thread is %s again\n", name);

    CloseHandle(token);
    printf("\nAnd the classic bug, caught: closing the same handle twice.\n");
    if (!CloseHandle(token))
        printf("CloseHandle returned FALSE, GetLastError() = %lu (ERROR_INVALID_HANDLE), as on Windows\n",
               (unsigned long)GetLastError());
    return 0;
}
