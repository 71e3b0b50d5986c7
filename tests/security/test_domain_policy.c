/* Domain policy in the domain file (doc/semantics.md §52, §57): account lockout, password age and must-change,
 * ChangeAccountPassword, NTLM denied by the domain, Protected Users, logon hours and workstations, channel bindings
 * required; each with Windows' statuses on every path. */
#include "sspi/sspitest.h"

#include "conformance/conversation.h"

#include "ntsecapi.h"
#include "ntstatus.h"
#include "security/domain_ini.h"

#include "../api/lsa_test_strings.h"

#define ISC_STD (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_CONNECTION)
#define ASC_STD (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_CONNECTION)
#define SPN "HTTP/server.example.test"

/* The embedded domain with keys added to [domain] and to [user alice]: every other account as documented. */
static void load_policy(const char *domain_keys, const char *alice_keys)
{
    static char text[16384];
    const char *base = fs_default_domain_ini;
    const char *dom = strstr(base, "computer = SERVER\n") + strlen("computer = SERVER\n");
    const char *alice = strstr(base, "[user alice]\n") + strlen("[user alice]\n");
    int n = snprintf(text, sizeof text, "%.*s%s%.*s%s%s", (int)(dom - base), base, domain_keys, (int)(alice - dom),
                     dom, alice_keys ? alice_keys : "", alice);
    ck_assert_int_lt(n, (int)sizeof text);
    ck_assert_msg(fakesspi_load_domain_text(text, "policy.ini") == 0, "%s", fakesspi_last_message());
}

/* A Win32 error value checked by name, as ck_assert_last_error checks the thread's. */
#define ck_assert_error(got, want)                                                                     \
    do {                                                                                               \
        DWORD got_ = (got), want_ = (DWORD)(want);                                                     \
        ck_assert_msg(got_ == want_, "%s (%lu), expected %s (%lu)", fakesspi_ck_error_(got_),          \
                      (unsigned long)got_, fakesspi_ck_error_(want_), (unsigned long)want_);           \
    } while (0)

#define LOCKOUT "lockout_threshold = 3\nlockout_duration = 600\nlockout_observation_window = 300\n"

/* LogonUser's result through a logon provider: 0 when it logged on (the token closed), else its last error. */
static DWORD logon_via(DWORD provider, const char *user, const char *password)
{
    HANDLE token = (HANDLE)(uintptr_t)0xdeadbeef;
    SetLastError(0xdeadbeef);
    if (LogonUserA(user, "EXAMPLE", password, LOGON32_LOGON_NETWORK, provider, &token)) {
        ck_assert_ptr_nonnull(token);
        ck_assert(CloseHandle(token));
        return 0;
    }
    ck_assert_ptr_null(token);
    return GetLastError();
}

/* LogonUser's result through the default provider (Negotiate: Kerberos for a domain account). */
static DWORD logon(const char *user, const char *password)
{
    return logon_via(LOGON32_PROVIDER_DEFAULT, user, password);
}

/* An NTLM handshake between alice's explicit credential and the process's acceptor: the server's last status. */
static SECURITY_STATUS ntlm_logon(const char *user, const char *password)
{
    struct pair p;
    pair_credentials(&p, user, password);
    SECURITY_STATUS status = pair_handshake(&p, ISC_STD, ASC_STD, SPN);
    pair_free(&p);
    return status;
}

/* The first leg of a Kerberos client with an explicit password to spn: where the KDC would check it (AS exchange).
 * The context's expiry goes to *expiry when it is not NULL and the leg succeeded; *etype gets the session key's. */
static SECURITY_STATUS kerberos_first_leg_to(const char *package, const char *user, const char *password,
                                             const char *spn, LONGLONG *expiry, ULONG *etype)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user, "EXAMPLE", password);
    CredHandle cred;
    CtxtHandle ctx;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL,
                                                   NULL, &cred, NULL), SEC_E_OK);
    unsigned char buf[8192];
    SecBuffer out = {sizeof buf, SECBUFFER_TOKEN, buf};
    SecBufferDesc out_d = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    TimeStamp ts = {{0xdeadbeef, 0xdeadbeef}};
    SecInvalidateHandle(&ctx);
    SECURITY_STATUS status = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)spn, ISC_STD, 0,
                                                        SECURITY_NATIVE_DREP, NULL, 0, &ctx, &out_d, &attrs, &ts);
    if (SEC_SUCCESS(status)) {
        if (expiry)
            *expiry = ts.QuadPart;
        if (etype) {
            SecPkgContext_KeyInfoA info;
            ck_assert_sec_status(QueryContextAttributesA(&ctx, SECPKG_ATTR_KEY_INFO, &info), SEC_E_OK);
            *etype = info.EncryptAlgorithm;
            FreeContextBuffer(info.sSignatureAlgorithmName);
            FreeContextBuffer(info.sEncryptAlgorithmName);
        }
        ck_assert_sec_status(DeleteSecurityContext(&ctx), SEC_E_OK);
    }
    ck_assert_sec_status(FreeCredentialsHandle(&cred), SEC_E_OK);
    return status;
}

static SECURITY_STATUS kerberos_first_leg(const char *package, const char *user, const char *password)
{
    return kerberos_first_leg_to(package, user, password, SPN, NULL, NULL);
}

/* ---- LsaLogonUser: an MSV1_0 interactive logon ---- */
struct lsa_result {
    NTSTATUS status, sub;
    HANDLE token;
};

static struct lsa_result lsa_logon_with(ULONG package, const WCHAR *user, const WCHAR *password)
{
    static union {
        MSV1_0_INTERACTIVE_LOGON logon;
        BYTE bytes[512];
    } s;
    memset(&s, 0, sizeof s);
    ULONG size = sizeof s.logon;
    UNICODE_STRING *fields[] = {&s.logon.LogonDomainName, &s.logon.UserName, &s.logon.Password};
    const WCHAR *texts[] = {u"EXAMPLE", user, password};
    for (int i = 0; i < 3; i++) {
        size_t bytes = wlen(texts[i]) * 2;
        fields[i]->Buffer = (PWSTR)(s.bytes + size);
        fields[i]->Length = fields[i]->MaximumLength = (USHORT)bytes;
        memcpy(s.bytes + size, texts[i], bytes);
        size += (ULONG)(bytes + 2);
    }
    s.logon.MessageType = MsV1_0InteractiveLogon;
    HANDLE lsa = NULL;
    ck_assert_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    LSA_STRING origin = {4, 5, (PCHAR) "test"};
    TOKEN_SOURCE src = {{'U', 's', 'e', 'r', '3', '2', ' ', ' '}, {1, 0}};
    struct lsa_result r;
    PVOID profile = NULL;
    ULONG profile_length;
    LUID luid;
    QUOTA_LIMITS quotas;
    r.token = (HANDLE)(uintptr_t)0xdeadbeef;
    r.sub = (NTSTATUS)0xdeadbeef;
    r.status = LsaLogonUser(lsa, &origin, Interactive, package, s.bytes, size, NULL, &src, &profile, &profile_length,
                            &luid, &r.token, &quotas, &r.sub);
    if (r.status == STATUS_SUCCESS) {
        ck_assert(CloseHandle(r.token));
        ck_assert_nt(LsaFreeReturnBuffer(profile), STATUS_SUCCESS);
    } else {
        ck_assert_ptr_eq(r.token, (HANDLE)(uintptr_t)0xdeadbeef);
    }
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    return r;
}

#define LSA_KERBEROS 1 /* the packages' numbers as LsaLookupAuthenticationPackage gives them */
#define LSA_MSV1_0 2

/* An MSV1_0 interactive logon (KERB_INTERACTIVE_LOGON has the same layout and message number). */
static struct lsa_result lsa_logon(const WCHAR *user, const WCHAR *password)
{
    return lsa_logon_with(LSA_MSV1_0, user, password);
}

/* ---- 1. Account lockout ---- */

START_TEST(three_bad_passwords_lock_the_account_and_logon_user_says_account_locked_out)
{
    load_policy(LOCKOUT, NULL);
    for (int i = 0; i < 3; i++) /* the bad password that reaches the threshold still fails as a wrong password */
        ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_ACCOUNT_LOCKED_OUT);
    ck_assert_error(logon("alice", "wrong"), ERROR_ACCOUNT_LOCKED_OUT);
    ck_assert_error(logon("bob", "Hunter2!"), 0); /* the lockout is alice's alone */
}
END_TEST

