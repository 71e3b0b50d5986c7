// GoogleTest tests of a ported Windows class (ported/server_authenticator.cpp, unchanged Windows code) with
// the kit of fakesspi/gtest.h: a reset per test and leaks or misuse failing it, fault injection, the virtual
// clock. The test plays the client, as a peer on the wire would.
#include "ported/server_authenticator.h"

#include <sddl.h>

#include <cstdio>
#include <cstring>

#include "fakesspi/gtest.h"

namespace {

const TCHAR kTarget[] = TEXT("HTTP/server.example.test"); // an SPN of svc_server, the service's account
const TCHAR kAliceSid[] = TEXT("S-1-5-21-1000000001-2000000002-3000000003-1104");
const TCHAR kEngineering[] = TEXT("S-1-5-21-1000000001-2000000002-3000000003-1200");

size_t Length(const TCHAR *s) { return std::char_traits<TCHAR>::length(s); }

// The client side, with explicit credentials, as a Windows client written against SSPI would be.
class Client {
public:
    Client(const TCHAR *user, const TCHAR *password, const TCHAR *package)
    {
        SEC_WINNT_AUTH_IDENTITY id = {};
        id.User = (unsigned short *)user;
        id.UserLength = (ULONG)Length(user);
        id.Domain = (unsigned short *)TEXT("EXAMPLE");
        id.DomainLength = 7;
        id.Password = (unsigned short *)password;
        id.PasswordLength = (ULONG)Length(password);
        id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
        TimeStamp expiry;
        status_ = AcquireCredentialsHandle(NULL, (LPTSTR)package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred_,
                                           &expiry);
        haveCred_ = status_ == SEC_E_OK;
    }
    ~Client()
    {
        if (haveCtx_)
            DeleteSecurityContext(&ctx_);
        if (haveCred_)
            FreeCredentialsHandle(&cred_);
    }
    SECURITY_STATUS Step(const std::vector<BYTE> &in, std::vector<BYTE> &out)
    {
        if (!haveCred_)
            return status_;
        BYTE token[16384];
        SecBuffer inBuffer = {(ULONG)in.size(), SECBUFFER_TOKEN, (void *)in.data()};
        SecBuffer outBuffer = {sizeof token, SECBUFFER_TOKEN, token};
        SecBufferDesc inDesc = {SECBUFFER_VERSION, 1, &inBuffer}, outDesc = {SECBUFFER_VERSION, 1, &outBuffer};
        ULONG attributes;
        TimeStamp expiry;
        status_ = InitializeSecurityContext(&cred_, haveCtx_ ? &ctx_ : NULL, (LPTSTR)kTarget,
                                            ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY |
                                                ISC_REQ_REPLAY_DETECT,
                                            0, SECURITY_NATIVE_DREP, haveCtx_ ? &inDesc : NULL, 0, &ctx_, &outDesc,
                                            &attributes, &expiry);
        if (status_ == SEC_E_OK || status_ == SEC_I_CONTINUE_NEEDED)
            haveCtx_ = true;
        out.assign(token, token + (FAILED(status_) ? 0 : outBuffer.cbBuffer));
        return status_;
    }
    bool Done() const { return status_ == SEC_E_OK; }
    SECURITY_STATUS Sign(const char *text, std::vector<BYTE> &message, std::vector<BYTE> &signature)
    {
        SecPkgContext_Sizes sizes;
        SECURITY_STATUS st = QueryContextAttributes(&ctx_, SECPKG_ATTR_SIZES, &sizes);
        if (st != SEC_E_OK)
            return st;
        message.assign(text, text + std::strlen(text));
        signature.assign(sizes.cbMaxSignature, 0);
        SecBuffer buffers[2] = {{(ULONG)message.size(), SECBUFFER_DATA, message.data()},
                                {(ULONG)signature.size(), SECBUFFER_TOKEN, signature.data()}};
        SecBufferDesc desc = {SECBUFFER_VERSION, 2, buffers};
        st = MakeSignature(&ctx_, 0, &desc, 0);
        signature.resize(buffers[1].cbBuffer);
        return st;
    }

private:
    CredHandle cred_;
    CtxtHandle ctx_;
    bool haveCred_ = false, haveCtx_ = false;
    SECURITY_STATUS status_ = SEC_E_INTERNAL_ERROR;
};

// Runs legs until the server is done or someone fails: the server's last status, or the client's failure.
SECURITY_STATUS Handshake(ServerAuthenticator &server, Client &client)
{
    std::vector<BYTE> toServer, toClient;
    SECURITY_STATUS cs = client.Step({}, toServer);
    for (int leg = 0; leg < 6; leg++) {
        if (FAILED(cs))
            return cs;
        SECURITY_STATUS ss = server.Step(toServer, toClient);
        if (ss != SEC_I_CONTINUE_NEEDED && ss != SEC_E_OK)
            return ss;
        if (!toClient.empty() && !client.Done())
            cs = client.Step(toClient, toServer);
        if (ss == SEC_E_OK)
            return FAILED(cs) ? cs : ss;
    }
    return SEC_E_INTERNAL_ERROR;
}

class ServerAuthenticatorTest : public ::testing::Test {
protected:
    // The service runs as its own account, which owns the HTTP/ SPN a Kerberos client asks for.
    void SetUp() override { ASSERT_EQ(fakesspi_set_process_user("svc_server"), 0) << fakesspi_last_message(); }
};

TEST_F(ServerAuthenticatorTest, LetsAnEngineerInOverKerberos)
{
    ServerAuthenticator server(TEXT("Negotiate"));
    Client alice(TEXT("alice"), TEXT("Passw0rd!"), TEXT("Negotiate"));
    ASSERT_SEC_STATUS(Handshake(server, alice), SEC_E_OK);
    EXPECT_TRUE(alice.Done()); // mutual authentication: the server's last token reached the client
    ASSERT_TRUE(server.Authenticated());
    tstring name, sid;
    EXPECT_SEC_STATUS(server.ClientName(name), SEC_E_OK);
    EXPECT_TRUE(name == TEXT("EXAMPLE\\alice"));
    ASSERT_TRUE(server.ClientSid(sid));
    EXPECT_TRUE(sid == kAliceSid);
    bool member = false;
    ASSERT_TRUE(server.ClientIsMemberOf(kEngineering, member));
    EXPECT_TRUE(member);
    HANDLE after;
    EXPECT_FALSE(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &after)); // it reverted
    EXPECT_LAST_ERROR(ERROR_NO_TOKEN);
}

