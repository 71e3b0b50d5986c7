/* LSA Windows code: a password checked with LsaLogonUser (MSV1_0, packed submission as MSDN asks), the token's user,
 * the profile freed with LsaFreeReturnBuffer, the error text of a wrong password from LsaNtStatusToWinError, then
 * a policy handle: the account domain, names to SIDs with LsaLookupNames2 and back with LsaLookupSids, the older
 * LsaLookupNames (RIDs) and LsaLookupSids2; then the logon sessions, as "logonsessions"-style tools list them.
 * Built with -fshort-wchar on Linux so that L"" is WCHAR, as on Windows. */
#define WIN32_NO_STATUS
#include <windows.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <ntsecapi.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_unicode(const char *label, const LSA_UNICODE_STRING *s)
{
    char text[256];
    int n = WideCharToMultiByte(CP_UTF8, 0, s->Buffer, s->Length / (int)sizeof(WCHAR), text, (int)sizeof text - 1,
                                NULL, NULL);
    text[n > 0 ? n : 0] = '\0';
    printf("%s%s\n", label, text);
}

static void init_unicode(LSA_UNICODE_STRING *s, PWSTR text)
{
    s->Buffer = text;
    s->Length = (USHORT)(lstrlenW(text) * sizeof(WCHAR));
    s->MaximumLength = (USHORT)(s->Length + sizeof(WCHAR));
}

/* MSV1_0_INTERACTIVE_LOGON with its strings right after it, in one buffer. */
static PMSV1_0_INTERACTIVE_LOGON pack_logon(PCWSTR domain, PCWSTR user, PCWSTR password, ULONG *size)
{
    size_t d = lstrlenW(domain) * sizeof(WCHAR), u = lstrlenW(user) * sizeof(WCHAR);
    size_t p = lstrlenW(password) * sizeof(WCHAR);
    *size = (ULONG)(sizeof(MSV1_0_INTERACTIVE_LOGON) + d + u + p);
    PMSV1_0_INTERACTIVE_LOGON logon = (PMSV1_0_INTERACTIVE_LOGON)calloc(1, *size);
    if (!logon)
        return NULL;
    BYTE *text = (BYTE *)(logon + 1);
    logon->MessageType = MsV1_0InteractiveLogon;
    UNICODE_STRING *fields[3] = {&logon->LogonDomainName, &logon->UserName, &logon->Password};
    PCWSTR values[3] = {domain, user, password};
    size_t lengths[3] = {d, u, p};
    for (int i = 0; i < 3; i++) {
        memcpy(text, values[i], lengths[i]);
        fields[i]->Buffer = (PWSTR)text;
        fields[i]->Length = fields[i]->MaximumLength = (USHORT)lengths[i];
        text += lengths[i];
    }
    return logon;
}

static NTSTATUS check_password(HANDLE lsa, ULONG package, PCWSTR user, PCWSTR password, NTSTATUS *sub)
{
    ULONG size;
    PMSV1_0_INTERACTIVE_LOGON logon = pack_logon(L"EXAMPLE", user, password, &size);
    if (!logon)
        return STATUS_NO_MEMORY;
    char origin_text[] = "lsa_logon";
    LSA_STRING origin = {(USHORT)strlen(origin_text), (USHORT)sizeof origin_text, origin_text};
    TOKEN_SOURCE source;
    memcpy(source.SourceName, "lsalogon", TOKEN_SOURCE_LENGTH);
    AllocateLocallyUniqueId(&source.SourceIdentifier);
    PVOID profile = NULL;
    ULONG profile_length = 0;
    LUID logon_id;
    HANDLE token = NULL;
    QUOTA_LIMITS quotas;
    NTSTATUS status = LsaLogonUser(lsa, &origin, Interactive, package, logon, size, NULL, &source, &profile,
                                   &profile_length, &logon_id, &token, &quotas, sub);
    SecureZeroMemory(logon, size);
    free(logon);
    if (status != STATUS_SUCCESS)
        return status;
    BYTE buffer[256];
    DWORD needed;
    LPSTR sid = NULL;
    if (GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &needed) &&
        ConvertSidToStringSidA(((PTOKEN_USER)buffer)->User.Sid, &sid)) {
        printf("token user: %s\n", sid);
        LocalFree(sid);
    }
    print_unicode("full name: ", &((PMSV1_0_INTERACTIVE_PROFILE)profile)->FullName);
    LsaFreeReturnBuffer(profile);
    CloseHandle(token);
    return status;
}

static void print_error(const char *what, NTSTATUS status)
{
    ULONG error = LsaNtStatusToWinError(status);
    char text[256] = "";
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_MAX_WIDTH_MASK, NULL,
                   error, 0, text, sizeof text, NULL);
    printf("%s: 0x%08x (%u) %s\n", what, (unsigned)status, (unsigned)error, text);
}

