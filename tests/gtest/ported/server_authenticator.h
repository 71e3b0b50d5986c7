// ServerAuthenticator: the server side of one connection's Windows authentication, as a Windows service
// writes it (SSPI and Win32, TCHAR-generic). Ported code: it builds unchanged against libfakesspi and is
// not to be adapted to it; tests/gtest/test_server_authenticator.cpp tests it.
#pragma once

#define SECURITY_WIN32
#include <windows.h>
#include <sspi.h>

#include <string>
#include <vector>

typedef std::basic_string<TCHAR> tstring;

class ServerAuthenticator {
public:
    // package: the SSPI package the clients speak ("Negotiate", "Kerberos", "NTLM").
    explicit ServerAuthenticator(LPCTSTR package = TEXT("Negotiate"));
    ~ServerAuthenticator();
    ServerAuthenticator(const ServerAuthenticator &) = delete;
    ServerAuthenticator &operator=(const ServerAuthenticator &) = delete;

    // One leg: the client's token in, the token to send back out (possibly empty). SEC_I_CONTINUE_NEEDED:
    // send the reply and call again with the client's answer; SEC_E_OK: authenticated (send the reply if
    // it is not empty); anything else: the logon failed and the connection should be dropped.
    SECURITY_STATUS Step(const std::vector<BYTE> &input, std::vector<BYTE> &reply);
    bool Authenticated() const { return m_authenticated; }

    // Once authenticated: the client's name as the package gives it (SECPKG_ATTR_NAMES, DOMAIN\user).
    SECURITY_STATUS ClientName(tstring &name) const;
    // The client's SID in string form, from the context's own token (SECPKG_ATTR_ACCESS_TOKEN).
    bool ClientSid(tstring &sid) const;
    // Whether the client is a member of the group (a string SID), checked as the client: impersonate,
    // open the thread token, CheckTokenMembership, revert.
    bool ClientIsMemberOf(LPCTSTR groupSid, bool &member) const;
    // Checks a message the client signed with MakeSignature.
    SECURITY_STATUS VerifyFromClient(std::vector<BYTE> message, std::vector<BYTE> signature) const;

private:
    tstring m_package;
    CredHandle m_credentials;
    CtxtHandle m_context;
    bool m_haveCredentials;
    bool m_haveContext;
    bool m_authenticated;
    ULONG m_maxToken;
};