START_TEST(the_lockout_ends_when_the_virtual_clock_passes_its_duration)
{
    load_policy(LOCKOUT, NULL);
    for (int i = 0; i < 3; i++)
        ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    fakesspi_clock_advance(FAKESSPI_SECONDS(599));
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_ACCOUNT_LOCKED_OUT);
    /* Attempts while locked out do not extend it. */
    fakesspi_clock_advance(FAKESSPI_SECONDS(1));
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
    /* And the count starts again from nothing: two bad passwords do not lock. */
    for (int i = 0; i < 2; i++)
        ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
}
END_TEST

START_TEST(a_good_logon_resets_the_bad_password_count)
{
    load_policy(LOCKOUT, NULL);
    for (int round = 0; round < 3; round++) {
        ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
        ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
        ck_assert_error(logon("alice", "Passw0rd!"), 0);
    }
}
END_TEST

START_TEST(bad_passwords_older_than_the_observation_window_no_longer_count)
{
    load_policy(LOCKOUT, NULL);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    fakesspi_clock_advance(FAKESSPI_SECONDS(300));
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
    /* Within the window they add up. */
    for (int i = 0; i < 2; i++)
        ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    fakesspi_clock_advance(FAKESSPI_SECONDS(299));
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_ACCOUNT_LOCKED_OUT);
}
END_TEST

START_TEST(a_lockout_duration_of_zero_lasts_until_the_domain_is_loaded_again)
{
    load_policy("lockout_threshold = 1\nlockout_duration = 0\n", NULL);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    fakesspi_clock_advance(FAKESSPI_SECONDS(10 * 365 * 86400LL));
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_ACCOUNT_LOCKED_OUT);
    load_policy("lockout_threshold = 1\nlockout_duration = 0\n", NULL); /* a new domain: its accounts unlocked */
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
}
END_TEST

START_TEST(without_a_threshold_no_number_of_bad_passwords_locks)
{
    load_policy("", NULL);
    for (int i = 0; i < 50; i++)
        ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
}
END_TEST

START_TEST(the_reset_unlocks_every_account)
{
    load_policy(LOCKOUT, NULL);
    for (int i = 0; i < 3; i++)
        ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_ACCOUNT_LOCKED_OUT);
    fakesspi_reset();
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    load_policy(LOCKOUT, NULL);
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
}
END_TEST

START_TEST(ntlm_bad_passwords_lock_the_account_and_the_acceptor_says_logon_denied)
{
    load_policy(LOCKOUT, NULL);
    for (int i = 0; i < 3; i++)
        ck_assert_sec_status(ntlm_logon("alice", "wrong"), SEC_E_LOGON_DENIED);
    /* The right password now fails as a wrong one does on the wire (SSPI maps STATUS_ACCOUNT_LOCKED_OUT to
     * SEC_E_LOGON_DENIED); LogonUser tells why. */
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_ACCOUNT_LOCKED_OUT);
    fakesspi_clock_advance(FAKESSPI_SECONDS(600));
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
}
END_TEST

START_TEST(a_good_ntlm_logon_resets_the_count_logon_user_made)
{
    load_policy(LOCKOUT, NULL);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
}
END_TEST

START_TEST(kerberos_and_negotiate_first_legs_count_bad_passwords_and_refuse_a_locked_out_account)
{
    load_policy(LOCKOUT, NULL);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "Passw0rd!"), SEC_E_OK); /* no mutual auth asked */
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "wrong"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "wrong"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "wrong"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(kerberos_first_leg("Negotiate", "alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_ACCOUNT_LOCKED_OUT);
}
END_TEST

START_TEST(lsa_logon_user_of_a_locked_out_account_is_account_locked_out_with_no_sub_status)
{
    load_policy(LOCKOUT, NULL);
    for (int i = 0; i < 3; i++) {
        struct lsa_result r = lsa_logon(u"alice", u"wrong");
        ck_assert_nt(r.status, STATUS_LOGON_FAILURE);
        ck_assert_nt(r.sub, STATUS_WRONG_PASSWORD);
    }
    struct lsa_result r = lsa_logon(u"alice", u"Passw0rd!");
    ck_assert_nt(r.status, STATUS_ACCOUNT_LOCKED_OUT);
    ck_assert_nt(r.sub, STATUS_SUCCESS);
}
END_TEST

struct hammer {
    int rounds;
};

static void *bad_passwords(void *arg)
{
    const struct hammer *h = arg;
    for (int i = 0; i < h->rounds; i++)
        if (logon("alice", "wrong") != ERROR_LOGON_FAILURE)
            return (void *)1;
    return NULL;
}

START_TEST(bad_passwords_from_many_threads_are_each_counted_once)
{
    load_policy("lockout_threshold = 50\n", NULL);
    pthread_t threads[4];
    struct hammer h = {12};
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&threads[i], NULL, bad_passwords, &h), 0);
    for (int i = 0; i < 4; i++) {
        void *failed;
        ck_assert_int_eq(pthread_join(threads[i], &failed), 0);
        ck_assert_ptr_null(failed);
    }
    /* 48 counted: two more lock, not one. */
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("bob", "Hunter2!"), 0);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_ACCOUNT_LOCKED_OUT);
}
END_TEST

/* The domain file's refusals, each naming its line. */
START_TEST(bad_lockout_keys_are_refused_with_the_reason)
{
    static const struct {
        const char *keys, *message;
    } cases[] = {
        {"lockout_threshold = many\n", "policy.ini:6: 'lockout_threshold' must be a number of bad passwords from 0 (never) to 999"},
        {"lockout_threshold = 1000\n", "policy.ini:6: 'lockout_threshold' must be a number of bad passwords from 0 (never) to 999"},
        {"lockout_duration = -1\n", "policy.ini:6: 'lockout_duration' must be a number of seconds (decimal, at most 100 years)"},
        {"lockout_duration = 60\nlockout_observation_window = 61\n",
         "policy.ini:1: lockout_observation_window must not be longer than lockout_duration"},
        {"lockout_observation_window = 0\n", "policy.ini:1: lockout_observation_window must be at least 1 second"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[512], message[256] = "";
        snprintf(text, sizeof text, "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\n"
                                    "computer = SERVER\n%s", cases[i].keys);
        struct fs_domain *d = fs_domain_parse(text, "policy.ini", message, sizeof message);
        ck_assert_ptr_null(d);
        ck_assert_str_eq(message, cases[i].message);
    }
}
END_TEST

/* ---- 2. Password must change, password age, ChangeAccountPassword ---- */

START_TEST(a_password_that_must_change_fails_each_logon_with_windows_status)
{
    load_policy("", "must_change_password = yes\n");
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_PASSWORD_MUST_CHANGE);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE); /* the password first */
    struct lsa_result r = lsa_logon(u"alice", u"Passw0rd!");
    ck_assert_nt(r.status, STATUS_PASSWORD_MUST_CHANGE);
    ck_assert_nt(r.sub, STATUS_SUCCESS);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(kerberos_first_leg("Negotiate", "alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_error(logon("bob", "Hunter2!"), 0);
}
END_TEST

START_TEST(a_password_older_than_the_maximum_age_has_expired_on_each_path)
{
    /* Set one second after the clock's epoch less a day: it expires one second from now. */
    load_policy("max_password_age = 86400\n", "password_last_set = 2024-12-31T00:00:01Z\n");
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
    fakesspi_clock_advance(FAKESSPI_SECONDS(1));
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_PASSWORD_EXPIRED);
    struct lsa_result r = lsa_logon(u"alice", u"Passw0rd!");
    ck_assert_nt(r.status, STATUS_ACCOUNT_RESTRICTION);
    ck_assert_nt(r.sub, STATUS_PASSWORD_EXPIRED);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
}
END_TEST

START_TEST(a_password_given_no_time_was_set_when_the_domain_loaded)
{
    fakesspi_clock_advance(FAKESSPI_SECONDS(1000));
    load_policy("max_password_age = 60\n", NULL);
    fakesspi_clock_advance(FAKESSPI_SECONDS(59));
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
    fakesspi_clock_advance(FAKESSPI_SECONDS(1));
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_PASSWORD_EXPIRED);
    ck_assert_error(logon("bob", "Hunter2!"), ERROR_PASSWORD_EXPIRED);
}
END_TEST

