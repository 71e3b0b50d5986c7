/* An error table such as SSPI servers keep: every status a handshake can end in, by name, with the
 * system's text beside it. It compiles only if every name is defined, and prints Windows' texts. */
#define SECURITY_WIN32
#include <winsock2.h> /* before windows.h, as Windows' headers require */
#include <windows.h>
#include <security.h>
#include <wincrypt.h>
#include <ntstatus.h>
#include <stdio.h>

#define ENTRY(code) { code, #code }
static const struct {
    LONG code;
    const char *name;
} table[] = {
    ENTRY(SEC_E_OK), ENTRY(SEC_I_CONTINUE_NEEDED), ENTRY(SEC_I_COMPLETE_NEEDED), ENTRY(SEC_I_COMPLETE_AND_CONTINUE),
    ENTRY(SEC_E_INVALID_HANDLE), ENTRY(SEC_E_INVALID_TOKEN), ENTRY(SEC_E_LOGON_DENIED),
    ENTRY(SEC_E_SMARTCARD_CERT_REVOKED), ENTRY(SEC_E_ISSUING_CA_UNTRUSTED), ENTRY(SEC_E_REVOCATION_OFFLINE_C),
    ENTRY(SEC_E_PKINIT_CLIENT_FAILURE), ENTRY(SEC_E_SMARTCARD_CERT_EXPIRED), ENTRY(SEC_E_NO_S4U_PROT_SUPPORT),
    ENTRY(SEC_E_CROSSREALM_DELEGATION_FAILURE), ENTRY(SEC_E_REVOCATION_OFFLINE_KDC),
    ENTRY(SEC_E_ISSUING_CA_UNTRUSTED_KDC), ENTRY(SEC_E_KDC_CERT_EXPIRED), ENTRY(SEC_E_KDC_CERT_REVOKED),
    ENTRY(SEC_E_PKU2U_CERT_FAILURE), ENTRY(CRYPT_E_REVOKED), ENTRY(CRYPT_E_NO_REVOCATION_CHECK),
    ENTRY(CRYPT_E_REVOCATION_OFFLINE), ENTRY(CRYPT_E_NOT_IN_REVOCATION_DATABASE), ENTRY(ERROR_INVALID_LOGON_TYPE),
    ENTRY(ERROR_TOKEN_ALREADY_IN_USE), ENTRY(ERROR_CANT_ACCESS_DOMAIN_INFO), ENTRY(ERROR_INVALID_TOKEN),
    ENTRY(ERROR_LOGON_FAILURE), ENTRY(WSAECONNRESET), ENTRY(WSAETIMEDOUT),
};

int main(void)
{
    int missing = 0;
    for (size_t i = 0; i < _countof(table); i++) {
        char text[512];
        DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)table[i].code,
                                 MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), text, sizeof text, NULL);
        printf("%-40s 0x%08lx %s", table[i].name, (unsigned long)(DWORD)table[i].code, n ? text : "(no text)\n");
        missing += n == 0;
    }
    ULONG flags = ISC_REQ_CONFIDENTIALITY | ISC_REQ_MUTUAL_AUTH;
    NTSTATUS status = STATUS_LOGON_FAILURE;
    printf("flags 0x%lx, NEGO_INFO 0x%x, identity flags 0x%x, status 0x%08lx\n", (unsigned long)flags,
           SECPKG_ATTR_NEGO_INFO_FLAG_NO_NTLM, SEC_WINNT_AUTH_IDENTITY_FLAGS_NULL_USER, (unsigned long)(ULONG)status);
    return missing;
}