TEST_F(ServerAuthenticatorTest, TurnsAwayANonMember)
{
    ServerAuthenticator server;
    Client bob(TEXT("bob"), TEXT("Hunter2!"), TEXT("Negotiate"));
    ASSERT_SEC_STATUS(Handshake(server, bob), SEC_E_OK);
    bool member = true;
    ASSERT_TRUE(server.ClientIsMemberOf(kEngineering, member));
    EXPECT_FALSE(member);
    ASSERT_TRUE(server.ClientIsMemberOf(TEXT("S-1-5-21-1000000001-2000000002-3000000003-513"), member));
    EXPECT_TRUE(member); // Domain Users
}

TEST_F(ServerAuthenticatorTest, AWrongPasswordFailsTheLogon)
{
    ServerAuthenticator server(TEXT("NTLM"));
    Client alice(TEXT("alice"), TEXT("wrong"), TEXT("NTLM"));
    EXPECT_SEC_STATUS(Handshake(server, alice), SEC_E_LOGON_DENIED);
    EXPECT_FALSE(server.Authenticated());
    tstring name;
    EXPECT_SEC_STATUS(server.ClientName(name), SEC_E_INVALID_HANDLE);
}

// Faults injected into the library reach the class's callers, and it cleans up after each (the listener
// fails the test on any leak or misuse).
TEST_F(ServerAuthenticatorTest, InjectedFailuresReachTheCallerAndLeaveNothingBehind)
{
    ASSERT_EQ(fakesspi_faults("AcceptSecurityContext#2=SEC_E_INSUFFICIENT_MEMORY"), 0);
    {
        ServerAuthenticator server(TEXT("NTLM"));
        Client alice(TEXT("alice"), TEXT("Passw0rd!"), TEXT("NTLM"));
        EXPECT_SEC_STATUS(Handshake(server, alice), SEC_E_INSUFFICIENT_MEMORY); // the second leg: a context to delete
        EXPECT_FALSE(server.Authenticated());
    }
    ASSERT_EQ(fakesspi_faults("QuerySecurityPackageInfoW#1=SEC_E_SECPKG_NOT_FOUND"), 0);
    {
        ServerAuthenticator server;
        std::vector<BYTE> reply;
        EXPECT_SEC_STATUS(server.Step({}, reply), SEC_E_SECPKG_NOT_FOUND);
    }
    // Win32 faults inside the membership check: it answers "unknown", and still reverts and closes.
    ServerAuthenticator server;
    Client alice(TEXT("alice"), TEXT("Passw0rd!"), TEXT("Negotiate"));
    ASSERT_SEC_STATUS(Handshake(server, alice), SEC_E_OK);
    ASSERT_EQ(fakesspi_faults("OpenThreadToken#1=ERROR_NO_TOKEN,CheckTokenMembership#1=ERROR_ACCESS_DENIED"), 0);
    bool member = false;
    EXPECT_FALSE(server.ClientIsMemberOf(kEngineering, member));
    EXPECT_FALSE(server.ClientIsMemberOf(kEngineering, member));
    EXPECT_TRUE(server.ClientIsMemberOf(kEngineering, member));
    EXPECT_TRUE(member);
    HANDLE after;
    EXPECT_FALSE(OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &after));
    EXPECT_LAST_ERROR(ERROR_NO_TOKEN);
}