START_TEST(a_password_that_never_expires_outlives_the_maximum_age)
{
    load_policy("max_password_age = 60\n", "password_never_expires = yes\npassword_last_set = 2020-01-01T00:00:00Z\n");
    fakesspi_clock_advance(FAKESSPI_SECONDS(3600));
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
    ck_assert_error(logon("bob", "Hunter2!"), ERROR_PASSWORD_EXPIRED);
}
END_TEST

START_TEST(change_account_password_changes_it_in_the_running_domain)
{
    ck_assert_sec_status(ChangeAccountPasswordA("Negotiate", "EXAMPLE", "alice", "Passw0rd!", "N3w!pass", FALSE, 0,
                                                NULL), SEC_E_OK);
    ck_assert_error(logon("alice", "N3w!pass"), 0);
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_LOGON_FAILURE);
    ck_assert_sec_status(ntlm_logon("alice", "N3w!pass"), SEC_E_OK);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "N3w!pass"), SEC_E_OK);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    struct lsa_result r = lsa_logon(u"alice", u"N3w!pass");
    ck_assert_nt(r.status, STATUS_SUCCESS);
}
END_TEST

/* NTLM remembers each thread's NTOWFv2 (doc/semantics.md §39): after a logon with the old password, the new one is
 * what counts, on both sides. */
START_TEST(an_ntlm_logon_before_a_password_change_leaves_nothing_that_takes_the_old_password)
{
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
    ck_assert_sec_status(ChangeAccountPasswordA("NTLM", "EXAMPLE", "alice", "Passw0rd!", "N3w!pass", FALSE, 0, NULL),
                         SEC_E_OK);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(ntlm_logon("alice", "N3w!pass"), SEC_E_OK);
}
END_TEST

START_TEST(a_wrong_old_password_is_logon_denied_changes_nothing_and_counts_towards_the_lockout)
{
    load_policy(LOCKOUT, NULL);
    ck_assert_sec_status(ChangeAccountPasswordA("Kerberos", "EXAMPLE", "alice", "wrong", "N3w!pass", FALSE, 0, NULL),
                         SEC_E_LOGON_DENIED);
    ck_assert_error(logon("alice", "N3w!pass"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("alice", "Passw0rd!"), 0); /* the good logon resets the count: two bad ones do not lock */
    ck_assert_sec_status(ChangeAccountPasswordA("NTLM", "", "alice", "wrong", "x", FALSE, 0, NULL), SEC_E_LOGON_DENIED);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_sec_status(ChangeAccountPasswordA("NTLM", "", "alice", "wrong", "x", FALSE, 0, NULL), SEC_E_LOGON_DENIED);
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_ACCOUNT_LOCKED_OUT);
    /* Locked out, the right old password changes nothing either. */
    ck_assert_sec_status(ChangeAccountPasswordA("NTLM", "", "alice", "Passw0rd!", "x", FALSE, 0, NULL),
                         SEC_E_LOGON_DENIED);
    fakesspi_clock_advance(FAKESSPI_SECONDS(600));
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
}
END_TEST

START_TEST(changing_a_password_that_must_change_or_has_expired_lets_the_account_log_on)
{
    load_policy("max_password_age = 86400\n", "must_change_password = yes\n");
    ck_assert_sec_status(ChangeAccountPasswordW(u"Kerberos", u"example.test", u"alice", u"Passw0rd!", u"N3w!pass",
                                                FALSE, 0, NULL), SEC_E_OK);
    ck_assert_error(logon("alice", "N3w!pass"), 0);
    /* The new password's age starts now. */
    fakesspi_clock_advance(FAKESSPI_SECONDS(86400));
    ck_assert_error(logon("alice", "N3w!pass"), ERROR_PASSWORD_EXPIRED);
    ck_assert_sec_status(ChangeAccountPasswordW(u"NTLM", u"EXAMPLE", u"alice", u"N3w!pass", u"Th1rd!pass", FALSE, 0,
                                                NULL), SEC_E_OK);
    ck_assert_error(logon("alice", "Th1rd!pass"), 0);
}
END_TEST

START_TEST(change_account_password_refusals_have_windows_statuses)
{
    ck_assert_sec_status(ChangeAccountPasswordA("Winetest", "EXAMPLE", "alice", "Passw0rd!", "x", FALSE, 0, NULL),
                         SEC_E_SECPKG_NOT_FOUND);
    ck_assert_sec_status(ChangeAccountPasswordA("Kerberos", "EXAMPLE", "mallory", "x", "y", FALSE, 0, NULL),
                         SEC_E_LOGON_DENIED); /* STATUS_NO_SUCH_USER */
    ck_assert_sec_status(ChangeAccountPasswordA("Kerberos", "OTHER", "alice", "Passw0rd!", "y", FALSE, 0, NULL),
                         SEC_E_NO_AUTHENTICATING_AUTHORITY); /* no domain controller for that domain */
    ck_assert_sec_status(ChangeAccountPasswordA("Kerberos", "EXAMPLE", "Guest", "", "y", FALSE, 0, NULL),
                         SEC_E_LOGON_DENIED); /* disabled */
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
}
END_TEST

START_TEST(the_function_table_hands_out_change_account_password)
{
    ck_assert_ptr_eq((void *)InitSecurityInterfaceW()->ChangeAccountPasswordW, (void *)ChangeAccountPasswordW);
    ck_assert_ptr_eq((void *)InitSecurityInterfaceA()->ChangeAccountPasswordA, (void *)ChangeAccountPasswordA);
}
END_TEST

START_TEST(bad_password_keys_are_refused_with_the_reason)
{
    char message[256] = "";
    const char *text = "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\n\n[group Domain Users]\n"
                       "rid = 513\n\n[user carol]\nrid = 1000\npassword_last_set = 2024-11-01 08:30\n";
    ck_assert_ptr_null(fs_domain_parse(text, "policy.ini", message, sizeof message));
    ck_assert_str_eq(message, "policy.ini:11: 'password_last_set' must be a UTC time such as 2024-11-01T08:30:00Z");
    text = "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\nmax_password_age = 1y\n";
    ck_assert_ptr_null(fs_domain_parse(text, "policy.ini", message, sizeof message));
    ck_assert_str_eq(message, "policy.ini:5: 'max_password_age' must be a number of seconds (decimal, at most 100 years)");
}
END_TEST

/* ---- 3. NTLM denied by the domain (doc/semantics.md §57) ---- */

#define NO_NTLM "ntlm = disabled\n"
/* The DER of NTLMSSP's OID, 1.3.6.1.4.1.311.2.2.10, as a SPNEGO mechList carries it. */
static const unsigned char ntlm_oid[] = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};

/* A Negotiate client with alice's password, and the service account's Negotiate acceptor. */
static void negotiate_pair(struct pair *p)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    memset(p, 0, sizeof *p);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                                   &p->client_cred, NULL), SEC_E_OK);
    ck_assert_sec_status(acquire_service_credential("Negotiate", &p->server_cred), SEC_E_OK);
}

static void negotiate_pair_free(struct pair *p)
{
    if (p->client_made)
        ck_assert_sec_status(DeleteSecurityContext(&p->client), SEC_E_OK);
    if (p->server_made)
        ck_assert_sec_status(DeleteSecurityContext(&p->server), SEC_E_OK);
    ck_assert_sec_status(FreeCredentialsHandle(&p->client_cred), SEC_E_OK);
    ck_assert_sec_status(FreeCredentialsHandle(&p->server_cred), SEC_E_OK);
}

START_TEST(a_domain_that_denies_ntlm_refuses_the_ntlm_acceptors_logon_as_logon_denied)
{
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK); /* the embedded domain allows NTLM */
    load_policy(NO_NTLM, NULL);
    /* The client's legs go as before (pair_handshake asserts them); the domain controller refuses the
     * pass-through logon of the AUTHENTICATE message with STATUS_NTLM_BLOCKED, which SSPI reports so. */
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(ntlm_logon("bob", "Hunter2!"), SEC_E_LOGON_DENIED);
    load_policy("ntlm = enabled\n", NULL);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
}
END_TEST

