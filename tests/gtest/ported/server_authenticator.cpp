// ServerAuthenticator (server_authenticator.h): Windows code, unchanged.
#include "server_authenticator.h"

#include <sddl.h>

ServerAuthenticator::ServerAuthenticator(LPCTSTR package)
    : m_package(package), m_haveCredentials(false), m_haveContext(false), m_authenticated(false), m_maxToken(0)
{
    SecInvalidateHandle(&m_credentials);
    SecInvalidateHandle(&m_context);
}

ServerAuthenticator::~ServerAuthenticator()
{
    if (m_haveContext)
        DeleteSecurityContext(&m_context);
    if (m_haveCredentials)
        FreeCredentialsHandle(&m_credentials);
}

SECURITY_STATUS ServerAuthenticator::Step(const std::vector<BYTE> &input, std::vector<BYTE> &reply)
{
    reply.clear();
    SECURITY_STATUS status;
    if (!m_haveCredentials) {
        PSecPkgInfo info;
        status = QuerySecurityPackageInfo(const_cast<LPTSTR>(m_package.c_str()), &info);
        if (status != SEC_E_OK)
            return status;
        m_maxToken = info->cbMaxToken;
        FreeContextBuffer(info);
        TimeStamp expiry;
        status = AcquireCredentialsHandle(NULL, const_cast<LPTSTR>(m_package.c_str()), SECPKG_CRED_INBOUND, NULL,
                                          NULL, NULL, NULL, &m_credentials, &expiry);
        if (status != SEC_E_OK)
            return status;
        m_haveCredentials = true;
    }

    std::vector<BYTE> out(m_maxToken);
    SecBuffer inBuffer = {static_cast<ULONG>(input.size()), SECBUFFER_TOKEN, const_cast<BYTE *>(input.data())};
    SecBuffer outBuffer = {static_cast<ULONG>(out.size()), SECBUFFER_TOKEN, out.data()};
    SecBufferDesc inDesc = {SECBUFFER_VERSION, 1, &inBuffer};
    SecBufferDesc outDesc = {SECBUFFER_VERSION, 1, &outBuffer};
    ULONG attributes = 0;
    TimeStamp expiry;
    status = AcceptSecurityContext(&m_credentials, m_haveContext ? &m_context : NULL, &inDesc,
                                   ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT,
                                   SECURITY_NATIVE_DREP, &m_context, &outDesc, &attributes, &expiry);
    if (status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED) {
        m_haveContext = true;
        reply.assign(out.begin(), out.begin() + outBuffer.cbBuffer);
        m_authenticated = status == SEC_E_OK;
        return status;
    }
    // A failed first leg makes no context; a failed later leg leaves the partial one to be deleted.
    return status;
}

SECURITY_STATUS ServerAuthenticator::ClientName(tstring &name) const
{
    if (!m_authenticated)
        return SEC_E_INVALID_HANDLE;
    SecPkgContext_Names names;
    SECURITY_STATUS status = QueryContextAttributes(const_cast<PCtxtHandle>(&m_context), SECPKG_ATTR_NAMES, &names);
    if (status != SEC_E_OK)
        return status;
    name = names.sUserName;
    FreeContextBuffer(names.sUserName);
    return SEC_E_OK;
}

bool ServerAuthenticator::ClientSid(tstring &sid) const
{
    if (!m_authenticated)
        return false;
    // The context owns this token: it is read, never closed.
    SecPkgContext_AccessToken token;
    if (QueryContextAttributes(const_cast<PCtxtHandle>(&m_context), SECPKG_ATTR_ACCESS_TOKEN, &token) != SEC_E_OK)
        return false;
    DWORD size = 0;
    GetTokenInformation(token.AccessToken, TokenUser, NULL, 0, &size);
    if (GetLastError() != ERROR_INSUFFICIENT_BUFFER)
        return false;
    std::vector<BYTE> buffer(size);
    if (!GetTokenInformation(token.AccessToken, TokenUser, buffer.data(), size, &size))
        return false;
    LPTSTR text;
    if (!ConvertSidToStringSid(reinterpret_cast<TOKEN_USER *>(buffer.data())->User.Sid, &text))
        return false;
    sid = text;
    LocalFree(text);
    return true;
}

bool ServerAuthenticator::ClientIsMemberOf(LPCTSTR groupSid, bool &member) const
{
    if (!m_authenticated)
        return false;
    PSID group;
    if (!ConvertStringSidToSid(groupSid, &group))
        return false;
    bool ok = false;
    if (ImpersonateSecurityContext(const_cast<PCtxtHandle>(&m_context)) == SEC_E_OK) {
        HANDLE thread;
        if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &thread)) {
            BOOL isMember = FALSE;
            if (CheckTokenMembership(thread, group, &isMember)) {
                member = isMember != FALSE;
                ok = true;
            }
            CloseHandle(thread);
        }
        RevertSecurityContext(const_cast<PCtxtHandle>(&m_context));
    }
    LocalFree(group);
    return ok;
}

SECURITY_STATUS ServerAuthenticator::VerifyFromClient(std::vector<BYTE> message, std::vector<BYTE> signature) const
{
    if (!m_authenticated)
        return SEC_E_INVALID_HANDLE;
    SecBuffer buffers[2] = {{static_cast<ULONG>(message.size()), SECBUFFER_DATA, message.data()},
                            {static_cast<ULONG>(signature.size()), SECBUFFER_TOKEN, signature.data()}};
    SecBufferDesc desc = {SECBUFFER_VERSION, 2, buffers};
    ULONG qop = 0;
    return VerifySignature(const_cast<PCtxtHandle>(&m_context), &desc, 0, &qop);
}
