/* Windows SSPI code as it is commonly written: the provider's function table from InitSecurityInterface,
 * a Negotiate client and server exchanging tokens in one process, a signed message, error text from
 * FormatMessage. Builds unchanged with MSVC or MinGW-w64 and, against libfakesspi, with gcc and g++. */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <stdio.h>
#include <string.h>

static PSecurityFunctionTable sspi;

static void report(const char *what, SECURITY_STATUS status)
{
    LPSTR text = NULL;
    DWORD n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                             NULL, (DWORD)status, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPSTR)&text, 0, NULL);
    printf("%s: 0x%08lx %s", what, (unsigned long)status, n ? text : "(no text)\n");
    if (text)
        LocalFree(text);
}

static int handshake(CredHandle *client_cred, CredHandle *server_cred, CtxtHandle *client, CtxtHandle *server)
{
    BYTE in_buf[12288], out_buf[12288];
    SecBuffer in_sec = { 0, SECBUFFER_TOKEN, in_buf }, out_sec;
    SecBufferDesc in_desc = { SECBUFFER_VERSION, 1, &in_sec }, out_desc = { SECBUFFER_VERSION, 1, &out_sec };
    ULONG attrs = 0;
    TimeStamp expiry;
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    BOOL first = TRUE;
    char target[] = "HTTP/server.example.test";
    while (cs == SEC_I_CONTINUE_NEEDED || ss == SEC_I_CONTINUE_NEEDED) {
        if (cs == SEC_I_CONTINUE_NEEDED) {
            out_sec.cbBuffer = sizeof out_buf;
            out_sec.BufferType = SECBUFFER_TOKEN;
            out_sec.pvBuffer = out_buf;
            cs = sspi->InitializeSecurityContextA(client_cred, first ? NULL : client, target,
                                                  ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY, 0,
                                                  SECURITY_NATIVE_DREP, first ? NULL : &in_desc, 0, client,
                                                  &out_desc, &attrs, &expiry);
            if (FAILED(cs)) {
                report("InitializeSecurityContext", cs);
                return 0;
            }
            if (out_sec.cbBuffer == 0)
                break;
            memcpy(in_buf, out_buf, out_sec.cbBuffer);
            in_sec.cbBuffer = out_sec.cbBuffer;
        }
        out_sec.cbBuffer = sizeof out_buf;
        out_sec.BufferType = SECBUFFER_TOKEN;
        out_sec.pvBuffer = out_buf;
        ss = sspi->AcceptSecurityContext(server_cred, first ? NULL : server, &in_desc, ASC_REQ_CONFIDENTIALITY,
                                         SECURITY_NATIVE_DREP, server, &out_desc, &attrs, &expiry);
        if (FAILED(ss)) {
            report("AcceptSecurityContext", ss);
            return 0;
        }
        first = FALSE;
        if (out_sec.cbBuffer == 0)
            break;
        memcpy(in_buf, out_buf, out_sec.cbBuffer);
        in_sec.cbBuffer = out_sec.cbBuffer;
    }
    return cs == SEC_E_OK && ss == SEC_E_OK;
}

int main(void)
{
    INIT_SECURITY_INTERFACE init = InitSecurityInterface;
    sspi = init();
    if (!sspi)
        return 1;
    PSecPkgInfoA info = NULL;
    if (sspi->QuerySecurityPackageInfoA((SEC_CHAR *)NEGOSSP_NAME_A, &info) != SEC_E_OK || _stricmp(info->Name, "negotiate"))
        return 2;
    printf("package %s, tokens up to %lu bytes\n", info->Name, (unsigned long)info->cbMaxToken);
    sspi->FreeContextBuffer(info);

    SEC_WINNT_AUTH_IDENTITY_A identity;
    ZeroMemory(&identity, sizeof identity);
    identity.User = (unsigned char *)"alice";
    identity.UserLength = 5;
    identity.Domain = (unsigned char *)"EXAMPLE";
    identity.DomainLength = 7;
    identity.Password = (unsigned char *)"Passw0rd!";
    identity.PasswordLength = 9;
    identity.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    CredHandle client_cred, server_cred;
    TimeStamp expiry;
    SECURITY_STATUS st = sspi->AcquireCredentialsHandleA(NULL, (SEC_CHAR *)NEGOSSP_NAME_A, SECPKG_CRED_OUTBOUND, NULL,
                                                         &identity, NULL, NULL, &client_cred, &expiry);
    if (st != SEC_E_OK) {
        report("AcquireCredentialsHandle (client)", st);
        return 3;
    }
    st = sspi->AcquireCredentialsHandleA(NULL, (SEC_CHAR *)NEGOSSP_NAME_A, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                         &server_cred, &expiry);
    if (st != SEC_E_OK) {
        report("AcquireCredentialsHandle (server)", st);
        return 4;
    }
    CtxtHandle client, server;
    if (!handshake(&client_cred, &server_cred, &client, &server))
        return 5;

    SecPkgContext_NamesA names;
    if (sspi->QueryContextAttributesA(&server, SECPKG_ATTR_NAMES, &names) != SEC_E_OK)
        return 6;
    char who[128];
    sprintf_s(who, _countof(who), "%s", names.sUserName);
    sspi->FreeContextBuffer(names.sUserName);
    printf("server sees %s\n", who);

    SecPkgContext_Sizes sizes;
    sspi->QueryContextAttributesA(&client, SECPKG_ATTR_SIZES, &sizes);
    char message[] = "hello";
    BYTE signature[64];
    SecBuffer parts[2] = { { sizeof message, SECBUFFER_DATA, message }, { sizes.cbMaxSignature, SECBUFFER_TOKEN, signature } };
    SecBufferDesc msg = { SECBUFFER_VERSION, 2, parts };
    if (sspi->MakeSignature(&client, 0, &msg, 0) != SEC_E_OK)
        return 7;
    ULONG qop = 0;
    if (sspi->VerifySignature(&server, &msg, 0, &qop) != SEC_E_OK)
        return 8;
    message[0] = 'j';
    st = sspi->VerifySignature(&server, &msg, 1, &qop);
    report("a changed message", st);

    sspi->DeleteSecurityContext(&client);
    sspi->DeleteSecurityContext(&server);
    sspi->FreeCredentialHandle(&client_cred); /* the SDK's other spelling, renamed by the header */
    FreeCredentialHandle(&server_cred);
    return st == SEC_E_MESSAGE_ALTERED ? 0 : 9;
}