START_TEST(blocked_ntlm_logons_neither_check_nor_count_the_password)
{
    load_policy(LOCKOUT NO_NTLM, NULL);
    for (int i = 0; i < 5; i++)
        ck_assert_sec_status(ntlm_logon("alice", "wrong"), SEC_E_LOGON_DENIED);
    ck_assert_error(logon("alice", "Passw0rd!"), 0); /* not locked out: nothing was counted */
}
END_TEST

START_TEST(logon_user_through_the_ntlm_providers_is_ntlm_blocked)
{
    load_policy(NO_NTLM, NULL);
    ck_assert_error(logon_via(LOGON32_PROVIDER_WINNT40, "alice", "Passw0rd!"), ERROR_NTLM_BLOCKED);
    ck_assert_error(logon_via(LOGON32_PROVIDER_WINNT35, "alice", "Passw0rd!"), ERROR_NTLM_BLOCKED);
    ck_assert_error(logon_via(LOGON32_PROVIDER_WINNT40, "alice", "wrong"), ERROR_NTLM_BLOCKED); /* before the password */
    /* Negotiate's providers log on with Kerberos. */
    ck_assert_error(logon_via(LOGON32_PROVIDER_DEFAULT, "alice", "Passw0rd!"), 0);
    ck_assert_error(logon_via(LOGON32_PROVIDER_WINNT50, "alice", "Passw0rd!"), 0);
    load_policy("", NULL);
    ck_assert_error(logon_via(LOGON32_PROVIDER_WINNT40, "alice", "Passw0rd!"), 0);
}
END_TEST

START_TEST(lsa_logon_user_through_msv1_0_is_ntlm_blocked_with_no_sub_status)
{
    load_policy(NO_NTLM, NULL);
    struct lsa_result r = lsa_logon_with(LSA_MSV1_0, u"alice", u"Passw0rd!");
    ck_assert_nt(r.status, STATUS_NTLM_BLOCKED);
    ck_assert_nt(r.sub, STATUS_SUCCESS);
    r = lsa_logon_with(LSA_KERBEROS, u"alice", u"Passw0rd!");
    ck_assert_nt(r.status, STATUS_SUCCESS);
    ck_assert_uint_eq(LsaNtStatusToWinError(STATUS_NTLM_BLOCKED), ERROR_NTLM_BLOCKED);
}
END_TEST

START_TEST(negotiate_uses_kerberos_and_offers_no_ntlm_when_the_domain_denies_it)
{
    load_policy(NO_NTLM, NULL);
    struct pair p;
    negotiate_pair(&p);
    ck_assert_sec_status(pair_client_step(&p, ISC_STD, SPN), SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_null(memmem(p.c2s, p.c2s_len, ntlm_oid, sizeof ntlm_oid)); /* not in the mechList */
    ck_assert_ptr_null(memmem(p.c2s, p.c2s_len, "NTLMSSP", 8));
    ck_assert_sec_status(pair_server_step(&p, ASC_STD), SEC_E_OK);
    ck_assert_sec_status(pair_client_step(&p, ISC_STD, SPN), SEC_E_OK);
    SecPkgContext_NegotiationInfoA info;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_NEGOTIATION_INFO, &info), SEC_E_OK);
    ck_assert_str_eq(info.PackageInfo->Name, "Kerberos");
    ck_assert_sec_status(FreeContextBuffer(info.PackageInfo), SEC_E_OK);
    negotiate_pair_free(&p);
}
END_TEST

START_TEST(negotiate_fails_rather_than_fall_back_to_ntlm_when_kerberos_cannot_work)
{
    struct pair p;
    /* With NTLM allowed, a target that is no service of the domain gets NTLM (the fall back)... */
    negotiate_pair(&p);
    ck_assert_sec_status(pair_client_step(&p, ISC_STD, "HOST/unknown.example.test"), SEC_I_CONTINUE_NEEDED);
    ck_assert_ptr_nonnull(memmem(p.c2s, p.c2s_len, "NTLMSSP", 8));
    negotiate_pair_free(&p);
    /* ...without it, Kerberos' own failure, and no context. */
    load_policy(NO_NTLM, NULL);
    negotiate_pair(&p);
    ck_assert_sec_status(pair_client_step(&p, ISC_STD, "HOST/unknown.example.test"), SEC_E_TARGET_UNKNOWN);
    ck_assert_int_eq(p.client_made, 0);
    negotiate_pair_free(&p);
}
END_TEST

START_TEST(a_bad_ntlm_value_is_refused_with_the_reason)
{
    char message[256] = "";
    const char *text = "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\nntlm = off\n";
    ck_assert_ptr_null(fs_domain_parse(text, "policy.ini", message, sizeof message));
    ck_assert_str_eq(message, "policy.ini:5: 'ntlm' must be enabled or disabled");
}
END_TEST

/* ---- 4. Protected Users (doc/semantics.md §57) ---- */

#define ALICE_GROUPS "groups = Domain Users, Engineering\n"
#define PROTECTED_USERS "\n[group Protected Users]\nrid = 525\n"
#define LEGACY "\n[user svc_legacy]\nrid = 1300\npassword = Legacy!pass\nspn = HTTP/legacy.example.test\n" \
               "supported_enctypes = rc4\n"

/* The embedded domain with keys added to [domain], alice's groups line replaced by alice_groups, more keys for
 * her, and sections appended. */
static void load_with(const char *domain_keys, const char *alice_groups, const char *alice_keys, const char *appended)
{
    static char text[16384];
    const char *base = fs_default_domain_ini;
    const char *dom = strstr(base, "computer = SERVER\n") + strlen("computer = SERVER\n");
    const char *alice = strstr(base, "[user alice]\n") + strlen("[user alice]\n");
    const char *groups = strstr(alice, ALICE_GROUPS);
    const char *rest = groups + strlen(ALICE_GROUPS);
    int n = snprintf(text, sizeof text, "%.*s%s%.*s%s%.*s%s%s%s", (int)(dom - base), base, domain_keys,
                     (int)(alice - dom), dom, alice_keys, (int)(groups - alice), alice, alice_groups, rest, appended);
    ck_assert_int_lt(n, (int)sizeof text);
    ck_assert_msg(fakesspi_load_domain_text(text, "policy.ini") == 0, "%s", fakesspi_last_message());
}

/* alice a direct member of Protected Users, with more keys of hers and sections appended. */
static void load_protected(const char *alice_keys, const char *appended)
{
    char sections[1024];
    snprintf(sections, sizeof sections, "%s%s", PROTECTED_USERS, appended);
    load_with("", "groups = Domain Users, Engineering, Protected Users\n", alice_keys, sections);
}

START_TEST(a_protected_user_cannot_log_on_with_ntlm_on_any_path)
{
    load_protected("", "");
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(ntlm_logon("bob", "Hunter2!"), SEC_E_OK); /* the restriction is the member's alone */
    ck_assert_error(logon_via(LOGON32_PROVIDER_WINNT40, "alice", "Passw0rd!"), ERROR_ACCOUNT_RESTRICTION);
    ck_assert_error(logon_via(LOGON32_PROVIDER_DEFAULT, "alice", "Passw0rd!"), 0); /* Kerberos */
    struct lsa_result r = lsa_logon_with(LSA_MSV1_0, u"alice", u"Passw0rd!");
    ck_assert_nt(r.status, STATUS_ACCOUNT_RESTRICTION);
    ck_assert_nt(r.sub, STATUS_SUCCESS);
    r = lsa_logon_with(LSA_KERBEROS, u"alice", u"Passw0rd!");
    ck_assert_nt(r.status, STATUS_SUCCESS);
    ck_assert_sec_status(kerberos_first_leg("Negotiate", "alice", "Passw0rd!"), SEC_I_CONTINUE_NEEDED); /* Kerberos */
}
END_TEST

START_TEST(a_refused_ntlm_logon_of_a_protected_user_does_not_count_its_password)
{
    load_with(LOCKOUT, "groups = Domain Users, Engineering, Protected Users\n", "", PROTECTED_USERS);
    for (int i = 0; i < 3; i++)
        ck_assert_sec_status(ntlm_logon("alice", "wrong"), SEC_E_LOGON_DENIED);
    ck_assert_error(logon("alice", "Passw0rd!"), 0); /* not locked out: refused before the password */
}
END_TEST