// Every allocation of a whole session (handshake, name, SID, membership) failed in turn: each failure is the
// memory status, and nothing is left open, however far the session got.
TEST_F(ServerAuthenticatorTest, EveryAllocationFailureIsCleanedUp)
{
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    uint64_t n;
    for (n = 1; n < 20000; n++) {
        fakesspi_fault_alloc(n);
        {
            ServerAuthenticator server;
            Client alice(TEXT("alice"), TEXT("Passw0rd!"), TEXT("Negotiate"));
            SECURITY_STATUS st = Handshake(server, alice);
            ASSERT_TRUE(st == SEC_E_OK || st == SEC_E_INSUFFICIENT_MEMORY)
                << "allocation " << n << ": " << fakesspi::StatusName(st);
            tstring text;
            bool member;
            if (st == SEC_E_OK) {
                (void)server.ClientName(text);
                (void)server.ClientSid(text);
                (void)server.ClientIsMemberOf(kEngineering, member);
            }
        }
        uint64_t counted = fakesspi_fault_allocations();
        fakesspi_fault_clear();
        fakesspi_counts c;
        fakesspi_get_counts(&c);
        ASSERT_EQ(c.live_handles, 0u) << "allocation " << n;
        ASSERT_EQ(c.live_allocations, 0u) << "allocation " << n;
        ASSERT_EQ(c.misuse_total, 0u) << "allocation " << n;
        if (counted < n)
            break;
    }
    EXPECT_GT(n, 50u); // a Kerberos session allocates: the walk covered them
    std::printf("walked %llu allocations of a session\n", static_cast<unsigned long long>(n - 1));
}

// The virtual clock: a Kerberos context lives as long as its ticket (ten hours); a message signed before
// then is refused after, with no sleeping.
TEST_F(ServerAuthenticatorTest, AKerberosContextExpiresWithItsTicket)
{
    ServerAuthenticator server(TEXT("Kerberos"));
    Client alice(TEXT("alice"), TEXT("Passw0rd!"), TEXT("Kerberos"));
    ASSERT_SEC_STATUS(Handshake(server, alice), SEC_E_OK);
    std::vector<BYTE> message, signature;
    ASSERT_SEC_STATUS(alice.Sign("first", message, signature), SEC_E_OK);
    EXPECT_SEC_STATUS(server.VerifyFromClient(message, signature), SEC_E_OK);
    message[0] ^= 1;
    EXPECT_SEC_STATUS(server.VerifyFromClient(message, signature), SEC_E_MESSAGE_ALTERED);
    ASSERT_SEC_STATUS(alice.Sign("second", message, signature), SEC_E_OK);
    fakesspi_clock_advance(FAKESSPI_SECONDS(10 * 3600));
    EXPECT_SEC_STATUS(server.VerifyFromClient(message, signature), SEC_E_CONTEXT_EXPIRED);
}

} // namespace

int main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    fakesspi::InstallGTestListener(); // reset before each test; leaks and misuse fail it, with the report
    return RUN_ALL_TESTS();
}