static int logons(void)
{
    HANDLE lsa;
    NTSTATUS status = LsaConnectUntrusted(&lsa);
    if (status != STATUS_SUCCESS) {
        print_error("LsaConnectUntrusted", status);
        return 1;
    }
    char name[] = MSV1_0_PACKAGE_NAME;
    LSA_STRING package_name = {(USHORT)strlen(name), (USHORT)sizeof name, name};
    ULONG package;
    status = LsaLookupAuthenticationPackage(lsa, &package_name, &package);
    if (status == STATUS_SUCCESS) {
        NTSTATUS sub = STATUS_SUCCESS;
        status = check_password(lsa, package, L"alice", L"Passw0rd!", &sub);
        if (status != STATUS_SUCCESS)
            print_error("alice", status);
        status = check_password(lsa, package, L"alice", L"guess", &sub);
        print_error("LsaLogonUser", status);
        printf("sub-status: 0x%08x\n", (unsigned)sub);
    }
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static int lookups(void)
{
    LSA_OBJECT_ATTRIBUTES attributes;
    ZeroMemory(&attributes, sizeof attributes);
    LSA_HANDLE policy;
    NTSTATUS status = LsaOpenPolicy(NULL, &attributes, POLICY_VIEW_LOCAL_INFORMATION | POLICY_LOOKUP_NAMES, &policy);
    if (status != STATUS_SUCCESS) {
        print_error("LsaOpenPolicy", status);
        return 1;
    }
    PPOLICY_ACCOUNT_DOMAIN_INFO account;
    if (LsaQueryInformationPolicy(policy, PolicyAccountDomainInformation, (PVOID *)&account) == STATUS_SUCCESS) {
        print_unicode("account domain: ", &account->DomainName);
        LsaFreeMemory(account);
    }
    WCHAR alice[] = L"alice", nobody[] = L"nobody";
    LSA_UNICODE_STRING names[2];
    init_unicode(&names[0], alice);
    init_unicode(&names[1], nobody);
    PLSA_REFERENCED_DOMAIN_LIST domains = NULL;
    PLSA_TRANSLATED_SID2 sids = NULL;
    status = LsaLookupNames2(policy, 0, 2, names, &domains, &sids);
    printf("LsaLookupNames2: 0x%08x\n", (unsigned)status);
    if (status == STATUS_SUCCESS || status == STATUS_SOME_NOT_MAPPED) {
        PSID sid = sids[0].Sid;
        LPSTR text;
        if (ConvertSidToStringSidA(sid, &text)) {
            printf("alice is %s in domain %ld\n", text, (long)sids[0].DomainIndex);
            LocalFree(text);
        }
        PLSA_REFERENCED_DOMAIN_LIST back_domains = NULL;
        PLSA_TRANSLATED_NAME back = NULL;
        if (LsaLookupSids(policy, 1, &sid, &back_domains, &back) == STATUS_SUCCESS) {
            print_unicode("and back: ", &back[0].Name);
            print_unicode("of domain: ", &back_domains->Domains[back[0].DomainIndex].Name);
        }
        LsaFreeMemory(back);
        LsaFreeMemory(back_domains);
    }
    LsaFreeMemory(sids);
    LsaFreeMemory(domains);

    /* The older form: each RID relative to its referenced domain. */
    PLSA_TRANSLATED_SID rids = NULL;
    status = LsaLookupNames(policy, 1, names, &domains, &rids);
    if (status == STATUS_SUCCESS) {
        printf("alice is RID %lu of ", (unsigned long)rids[0].RelativeId);
        print_unicode("", &domains->Domains[rids[0].DomainIndex].Name);
    }
    LsaFreeMemory(rids);
    LsaFreeMemory(domains);
    PSID system = NULL;
    SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
    if (AllocateAndInitializeSid(&nt, 1, SECURITY_LOCAL_SYSTEM_RID, 0, 0, 0, 0, 0, 0, 0, &system)) {
        PLSA_TRANSLATED_NAME back = NULL;
        domains = NULL;
        if (LsaLookupSids2(policy, 0, 1, &system, &domains, &back) == STATUS_SUCCESS)
            print_unicode("S-1-5-18 is ", &back[0].Name);
        LsaFreeMemory(back);
        LsaFreeMemory(domains);
        FreeSid(system);
    }
    LsaClose(policy);
    return 0;
}

/* Every logon session, and what the LSA tells of the process's own. */
static int sessions(void)
{
    ULONG count = 0;
    PLUID list = NULL;
    NTSTATUS status = LsaEnumerateLogonSessions(&count, &list);
    if (status != STATUS_SUCCESS) {
        print_error("LsaEnumerateLogonSessions", status);
        return 1;
    }
    HANDLE token;
    TOKEN_STATISTICS stats;
    DWORD needed;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return 1;
    BOOL ok = GetTokenInformation(token, TokenStatistics, &stats, sizeof stats, &needed);
    CloseHandle(token);
    if (!ok)
        return 1;
    LUID system = SYSTEM_LUID;
    for (ULONG i = 0; i < count; i++) {
        PSECURITY_LOGON_SESSION_DATA data = NULL;
        status = LsaGetLogonSessionData(&list[i], &data);
        if (list[i].LowPart == system.LowPart && list[i].HighPart == system.HighPart)
            print_error("system session", status); /* a user may not read it */
        if (status != STATUS_SUCCESS)
            continue;
        if (list[i].LowPart == stats.AuthenticationId.LowPart && list[i].HighPart == stats.AuthenticationId.HighPart) {
            printf("own session: logon type %lu, session %lu\n", (unsigned long)data->LogonType,
                   (unsigned long)data->Session);
            print_unicode("  user: ", &data->UserName);
            print_unicode("  domain: ", &data->LogonDomain);
            print_unicode("  package: ", &data->AuthenticationPackage);
            print_unicode("  upn: ", &data->Upn);
        }
        LsaFreeReturnBuffer(data);
    }
    LsaFreeReturnBuffer(list);
    return 0;
}

int main(void)
{
    return logons() | lookups() | sessions();
}