START_TEST(membership_through_a_nested_group_or_the_primary_group_protects_too)
{
    /* carol is a member through Tier0, dave has it as his primary group; alice is no member. */
    load_with("", ALICE_GROUPS, "", "\n[group Protected Users]\nrid = 525\n\n[group Tier0]\nrid = 3000\n"
                                "groups = Protected Users\n\n[user carol]\nrid = 2001\npassword = C4rol!pass\n"
                                "groups = Tier0, Domain Users\n\n[user dave]\nrid = 2002\npassword = D4ve!pass\n"
                                "groups = Domain Users, Protected Users\nprimary_group = Protected Users\n");
    ck_assert_sec_status(ntlm_logon("carol", "C4rol!pass"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(ntlm_logon("dave", "D4ve!pass"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
}
END_TEST

START_TEST(protected_users_is_the_group_of_rid_525_whatever_its_name)
{
    load_with("", "groups = Domain Users, Engineering, Geschuetzte Benutzer\n", "",
              "\n[group Geschuetzte Benutzer]\nrid = 525\n\n[group Protected Users]\nrid = 3525\n"
              "\n[user carol]\nrid = 2001\npassword = C4rol!pass\ngroups = Domain Users, Protected Users\n");
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(ntlm_logon("carol", "C4rol!pass"), SEC_E_OK);
}
END_TEST

START_TEST(a_protected_users_kerberos_tickets_last_four_hours)
{
    load_protected("", "");
    LONGLONG alice = 0, bob = 0;
    ck_assert_sec_status(kerberos_first_leg_to("Kerberos", "alice", "Passw0rd!", SPN, &alice, NULL), SEC_E_OK);
    ck_assert_sec_status(kerberos_first_leg_to("Kerberos", "bob", "Hunter2!", SPN, &bob, NULL), SEC_E_OK);
    /* bob's ticket lasts the domain's 10 hours, alice's the 4 hours of her TGT: 6 hours apart. */
    ck_assert_int_eq(bob - alice, 6LL * 3600 * 10000000);
}
END_TEST

START_TEST(a_protected_user_uses_aes_only_even_when_its_account_lists_rc4)
{
    ULONG etype = 0xdeadbeef;
    /* Unprotected, alice listing RC4 gets an RC4 session key from an RC4-only service (doc/semantics.md §53)... */
    load_with("", ALICE_GROUPS, "supported_enctypes = 0x1c\n", PROTECTED_USERS LEGACY);
    ck_assert_sec_status(kerberos_first_leg_to("Kerberos", "alice", "Passw0rd!", "HTTP/legacy.example.test", NULL,
                                               &etype), SEC_E_OK);
    ck_assert_uint_eq(etype, 23);
    /* ...protected, she asks for AES only: no type in common. */
    load_protected("supported_enctypes = 0x1c\n", LEGACY);
    ck_assert_sec_status(kerberos_first_leg_to("Kerberos", "alice", "Passw0rd!", "HTTP/legacy.example.test", NULL,
                                               NULL), SEC_E_KDC_UNKNOWN_ETYPE);
    ck_assert_sec_status(kerberos_first_leg_to("Kerberos", "alice", "Passw0rd!", SPN, NULL, &etype), SEC_E_OK);
    ck_assert_uint_eq(etype, 18); /* AES256 with an AES service */
    /* An account with RC4 keys only would pre-authenticate with RC4: KDC_ERR_ETYPE_NOTSUPP (MS-KILE 3.3.5.6). */
    load_protected("supported_enctypes = rc4\n", "");
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "Passw0rd!"), SEC_E_KDC_UNKNOWN_ETYPE);
}
END_TEST

/* ---- 5. Logon hours and workstations (doc/semantics.md §57) ---- */

/* Every path's answer for alice's right password, in one line each: LogonUser's last error, LsaLogonUser's status
 * and sub-status, the NTLM acceptor's and the Kerberos client's first leg. */
static void expect_alice_refused(DWORD error, NTSTATUS sub)
{
    ck_assert_error(logon("alice", "Passw0rd!"), error);
    struct lsa_result r = lsa_logon(u"alice", u"Passw0rd!");
    ck_assert_nt(r.status, STATUS_ACCOUNT_RESTRICTION);
    ck_assert_nt(r.sub, sub);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "Passw0rd!"), SEC_E_LOGON_DENIED);
}

static void expect_alice_admitted(void)
{
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
    ck_assert_nt(lsa_logon(u"alice", u"Passw0rd!").status, STATUS_SUCCESS);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
    ck_assert_sec_status(kerberos_first_leg("Kerberos", "alice", "Passw0rd!"), SEC_E_OK);
}

START_TEST(outside_its_logon_hours_an_account_is_refused_on_every_path_with_windows_statuses)
{
    /* The virtual clock starts at 2025-01-01 00:00 UTC, a Wednesday. */
    load_policy("", "logon_hours = Mon-Fri 09-17\n");
    expect_alice_refused(ERROR_INVALID_LOGON_HOURS, STATUS_INVALID_LOGON_HOURS);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE); /* the password first */
    ck_assert_error(logon("bob", "Hunter2!"), 0);
    fakesspi_clock_advance(FAKESSPI_SECONDS(9 * 3600 - 1));
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_INVALID_LOGON_HOURS); /* 08:59:59 */
    fakesspi_clock_advance(FAKESSPI_SECONDS(1));
    expect_alice_admitted();
    fakesspi_clock_advance(FAKESSPI_SECONDS(8 * 3600 - 1));
    ck_assert_error(logon("alice", "Passw0rd!"), 0); /* 16:59:59 */
    fakesspi_clock_advance(FAKESSPI_SECONDS(1));
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_INVALID_LOGON_HOURS);
    fakesspi_clock_advance(FAKESSPI_SECONDS((3 * 24 - 8) * 3600)); /* Saturday 09:00 */
    ck_assert_error(logon("alice", "Passw0rd!"), ERROR_INVALID_LOGON_HOURS);
}
END_TEST

START_TEST(logon_hours_are_utc_hours_of_the_week_from_sunday_in_each_spelling)
{
    static const struct {
        const char *hours;
        DWORD at_wednesday_midnight;
    } cases[] = {
        {"all", 0},
        {"none", ERROR_INVALID_LOGON_HOURS},
        {"Wed", 0},
        {"wed 00-01", 0},
        {"Wed 01-24", ERROR_INVALID_LOGON_HOURS},
        {"Tue-Thu 00-01", 0},
        {"Sat-Wed 00-01", 0}, /* days wrap round the week */
        {"Thu-Tue", ERROR_INVALID_LOGON_HOURS},
        /* AD's 21 bytes: bit 72 (byte 9, bit 0) is Wednesday 00:00-01:00 UTC. */
        {"000000000000000000010000000000000000000000", 0},
        {"ffffffffffffffffff00ffffffffffffffffffffff", ERROR_INVALID_LOGON_HOURS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char keys[128];
        snprintf(keys, sizeof keys, "logon_hours = %s\n", cases[i].hours);
        load_policy("", keys);
        ck_assert_msg(logon("alice", "Passw0rd!") == cases[i].at_wednesday_midnight, "logon_hours = %s: %lu",
                      cases[i].hours, (unsigned long)logon("alice", "Passw0rd!"));
    }
}
END_TEST

START_TEST(an_account_limited_to_other_workstations_is_refused_on_every_path_with_windows_statuses)
{
    load_policy("", "workstations = WS01, WS02\n");
    expect_alice_refused(ERROR_INVALID_WORKSTATION, STATUS_INVALID_WORKSTATION);
    ck_assert_error(logon("alice", "wrong"), ERROR_LOGON_FAILURE);
    ck_assert_error(logon("bob", "Hunter2!"), 0);
    /* This host is the domain's computer (SERVER): listed, in any case, the account logs on. */
    load_policy("", "workstations = WS01, server\n");
    expect_alice_admitted();
}
END_TEST

/* A Kerberos change (RFC 3244) starts with an AS exchange for kadmin/changepw, which the KDC refuses outside the
 * logon hours or from another computer as any AS exchange (MS-KILE 3.3.5.6); MSV1_0 changes it through the SAM
 * (MS-SAMR 3.1.5.10.3), which looks at neither (doc/semantics.md §57.5). */
START_TEST(kerberos_password_changes_keep_logon_hours_and_workstations_ntlm_ones_do_not)
{
    static const char *const restrictions[] = {"logon_hours = Mon-Fri 09-17\n", "workstations = WS01\n"};
    for (size_t i = 0; i < sizeof restrictions / sizeof *restrictions; i++) {
        load_policy("", restrictions[i]);
        ck_assert_sec_status(ChangeAccountPasswordA("Kerberos", "EXAMPLE", "alice", "Passw0rd!", "N3w!pass", FALSE, 0,
                                                    NULL), SEC_E_LOGON_DENIED);
        ck_assert_sec_status(ChangeAccountPasswordA("Negotiate", "", "alice", "Passw0rd!", "N3w!pass", FALSE, 0,
                                                    NULL), SEC_E_LOGON_DENIED);
        ck_assert_error(logon("alice", "N3w!pass"), ERROR_LOGON_FAILURE); /* unchanged: the password comes first */
        ck_assert_sec_status(ChangeAccountPasswordA("NTLM", "EXAMPLE", "alice", "wrong", "N3w!pass", FALSE, 0, NULL),
                             SEC_E_LOGON_DENIED); /* the old password is still checked */
        ck_assert_sec_status(ChangeAccountPasswordA("NTLM", "EXAMPLE", "alice", "Passw0rd!", "N3w!pass", FALSE, 0,
                                                    NULL), SEC_E_OK);
        /* Changed, but the account still may not log on from here or now. */
        ck_assert_error(logon("alice", "N3w!pass"), i ? ERROR_INVALID_WORKSTATION : ERROR_INVALID_LOGON_HOURS);
        ck_assert_error(logon("alice", "Passw0rd!"), ERROR_LOGON_FAILURE);
    }
    /* Inside the hours and from a listed computer, Kerberos changes it too. */
    load_policy("", "logon_hours = Wed 00-01\nworkstations = WS01, SERVER\n");
    ck_assert_sec_status(ChangeAccountPasswordA("Kerberos", "EXAMPLE", "alice", "Passw0rd!", "N3w!pass", FALSE, 0,
                                                NULL), SEC_E_OK);
    ck_assert_error(logon("alice", "N3w!pass"), 0);
}
END_TEST

START_TEST(bad_logon_hours_and_workstations_are_refused_with_the_reason)
{
    static const struct {
        const char *keys, *message;
    } cases[] = {
        {"logon_hours = Mon-Fri 18-08\n", "policy.ini:7: 'logon_hours' must be all, none, 42 hex digits or UTC hours "
                                          "such as 'Mon-Fri 08-18, Sat 09-12'"},
        {"logon_hours = Funday\n", "policy.ini:7: 'logon_hours' must be all, none, 42 hex digits or UTC hours such as "
                                   "'Mon-Fri 08-18, Sat 09-12'"},
        {"logon_hours = Mon 08-25\n", "policy.ini:7: 'logon_hours' must be all, none, 42 hex digits or UTC hours "
                                      "such as 'Mon-Fri 08-18, Sat 09-12'"},
        {"workstations = WS/01\n", "policy.ini:7: user 'carol': 'WS/01' is not a computer's NetBIOS name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[512], message[256] = "";
        snprintf(text, sizeof text, "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\n"
                                    "[user carol]\nrid = 1000\n%s", cases[i].keys);
        ck_assert_ptr_null(fs_domain_parse(text, "policy.ini", message, sizeof message));
        ck_assert_str_eq(message, cases[i].message);
    }
}
END_TEST

/* ---- 6. Channel bindings required (doc/semantics.md §57) ---- */

/* SEC_CHANNEL_BINDINGS with only application data, as a TLS endpoint's tls-server-end-point. */
struct bindings {
    SEC_CHANNEL_BINDINGS h;
    char data[32];
};

static struct bindings make_bindings(const char *app)
{
    struct bindings b;
    memset(&b, 0, sizeof b);
    b.h.cbApplicationDataLength = (ULONG)strlen(app);
    b.h.dwApplicationDataOffset = sizeof b.h;
    memcpy(b.data, app, strlen(app));
    return b;
}

/* A token buffer followed, when b is given, by a channel-bindings buffer. */
struct input {
    SecBuffer buffers[2];
    SecBufferDesc desc;
};

static SecBufferDesc *input(struct input *in, void *token, ULONG len, struct bindings *b)
{
    in->buffers[0] = (SecBuffer){len, SECBUFFER_TOKEN, token};
    in->buffers[1] = (SecBuffer){sizeof *b, SECBUFFER_CHANNEL_BINDINGS, b};
    in->desc = (SecBufferDesc){SECBUFFER_VERSION, b ? 2 : 1, in->buffers};
    return &in->desc;
}

/* An NTLM handshake of alice's with the given bindings on each side: the acceptor's last status. */
static SECURITY_STATUS ntlm_with_bindings(struct bindings *client, struct bindings *server)
{
    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    unsigned char c2s[4096], s2c[4096];
    SecBuffer oc = {sizeof c2s, SECBUFFER_TOKEN, c2s}, os = {sizeof s2c, SECBUFFER_TOKEN, s2c};
    SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
    ULONG attrs;
    struct input in;
    ck_assert_sec_status(InitializeSecurityContextA(&p.client_cred, NULL, (SEC_CHAR *)SPN, 0, 0, 0, NULL, 0, &p.client,
                                                    &ocd, &attrs, NULL), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(AcceptSecurityContext(&p.server_cred, NULL, input(&in, c2s, oc.cbBuffer, NULL), 0, 0,
                                               &p.server, &osd, &attrs, NULL), SEC_I_CONTINUE_NEEDED);
    oc.cbBuffer = sizeof c2s;
    ck_assert_sec_status(InitializeSecurityContextA(&p.client_cred, &p.client, (SEC_CHAR *)SPN, 0, 0, 0,
                                                    input(&in, s2c, os.cbBuffer, client), 0, &p.client, &ocd, &attrs,
                                                    NULL), SEC_E_OK);
    os.cbBuffer = sizeof s2c;
    SECURITY_STATUS status = AcceptSecurityContext(&p.server_cred, &p.server, input(&in, c2s, oc.cbBuffer, server), 0,
                                                   0, &p.server, &osd, &attrs, NULL);
    pair_free(&p);
    return status;
}

/* A Kerberos handshake of alice's to the service account (one leg each way) with the given bindings. */
static SECURITY_STATUS kerberos_with_bindings(struct bindings *client, struct bindings *server)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                                   &ccred, NULL), SEC_E_OK);
    ck_assert_sec_status(acquire_service_credential("Kerberos", &scred), SEC_E_OK);
    unsigned char c2s[8192], s2c[4096];
    SecBuffer oc = {sizeof c2s, SECBUFFER_TOKEN, c2s}, os = {sizeof s2c, SECBUFFER_TOKEN, s2c};
    SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
    SecBuffer cb = {sizeof *client, SECBUFFER_CHANNEL_BINDINGS, client};
    SecBufferDesc cbd = {SECBUFFER_VERSION, 1, &cb};
    ULONG attrs;
    struct input in;
    ck_assert_sec_status(InitializeSecurityContextA(&ccred, NULL, (SEC_CHAR *)SPN, ISC_STD, 0, 0, client ? &cbd : NULL,
                                                    0, &cctx, &ocd, &attrs, NULL), SEC_E_OK);
    SECURITY_STATUS status = AcceptSecurityContext(&scred, NULL, input(&in, c2s, oc.cbBuffer, server), ASC_STD, 0,
                                                   &sctx, &osd, &attrs, NULL);
    if (SEC_SUCCESS(status))
        ck_assert_sec_status(DeleteSecurityContext(&sctx), SEC_E_OK);
    ck_assert_sec_status(DeleteSecurityContext(&cctx), SEC_E_OK);
    ck_assert_sec_status(FreeCredentialsHandle(&ccred), SEC_E_OK);
    ck_assert_sec_status(FreeCredentialsHandle(&scred), SEC_E_OK);
    return status;
}

START_TEST(when_the_domain_requires_channel_bindings_a_client_without_them_is_bad_bindings)
{
    struct bindings tls = make_bindings("tls-server-end-point:AAAA"), other = make_bindings("tls-server-end-point:BB");
    /* By default ("when supported") a client that has none is let through. */
    ck_assert_sec_status(ntlm_with_bindings(NULL, &tls), SEC_E_OK);
    ck_assert_sec_status(kerberos_with_bindings(NULL, &tls), SEC_E_OK);
    load_policy("channel_bindings = required\n", NULL);
    ck_assert_sec_status(ntlm_with_bindings(NULL, &tls), SEC_E_BAD_BINDINGS);
    ck_assert_sec_status(kerberos_with_bindings(NULL, &tls), SEC_E_BAD_BINDINGS);
    /* The right bindings pass, other ones fail as ever, and an acceptor with none (no TLS) takes anyone. */
    ck_assert_sec_status(ntlm_with_bindings(&tls, &tls), SEC_E_OK);
    ck_assert_sec_status(kerberos_with_bindings(&tls, &tls), SEC_E_OK);
    ck_assert_sec_status(ntlm_with_bindings(&other, &tls), SEC_E_BAD_BINDINGS);
    ck_assert_sec_status(kerberos_with_bindings(&other, &tls), SEC_E_BAD_BINDINGS);
    ck_assert_sec_status(ntlm_with_bindings(NULL, NULL), SEC_E_OK);
    ck_assert_sec_status(kerberos_with_bindings(NULL, NULL), SEC_E_OK);
}
END_TEST

START_TEST(a_bad_channel_bindings_value_is_refused_with_the_reason)
{
    char message[256] = "";
    const char *text = "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\n"
                       "channel_bindings = always\n";
    ck_assert_ptr_null(fs_domain_parse(text, "policy.ini", message, sizeof message));
    ck_assert_str_eq(message, "policy.ini:5: 'channel_bindings' must be when_supported or required");
}
END_TEST

/* ---- 7. NTLM minimum session security (doc/semantics.md §57.6) ---- */

#define NEGOTIATE_FLAGS 12 /* offsets of the flags in NEGOTIATE, CHALLENGE and AUTHENTICATE (MS-NLMP 2.2.1) */
#define CHALLENGE_FLAGS 20
#define AUTHENTICATE_FLAGS 60
#define NTLM2_SESSION 0x00080000u /* NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY */
#define KEY_128 0x20000000u
#define KEY_56 0x80000000u

static uint32_t get32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Flags a man in the middle clears in each message; the CHALLENGE also loses MsvAvTimestamp, so that the client
 * sends no MIC (MS-NLMP 3.1.5.1.2) and the rewritten flags are not caught as an altered message. */
struct rewrite {
    uint32_t negotiate, challenge, authenticate;
};

static void rewrite_tokens(int hop, unsigned char *t, ULONG *len, void *arg)
{
    const struct rewrite *r = arg;
    static const int offsets[] = {NEGOTIATE_FLAGS, CHALLENGE_FLAGS, AUTHENTICATE_FLAGS};
    const uint32_t clear[] = {r->negotiate, r->challenge, r->authenticate};
    if (hop > 2)
        return;
    put32(t + offsets[hop], get32(t + offsets[hop]) & ~clear[hop]);
    if (hop == 1)
        conv_ntlm_strip_timestamp(t, len);
}

/* alice's NTLM handshake asking isc_req, with the flags r clears: the conversation, for its statuses. */
static void ntlm_rewritten(struct conv *v, ULONG isc_req, struct rewrite r)
{
    conv_credentials(v, "NTLM", "alice", "Passw0rd!");
    v->mitm = rewrite_tokens;
    v->arg = &r;
    conv_run(v, SPN, isc_req, 0);
    v->mitm = NULL;
    v->arg = NULL;
}

START_TEST(an_acceptor_requiring_ntlmv2_session_security_refuses_a_client_without_it)
{
    struct conv v;
    /* Windows' default (128-bit keys only): a client without NTLMv2 session security logs on. */
    ntlm_rewritten(&v, ISC_STD, (struct rewrite){.negotiate = NTLM2_SESSION});
    ck_assert_sec_status(v.server_status, SEC_E_OK);
    conv_free(&v);
    load_policy("ntlm_min_server_sec = 0x00080000\n", NULL);
    /* At its NEGOTIATE (MS-NLMP 3.2.5.1.1): no CHALLENGE, no context; with or without session security asked. */
    static const ULONG asked[] = {ISC_STD, 0};
    for (size_t i = 0; i < 2; i++) {
        ntlm_rewritten(&v, asked[i], (struct rewrite){.negotiate = NTLM2_SESSION});
        ck_assert_sec_status(v.client_status, SEC_I_CONTINUE_NEEDED);
        ck_assert_sec_status(v.server_status, SEC_E_UNSUPPORTED_FUNCTION);
        ck_assert_int_eq(v.server_made, 0);
        conv_free(&v);
    }
    /* At its AUTHENTICATE (3.2.5.2.2), when the flags the client settled on lack it. */
    ntlm_rewritten(&v, ISC_STD, (struct rewrite){.authenticate = NTLM2_SESSION});
    ck_assert_sec_status(v.client_status, SEC_E_OK);
    ck_assert_sec_status(v.server_status, SEC_E_UNSUPPORTED_FUNCTION);
    conv_free(&v);
    /* A client that negotiates it logs on; NTLMv2 session security is not a password check: nothing counts. */
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
    ck_assert_error(logon("alice", "Passw0rd!"), 0);
}
END_TEST

START_TEST(an_acceptor_requiring_nothing_takes_a_weak_key_and_one_requiring_both_refuses_either_lack)
{
    struct conv v;
    /* Windows' default refuses session security with a key under 128 bits ... */
    ntlm_rewritten(&v, ISC_STD, (struct rewrite){.negotiate = KEY_128 | KEY_56});
    ck_assert_sec_status(v.server_status, SEC_E_UNSUPPORTED_FUNCTION);
    conv_free(&v);
    /* ... and with 0 on both sides, a 40-bit key is what they get. */
    load_policy("ntlm_min_server_sec = 0\nntlm_min_client_sec = 0\n", NULL);
    ntlm_rewritten(&v, ISC_STD, (struct rewrite){.negotiate = KEY_128 | KEY_56});
    ck_assert_sec_status(v.client_status, SEC_E_OK);
    ck_assert_sec_status(v.server_status, SEC_E_OK);
    SecPkgContext_KeyInfoA key;
    memset(&key, 0xcc, sizeof key);
    ck_assert_sec_status(QueryContextAttributesA(&v.server, SECPKG_ATTR_KEY_INFO, &key), SEC_E_OK);
    ck_assert_uint_eq(key.KeySize, 40);
    FreeContextBuffer(key.sSignatureAlgorithmName);
    FreeContextBuffer(key.sEncryptAlgorithmName);
    conv_free(&v);
    load_policy("ntlm_min_server_sec = 0x20080000\n", NULL);
    static const uint32_t lacks[] = {KEY_128 | KEY_56, NTLM2_SESSION};
    for (size_t i = 0; i < 2; i++) {
        ntlm_rewritten(&v, ISC_STD, (struct rewrite){.negotiate = lacks[i]});
        ck_assert_sec_status(v.server_status, SEC_E_UNSUPPORTED_FUNCTION);
        conv_free(&v);
    }
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
}
END_TEST

START_TEST(a_client_requiring_ntlmv2_session_security_refuses_a_challenge_without_it)
{
    struct conv v;
    ntlm_rewritten(&v, ISC_STD, (struct rewrite){.challenge = NTLM2_SESSION});
    ck_assert_sec_status(v.client_status, SEC_E_OK); /* Windows' default asks no more of the server */
    ck_assert_sec_status(v.server_status, SEC_E_OK);
    conv_free(&v);
    load_policy("ntlm_min_client_sec = 0x00080000\n", NULL);
    ntlm_rewritten(&v, ISC_STD, (struct rewrite){.challenge = NTLM2_SESSION});
    ck_assert_sec_status(v.client_status, SEC_E_UNSUPPORTED_FUNCTION); /* MS-NLMP 3.1.5.1.2 */
    ck_assert_sec_status(v.server_status, SEC_I_CONTINUE_NEEDED);     /* no AUTHENTICATE ever left */
    conv_free(&v);
    /* Without session security asked, 128-bit keys do not matter, NTLMv2 session security does. */
    load_policy("ntlm_min_client_sec = 0x20000000\n", NULL);
    ntlm_rewritten(&v, 0, (struct rewrite){.challenge = NTLM2_SESSION | KEY_128 | KEY_56});
    ck_assert_sec_status(v.client_status, SEC_E_OK);
    ck_assert_sec_status(v.server_status, SEC_E_OK);
    conv_free(&v);
    load_policy("ntlm_min_client_sec = 0x20080000\n", NULL);
    ntlm_rewritten(&v, 0, (struct rewrite){.challenge = NTLM2_SESSION});
    ck_assert_sec_status(v.client_status, SEC_E_UNSUPPORTED_FUNCTION);
    conv_free(&v);
    ck_assert_sec_status(ntlm_logon("alice", "Passw0rd!"), SEC_E_OK);
}
END_TEST

START_TEST(bad_ntlm_minimum_session_security_values_are_refused_with_the_reason)
{
    static const char *const values[] = {"0x10", "yes", "", "-1", "0x120080000", "536870912x"};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char text[256], message[256] = "";
        snprintf(text, sizeof text, "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\n"
                                    "ntlm_min_client_sec = %s\n", values[i]);
        ck_assert_ptr_null(fs_domain_parse(text, "policy.ini", message, sizeof message));
        ck_assert_str_eq(message, "policy.ini:5: 'ntlm_min_client_sec' must be 0, 0x00080000 (NTLMv2 session "
                                  "security), 0x20000000 (128-bit encryption) or 0x20080000 (both)");
    }
    /* Decimal is the registry's other spelling: 536870912 is 0x20000000. */
    char message[256] = "";
    struct fs_domain *d = fs_domain_parse("[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\n"
                                          "ntlm_min_server_sec = 536870912\n", "policy.ini", message, sizeof message);
    ck_assert_msg(d != NULL, "%s", message);
    ck_assert_uint_eq(d->policy.ntlm_min_server_sec, 0x20000000u);
    ck_assert_uint_eq(d->policy.ntlm_min_client_sec, 0x20000000u); /* the default */
    fs_domain_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("domain_policy");
    TCase *lockout = test_case("lockout");
    tcase_add_test(lockout, three_bad_passwords_lock_the_account_and_logon_user_says_account_locked_out);
    tcase_add_test(lockout, the_lockout_ends_when_the_virtual_clock_passes_its_duration);
    tcase_add_test(lockout, a_good_logon_resets_the_bad_password_count);
    tcase_add_test(lockout, bad_passwords_older_than_the_observation_window_no_longer_count);
    tcase_add_test(lockout, a_lockout_duration_of_zero_lasts_until_the_domain_is_loaded_again);
    tcase_add_test(lockout, without_a_threshold_no_number_of_bad_passwords_locks);
    tcase_add_test(lockout, the_reset_unlocks_every_account);
    tcase_add_test(lockout, ntlm_bad_passwords_lock_the_account_and_the_acceptor_says_logon_denied);
    tcase_add_test(lockout, a_good_ntlm_logon_resets_the_count_logon_user_made);
    tcase_add_test(lockout, kerberos_and_negotiate_first_legs_count_bad_passwords_and_refuse_a_locked_out_account);
    tcase_add_test(lockout, lsa_logon_user_of_a_locked_out_account_is_account_locked_out_with_no_sub_status);
    tcase_add_test(lockout, bad_passwords_from_many_threads_are_each_counted_once);
    tcase_add_test(lockout, bad_lockout_keys_are_refused_with_the_reason);
    suite_add_tcase(s, lockout);
    TCase *password = test_case("password");
    tcase_add_test(password, a_password_that_must_change_fails_each_logon_with_windows_status);
    tcase_add_test(password, a_password_older_than_the_maximum_age_has_expired_on_each_path);
    tcase_add_test(password, a_password_given_no_time_was_set_when_the_domain_loaded);
    tcase_add_test(password, a_password_that_never_expires_outlives_the_maximum_age);
    tcase_add_test(password, change_account_password_changes_it_in_the_running_domain);
    tcase_add_test(password, an_ntlm_logon_before_a_password_change_leaves_nothing_that_takes_the_old_password);
    tcase_add_test(password, a_wrong_old_password_is_logon_denied_changes_nothing_and_counts_towards_the_lockout);
    tcase_add_test(password, changing_a_password_that_must_change_or_has_expired_lets_the_account_log_on);
    tcase_add_test(password, change_account_password_refusals_have_windows_statuses);
    tcase_add_test(password, the_function_table_hands_out_change_account_password);
    tcase_add_test(password, bad_password_keys_are_refused_with_the_reason);
    suite_add_tcase(s, password);
    TCase *ntlm = test_case("ntlm");
    tcase_add_test(ntlm, a_domain_that_denies_ntlm_refuses_the_ntlm_acceptors_logon_as_logon_denied);
    tcase_add_test(ntlm, blocked_ntlm_logons_neither_check_nor_count_the_password);
    tcase_add_test(ntlm, logon_user_through_the_ntlm_providers_is_ntlm_blocked);
    tcase_add_test(ntlm, lsa_logon_user_through_msv1_0_is_ntlm_blocked_with_no_sub_status);
    tcase_add_test(ntlm, negotiate_uses_kerberos_and_offers_no_ntlm_when_the_domain_denies_it);
    tcase_add_test(ntlm, negotiate_fails_rather_than_fall_back_to_ntlm_when_kerberos_cannot_work);
    tcase_add_test(ntlm, a_bad_ntlm_value_is_refused_with_the_reason);
    suite_add_tcase(s, ntlm);
    TCase *protected_users = test_case("protected_users");
    tcase_add_test(protected_users, a_protected_user_cannot_log_on_with_ntlm_on_any_path);
    tcase_add_test(protected_users, a_refused_ntlm_logon_of_a_protected_user_does_not_count_its_password);
    tcase_add_test(protected_users, membership_through_a_nested_group_or_the_primary_group_protects_too);
    tcase_add_test(protected_users, protected_users_is_the_group_of_rid_525_whatever_its_name);
    tcase_add_test(protected_users, a_protected_users_kerberos_tickets_last_four_hours);
    tcase_add_test(protected_users, a_protected_user_uses_aes_only_even_when_its_account_lists_rc4);
    suite_add_tcase(s, protected_users);
    TCase *restrictions = test_case("restrictions");
    tcase_add_test(restrictions, outside_its_logon_hours_an_account_is_refused_on_every_path_with_windows_statuses);
    tcase_add_test(restrictions, logon_hours_are_utc_hours_of_the_week_from_sunday_in_each_spelling);
    tcase_add_test(restrictions, an_account_limited_to_other_workstations_is_refused_on_every_path_with_windows_statuses);
    tcase_add_test(restrictions, kerberos_password_changes_keep_logon_hours_and_workstations_ntlm_ones_do_not);
    tcase_add_test(restrictions, bad_logon_hours_and_workstations_are_refused_with_the_reason);
    suite_add_tcase(s, restrictions);
    TCase *bindings = test_case("bindings");
    tcase_add_test(bindings, when_the_domain_requires_channel_bindings_a_client_without_them_is_bad_bindings);
    tcase_add_test(bindings, a_bad_channel_bindings_value_is_refused_with_the_reason);
    suite_add_tcase(s, bindings);
    TCase *min_sec = test_case("ntlm_min_sec");
    tcase_add_test(min_sec, an_acceptor_requiring_ntlmv2_session_security_refuses_a_client_without_it);
    tcase_add_test(min_sec, an_acceptor_requiring_nothing_takes_a_weak_key_and_one_requiring_both_refuses_either_lack);
    tcase_add_test(min_sec, a_client_requiring_ntlmv2_session_security_refuses_a_challenge_without_it);
    tcase_add_test(min_sec, bad_ntlm_minimum_session_security_values_are_refused_with_the_reason);
    suite_add_tcase(s, min_sec);
    return test_run(s);
}
