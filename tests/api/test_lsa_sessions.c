/* The LSA's logon sessions (LsaEnumerateLogonSessions, LsaGetLogonSessionData) and the older and newer forms of
 * its name/SID lookups (LsaLookupNames, LsaLookupSids2): doc/semantics.md §48. */
#include "testutil.h"
#include "lsa_test_strings.h"

#include "ntsecapi.h"
#include "ntstatus.h"
#include "sddl.h"
#include "security.h"

#define ALICE_SID "S-1-5-21-1000000001-2000000002-3000000003-1104"
#define DOMAIN_SID "S-1-5-21-1000000001-2000000002-3000000003"
#define NEVER 0x7FFFFFFFFFFFFFFFLL

static const char *sid_text(PSID sid)
{
    static char text[4][128];
    static int next;
    char *out = text[next++ % 4];
    LPSTR s;
    ck_assert(ConvertSidToStringSidA(sid, &s));
    snprintf(out, 128, "%s", s);
    LocalFree(s);
    return out;
}

static LUID logon_id_of(HANDLE token)
{
    TOKEN_STATISTICS st;
    DWORD needed;
    ck_assert(GetTokenInformation(token, TokenStatistics, &st, sizeof st, &needed));
    return st.AuthenticationId;
}

static LUID own_logon_id(void)
{
    HANDLE self;
    ck_assert(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &self));
    LUID id = logon_id_of(self);
    ck_assert(CloseHandle(self));
    return id;
}

static int luid_eq(LUID a, LUID b) { return a.LowPart == b.LowPart && a.HighPart == b.HighPart; }

/* Is id in LsaEnumerateLogonSessions' list? */
static int listed(LUID id)
{
    ULONG count = 0;
    PLUID list = NULL;
    ck_assert_nt(LsaEnumerateLogonSessions(&count, &list), STATUS_SUCCESS);
    int found = 0;
    for (ULONG i = 0; i < count; i++)
        found |= luid_eq(list[i], id);
    ck_assert_nt(LsaFreeReturnBuffer(list), STATUS_SUCCESS);
    return found;
}

static PSECURITY_LOGON_SESSION_DATA session_data(LUID id)
{
    PSECURITY_LOGON_SESSION_DATA data = NULL;
    ck_assert_nt(LsaGetLogonSessionData(&id, &data), STATUS_SUCCESS);
    ck_assert_ptr_nonnull(data);
    ck_assert_uint_eq(data->Size, sizeof *data);
    ck_assert(luid_eq(data->LogonId, id));
    return data;
}

/* Logon sessions. */

START_TEST(the_well_known_sessions_come_first_then_the_process_own)
{
    ck_assert_int_eq(fakesspi_set_process_user("alice"), 0);
    ULONG count;
    PLUID list;
    SENTINEL(count);
    SENTINEL(list);
    ck_assert_nt(LsaEnumerateLogonSessions(&count, &list), STATUS_SUCCESS);
    ck_assert_uint_eq(count, 5);
    static const DWORD wellknown[] = {0x3e7, 0x3e6, 0x3e5, 0x3e4};
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(list[i].LowPart, wellknown[i]);
        ck_assert_int_eq(list[i].HighPart, 0);
    }
    ck_assert(luid_eq(list[4], own_logon_id()));
    ck_assert_nt(LsaFreeReturnBuffer(list), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
    LUID system = SYSTEM_LUID, anonymous = ANONYMOUS_LOGON_LUID, local = LOCALSERVICE_LUID,
         network = NETWORKSERVICE_LUID;
    ck_assert(listed(system) && listed(anonymous) && listed(local) && listed(network));
}
END_TEST

START_TEST(the_process_session_tells_who_logged_on_how_and_when)
{
    ck_assert_int_eq(fakesspi_set_process_user("alice"), 0);
    PSECURITY_LOGON_SESSION_DATA d = session_data(own_logon_id());
    ck_assert_str_eq(narrow(&d->UserName), "alice");
    ck_assert_str_eq(narrow(&d->LogonDomain), "EXAMPLE");
    ck_assert_str_eq(narrow(&d->AuthenticationPackage), "Kerberos");
    ck_assert_uint_eq(d->LogonType, Interactive);
    ck_assert_uint_eq(d->Session, 1);
    ck_assert_str_eq(sid_text(d->Sid), ALICE_SID);
    ck_assert_int_eq(d->LogonTime.QuadPart, (LONGLONG)fakesspi_clock_now());
    ck_assert_str_eq(narrow(&d->LogonServer), "SERVER");
    ck_assert_str_eq(narrow(&d->DnsDomainName), "example.test");
    ck_assert_str_eq(narrow(&d->Upn), "alice@example.test");
    ck_assert_uint_eq(d->UserFlags, 0);
    ck_assert_int_eq(d->LastLogonInfo.LastSuccessfulLogon.QuadPart, 0);
    ck_assert_uint_eq(d->LastLogonInfo.FailedAttemptCountSinceLastSuccessfulLogon, 0);
    const LSA_UNICODE_STRING *empty[] = {&d->LogonScript, &d->ProfilePath, &d->HomeDirectory,
                                         &d->HomeDirectoryDrive};
    for (int i = 0; i < 4; i++)
        ck_assert_str_eq(narrow(empty[i]), "");
    ck_assert_int_eq(d->LogoffTime.QuadPart, NEVER);
    ck_assert_int_eq(d->KickOffTime.QuadPart, NEVER);
    ck_assert_int_eq(d->PasswordLastSet.QuadPart, 0);
    ck_assert_int_eq(d->PasswordCanChange.QuadPart, 0);
    ck_assert_int_eq(d->PasswordMustChange.QuadPart, NEVER);
    /* One block: the SID and the strings lie after the structure. */
    ck_assert((char *)d->Sid >= (char *)(d + 1));
    ck_assert((char *)d->UserName.Buffer > (char *)d->Sid);
    ck_assert_nt(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(a_logon_begins_a_session_that_lasts_while_a_token_of_it_does)
{
    ck_assert_int_eq(fakesspi_set_process_user("alice"), 0);
    fakesspi_clock_advance(36000000000LL); /* an hour later */
    HANDLE token, copy;
    ck_assert(LogonUserA("alice", "EXAMPLE", "Passw0rd!", LOGON32_LOGON_BATCH, LOGON32_PROVIDER_DEFAULT, &token));
    LUID id = logon_id_of(token);
    ck_assert(!luid_eq(id, own_logon_id()));
    ck_assert(listed(id));
    PSECURITY_LOGON_SESSION_DATA d = session_data(id);
    ck_assert_uint_eq(d->LogonType, Batch);
    ck_assert_uint_eq(d->Session, 0);
    ck_assert_int_eq(d->LogonTime.QuadPart, (LONGLONG)fakesspi_clock_now());
    ck_assert_nt(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    /* A duplicate is a token of the same session: closing the first leaves it. */
    ck_assert(DuplicateTokenEx(token, TOKEN_QUERY, NULL, SecurityImpersonation, TokenImpersonation, &copy));
    ck_assert(luid_eq(logon_id_of(copy), id));
    ck_assert(CloseHandle(token));
    ck_assert(listed(id));
    ck_assert(CloseHandle(copy));
    ck_assert(!listed(id));
    PSECURITY_LOGON_SESSION_DATA gone;
    SENTINEL(gone);
    ck_assert_nt(LsaGetLogonSessionData(&id, &gone), STATUS_NO_SUCH_LOGON_SESSION);
    ck_assert_untouched(gone);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

/* Sessions begun on other threads are listed after the process's own, in the order they began, whichever thread
 * began them; a token of one closed on another thread than its own still ends it. */
static void *logon_batch(void *out)
{
    return LogonUserA("alice", "EXAMPLE", "Passw0rd!", LOGON32_LOGON_BATCH, LOGON32_PROVIDER_DEFAULT, out) ? out
                                                                                                           : NULL;
}

START_TEST(sessions_of_every_thread_are_listed_in_the_order_they_began)
{
    ck_assert_int_eq(fakesspi_set_process_user("alice"), 0);
    HANDLE tokens[6];
    for (int i = 0; i < 6; i++) { /* threads 2, 3 and main take turns */
        if (i % 3 == 2) {
            ck_assert(logon_batch(&tokens[i]));
        } else {
            pthread_t t;
            void *ok;
            ck_assert_int_eq(pthread_create(&t, NULL, logon_batch, &tokens[i]), 0);
            ck_assert_int_eq(pthread_join(t, &ok), 0);
            ck_assert_ptr_nonnull(ok);
        }
    }
    ULONG count;
    PLUID list;
    ck_assert_nt(LsaEnumerateLogonSessions(&count, &list), STATUS_SUCCESS);
    ck_assert_uint_eq(count, 4 + 1 + 6);
    ck_assert(luid_eq(list[4], own_logon_id()));
    for (int i = 0; i < 6; i++)
        ck_assert(luid_eq(list[5 + i], logon_id_of(tokens[i])));
    ck_assert_nt(LsaFreeReturnBuffer(list), STATUS_SUCCESS);
    LUID first = logon_id_of(tokens[0]);
    ck_assert(CloseHandle(tokens[0])); /* begun on another thread, ended on this one */
    ck_assert(!listed(first));
    for (int i = 1; i < 6; i++)
        ck_assert(CloseHandle(tokens[i]));
    ck_assert_nt(LsaEnumerateLogonSessions(&count, &list), STATUS_SUCCESS);
    ck_assert_uint_eq(count, 5);
    ck_assert_nt(LsaFreeReturnBuffer(list), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

/* MSV1_0_INTERACTIVE_LOGON with its strings after it, as MSDN requires. */
struct submission {
    MSV1_0_INTERACTIVE_LOGON logon;
    WCHAR text[64];
};

static void put(struct submission *s, size_t *at, UNICODE_STRING *field, const WCHAR *text)
{
    size_t n = wlen(text);
    memcpy(s->text + *at, text, n * 2);
    field->Buffer = s->text + *at;
    field->Length = field->MaximumLength = (USHORT)(n * 2);
    *at += n;
}

START_TEST(an_msv1_0_logon_is_an_ntlm_session_with_the_logon_id_lsa_logon_user_gave)
{
    ck_assert_int_eq(fakesspi_set_process_user("alice"), 0);
    HANDLE lsa;
    ck_assert_nt(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    struct submission s;
    memset(&s, 0, sizeof s);
    s.logon.MessageType = MsV1_0InteractiveLogon;
    size_t at = 0;
    put(&s, &at, &s.logon.LogonDomainName, u"EXAMPLE");
    put(&s, &at, &s.logon.UserName, u"alice");
    put(&s, &at, &s.logon.Password, u"Passw0rd!");
    char origin_text[] = "test_lsa_sessions";
    LSA_STRING origin = {(USHORT)strlen(origin_text), (USHORT)sizeof origin_text, origin_text};
    TOKEN_SOURCE src = {{'U', 's', 'e', 'r', '3', '2', ' ', ' '}, {0x1234, 0x5}};
    PVOID profile;
    ULONG profile_length;
    LUID id;
    HANDLE token;
    QUOTA_LIMITS quotas;
    NTSTATUS sub;
    ck_assert_nt(LsaLogonUser(lsa, &origin, Network, 2 /* MSV1_0 */, &s, sizeof s, NULL, &src, &profile,
                              &profile_length, &id, &token, &quotas, &sub),
                 STATUS_SUCCESS);
    PSECURITY_LOGON_SESSION_DATA d = session_data(id);
    ck_assert_str_eq(narrow(&d->AuthenticationPackage), "NTLM");
    ck_assert_uint_eq(d->LogonType, Network);
    ck_assert_str_eq(narrow(&d->UserName), "alice");
    ck_assert_nt(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    ck_assert(CloseHandle(token));
    ck_assert(!listed(id));
    ck_assert_nt(LsaFreeReturnBuffer(profile), STATUS_SUCCESS);
    ck_assert_nt(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(an_unknown_logon_id_is_no_such_logon_session)
{
    static const LUID unknown[] = {{0x12345678, 0x7}, {0, 0}, {0x3e3, 0} /* IUSR's: not a session here */};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        LUID id = unknown[i];
        PSECURITY_LOGON_SESSION_DATA d;
        SENTINEL(d);
        ck_assert_nt(LsaGetLogonSessionData(&id, &d), STATUS_NO_SUCH_LOGON_SESSION);
        ck_assert_untouched(d);
    }
}
END_TEST

START_TEST(no_place_for_the_answer_or_no_logon_id_is_invalid_parameter)
{
    ULONG count;
    PLUID list;
    SENTINEL(count);
    SENTINEL(list);
    ck_assert_nt(LsaEnumerateLogonSessions(NULL, &list), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaEnumerateLogonSessions(&count, NULL), STATUS_INVALID_PARAMETER);
    ck_assert_untouched(count);
    ck_assert_untouched(list);
    LUID id = own_logon_id();
    PSECURITY_LOGON_SESSION_DATA d;
    SENTINEL(d);
    ck_assert_nt(LsaGetLogonSessionData(NULL, &d), STATUS_INVALID_PARAMETER);
    ck_assert_untouched(d);
    ck_assert_nt(LsaGetLogonSessionData(&id, NULL), STATUS_INVALID_PARAMETER);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(a_user_may_not_read_another_users_session)
{
    ck_assert_int_eq(fakesspi_set_process_user("alice"), 0);
    HANDLE bob;
    ck_assert(LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_INTERACTIVE, LOGON32_PROVIDER_DEFAULT, &bob));
    LUID ids[] = {logon_id_of(bob), SYSTEM_LUID, NETWORKSERVICE_LUID};
    for (int i = 0; i < 3; i++) {
        PSECURITY_LOGON_SESSION_DATA d;
        SENTINEL(d);
        ck_assert_nt(LsaGetLogonSessionData(&ids[i], &d), STATUS_ACCESS_DENIED);
        ck_assert_untouched(d);
    }
    /* Another session of alice's own is hers to read. */
    HANDLE alice;
    ck_assert(LogonUserA("alice", "EXAMPLE", "Passw0rd!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &alice));
    ck_assert_nt(LsaFreeReturnBuffer(session_data(logon_id_of(alice))), STATUS_SUCCESS);
    /* Impersonating bob, the thread reads bob's. */
    ck_assert(ImpersonateLoggedOnUser(bob));
    ck_assert_nt(LsaFreeReturnBuffer(session_data(ids[0])), STATUS_SUCCESS);
    ck_assert(RevertToSelf());
    ck_assert(CloseHandle(alice));
    ck_assert(CloseHandle(bob));
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(an_administrator_reads_the_well_known_sessions_as_windows_fills_them)
{
    ck_assert_int_eq(fakesspi_set_process_user("Administrator"), 0);
    static const struct {
        LUID id;
        const char *user, *domain, *package, *sid, *dns;
        ULONG type;
    } want[] = {
        {SYSTEM_LUID, "SERVER$", "EXAMPLE", "Negotiate", "S-1-5-18", "example.test", UndefinedLogonType},
        {ANONYMOUS_LOGON_LUID, "ANONYMOUS LOGON", "NT AUTHORITY", "NTLM", "S-1-5-7", "", Network},
        {LOCALSERVICE_LUID, "LOCAL SERVICE", "NT AUTHORITY", "Negotiate", "S-1-5-19", "", Service},
        {NETWORKSERVICE_LUID, "SERVER$", "EXAMPLE", "Negotiate", "S-1-5-20", "example.test", Service},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        PSECURITY_LOGON_SESSION_DATA d = session_data(want[i].id);
        ck_assert_str_eq(narrow(&d->UserName), want[i].user);
        ck_assert_str_eq(narrow(&d->LogonDomain), want[i].domain);
        ck_assert_str_eq(narrow(&d->AuthenticationPackage), want[i].package);
        ck_assert_str_eq(sid_text(d->Sid), want[i].sid);
        ck_assert_str_eq(narrow(&d->DnsDomainName), want[i].dns);
        ck_assert_uint_eq(d->LogonType, want[i].type);
        ck_assert_uint_eq(d->Session, 0);
        ck_assert_int_eq(d->LogonTime.QuadPart, 133801632000000000LL); /* "boot": the fixed clock's start */
        ck_assert_str_eq(narrow(&d->LogonServer), "");
        ck_assert_str_eq(narrow(&d->Upn), "");
        ck_assert_int_eq(d->LogoffTime.QuadPart, 0);
        ck_assert_int_eq(d->PasswordMustChange.QuadPart, 0);
        ck_assert_nt(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    }
    /* And another user's. */
    HANDLE bob;
    ck_assert(LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_INTERACTIVE, LOGON32_PROVIDER_DEFAULT, &bob));
    PSECURITY_LOGON_SESSION_DATA d = session_data(logon_id_of(bob));
    ck_assert_str_eq(narrow(&d->UserName), "bob");
    ck_assert_nt(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    ck_assert(CloseHandle(bob));
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(answers_left_unfreed_are_leaks_and_freed_with_lsa_free_memory_wrong_frees)
{
    ULONG count;
    PLUID list;
    ck_assert_nt(LsaEnumerateLogonSessions(&count, &list), STATUS_SUCCESS);
    PSECURITY_LOGON_SESSION_DATA d = session_data(own_logon_id());
    ck_assert_uint_eq(fakesspi_check_leaks(), 2);
    ck_assert_nt(LsaFreeMemory(list), STATUS_SUCCESS); /* freed all the same, as one heap would */
    ck_assert_misuse(WRONG_FREE, 1);
    ck_assert_nt(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeReturnBuffer(d), STATUS_INVALID_HANDLE);
    ck_assert_misuse(DOUBLE_FREE, 1);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

/* The older and newer lookups. */

static LSA_HANDLE open_policy(ACCESS_MASK access)
{
    LSA_OBJECT_ATTRIBUTES attributes;
    memset(&attributes, 0, sizeof attributes);
    LSA_HANDLE h = NULL;
    ck_assert_nt(LsaOpenPolicy(NULL, &attributes, access, &h), STATUS_SUCCESS);
    return h;
}

START_TEST(lsa_lookup_names_gives_each_rid_and_its_domain)
{
    LSA_HANDLE h = open_policy(POLICY_LOOKUP_NAMES);
    LSA_UNICODE_STRING names[] = {lsa_wide(u"alice"), lsa_wide(u"Everyone"), lsa_wide(u"BUILTIN\\Users"),
                                  lsa_wide(u"nobody"), lsa_wide(u"EXAMPLE"), lsa_wide(u"SYSTEM")};
    PLSA_REFERENCED_DOMAIN_LIST domains = NULL;
    PLSA_TRANSLATED_SID sids = NULL;
    ck_assert_nt(LsaLookupNames(h, 6, names, &domains, &sids), STATUS_SOME_NOT_MAPPED);
    static const struct {
        SID_NAME_USE use;
        ULONG rid;
        const char *domain, *domain_sid; /* NULL: none */
    } want[] = {
        {SidTypeUser, 1104, "EXAMPLE", DOMAIN_SID},
        {SidTypeWellKnownGroup, 0, "", "S-1-1"},
        {SidTypeAlias, 545, "BUILTIN", "S-1-5-32"},
        {SidTypeUnknown, 0, NULL, NULL},
        {SidTypeDomain, 0xFFFFFFFF, "EXAMPLE", DOMAIN_SID},
        {SidTypeWellKnownGroup, 18, "NT AUTHORITY", "S-1-5"},
    };
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(sids[i].Use, want[i].use);
        ck_assert_uint_eq(sids[i].RelativeId, want[i].rid);
        if (!want[i].domain) {
            ck_assert_int_eq(sids[i].DomainIndex, -1);
            continue;
        }
        ck_assert_int_ge(sids[i].DomainIndex, 0);
        ck_assert_int_lt(sids[i].DomainIndex, (LONG)domains->Entries);
        const LSA_TRUST_INFORMATION *d = &domains->Domains[sids[i].DomainIndex];
        ck_assert_str_eq(narrow(&d->Name), want[i].domain);
        ck_assert_str_eq(sid_text(d->Sid), want[i].domain_sid);
    }
    ck_assert_uint_eq(domains->Entries, 4); /* EXAMPLE once for alice and the domain itself */
    ck_assert_nt(LsaFreeMemory(sids), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);

    ck_assert_nt(LsaLookupNames(h, 1, &names[0], &domains, &sids), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(sids), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    ck_assert_nt(LsaLookupNames(h, 1, &names[3], &domains, &sids), STATUS_NONE_MAPPED);
    ck_assert_int_eq(sids[0].Use, SidTypeUnknown);
    ck_assert_uint_eq(domains->Entries, 0);
    ck_assert_nt(LsaFreeMemory(sids), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

START_TEST(lsa_lookup_names_needs_policy_lookup_names_and_sane_arguments)
{
    LSA_UNICODE_STRING name = lsa_wide(u"alice");
    PLSA_REFERENCED_DOMAIN_LIST domains = (PLSA_REFERENCED_DOMAIN_LIST)0xdeadbeef;
    PLSA_TRANSLATED_SID sids = (PLSA_TRANSLATED_SID)0xdeadbeef;
    LSA_HANDLE h = open_policy(POLICY_VIEW_LOCAL_INFORMATION);
    ck_assert_nt(LsaLookupNames(h, 1, &name, &domains, &sids), STATUS_ACCESS_DENIED);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    h = open_policy(POLICY_LOOKUP_NAMES);
    ck_assert_nt(LsaLookupNames(h, 0, &name, &domains, &sids), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaLookupNames(h, 1001, &name, &domains, &sids), STATUS_TOO_MANY_NAMES);
    ck_assert_nt(LsaLookupNames(h, 1, NULL, &domains, &sids), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaLookupNames(h, 1, &name, NULL, &sids), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaLookupNames(h, 1, &name, &domains, NULL), STATUS_INVALID_PARAMETER);
    ck_assert_ptr_eq(domains, (PLSA_REFERENCED_DOMAIN_LIST)0xdeadbeef);
    ck_assert_ptr_eq(sids, (PLSA_TRANSLATED_SID)0xdeadbeef);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    ck_assert_nt(LsaLookupNames(h, 1, &name, &domains, &sids), STATUS_INVALID_HANDLE);
    ck_assert_misuse(USE_AFTER_CLOSE, 1);
}
END_TEST

START_TEST(lsa_lookup_sids2_answers_as_lsa_lookup_sids_whatever_the_options)
{
    LSA_HANDLE h = open_policy(POLICY_LOOKUP_NAMES);
    static const char *const text[] = {ALICE_SID, "S-1-5-18", DOMAIN_SID "-4242", "S-1-5-21-1-2-3-500"};
    PSID in[4];
    for (int i = 0; i < 4; i++)
        ck_assert(ConvertStringSidToSidA(text[i], &in[i]));
    static const ULONG options[] = {0, LSA_LOOKUP_PREFER_INTERNET_NAMES, LSA_LOOKUP_DISALLOW_CONNECTED_ACCOUNT_INTERNET_SID,
                                    LSA_LOOKUP_PREFER_INTERNET_NAMES | LSA_LOOKUP_DISALLOW_CONNECTED_ACCOUNT_INTERNET_SID};
    static const struct {
        const char *name, *domain; /* domain NULL: none */
        SID_NAME_USE use;
    } want[] = {{"alice", "EXAMPLE", SidTypeUser},
                {"SYSTEM", "NT AUTHORITY", SidTypeWellKnownGroup},
                {"4242", "EXAMPLE", SidTypeUnknown},
                {"S-1-5-21-1-2-3-500", NULL, SidTypeUnknown}};
    for (size_t k = 0; k < sizeof options / sizeof options[0]; k++) {
        PLSA_REFERENCED_DOMAIN_LIST domains = NULL;
        PLSA_TRANSLATED_NAME names = NULL;
        ck_assert_nt(LsaLookupSids2(h, options[k], 4, in, &domains, &names), STATUS_SOME_NOT_MAPPED);
        for (int i = 0; i < 4; i++) {
            ck_assert_str_eq(narrow(&names[i].Name), want[i].name);
            ck_assert_int_eq(names[i].Use, want[i].use);
            if (want[i].domain)
                ck_assert_str_eq(narrow(&domains->Domains[names[i].DomainIndex].Name), want[i].domain);
            else
                ck_assert_int_eq(names[i].DomainIndex, -1);
        }
        ck_assert_nt(LsaFreeMemory(names), STATUS_SUCCESS);
        ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    }
    PLSA_REFERENCED_DOMAIN_LIST domains = NULL;
    PLSA_TRANSLATED_NAME names = NULL;
    ck_assert_nt(LsaLookupSids2(h, 0, 1, &in[0], &domains, &names), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(names), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    ck_assert_nt(LsaLookupSids2(h, 0, 1, &in[3], &domains, &names), STATUS_NONE_MAPPED);
    ck_assert_nt(LsaFreeMemory(names), STATUS_SUCCESS);
    ck_assert_nt(LsaFreeMemory(domains), STATUS_SUCCESS);
    /* Bad input as LsaLookupSids has it. */
    domains = (PLSA_REFERENCED_DOMAIN_LIST)0xdeadbeef;
    names = (PLSA_TRANSLATED_NAME)0xdeadbeef;
    ck_assert_nt(LsaLookupSids2(h, 0, 0, in, &domains, &names), STATUS_INVALID_PARAMETER);
    ck_assert_nt(LsaLookupSids2(h, 0, 1, in, NULL, &names), STATUS_INVALID_PARAMETER);
    PSID broken[1] = {NULL};
    ck_assert_nt(LsaLookupSids2(h, 0, 1, broken, &domains, &names), STATUS_INVALID_PARAMETER);
    BYTE garbage[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    broken[0] = garbage;
    ck_assert_nt(LsaLookupSids2(h, 0, 1, broken, &domains, &names), STATUS_INVALID_SID);
    ck_assert_ptr_eq(domains, (PLSA_REFERENCED_DOMAIN_LIST)0xdeadbeef);
    ck_assert_ptr_eq(names, (PLSA_TRANSLATED_NAME)0xdeadbeef);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    h = open_policy(POLICY_VIEW_LOCAL_INFORMATION);
    ck_assert_nt(LsaLookupSids2(h, 0, 1, in, &domains, &names), STATUS_ACCESS_DENIED);
    ck_assert_nt(LsaClose(h), STATUS_SUCCESS);
    for (int i = 0; i < 4; i++)
        LocalFree(in[i]);
    ck_assert_uint_eq(fakesspi_check_leaks(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/lsa_sessions");
    TCase *tc = test_case("lsa_sessions");
    tcase_add_test(tc, the_well_known_sessions_come_first_then_the_process_own);
    tcase_add_test(tc, the_process_session_tells_who_logged_on_how_and_when);
    tcase_add_test(tc, a_logon_begins_a_session_that_lasts_while_a_token_of_it_does);
    tcase_add_test(tc, sessions_of_every_thread_are_listed_in_the_order_they_began);
    tcase_add_test(tc, an_msv1_0_logon_is_an_ntlm_session_with_the_logon_id_lsa_logon_user_gave);
    tcase_add_test(tc, an_unknown_logon_id_is_no_such_logon_session);
    tcase_add_test(tc, no_place_for_the_answer_or_no_logon_id_is_invalid_parameter);
    tcase_add_test(tc, a_user_may_not_read_another_users_session);
    tcase_add_test(tc, an_administrator_reads_the_well_known_sessions_as_windows_fills_them);
    tcase_add_test(tc, answers_left_unfreed_are_leaks_and_freed_with_lsa_free_memory_wrong_frees);
    tcase_add_test(tc, lsa_lookup_names_gives_each_rid_and_its_domain);
    tcase_add_test(tc, lsa_lookup_names_needs_policy_lookup_names_and_sane_arguments);
    tcase_add_test(tc, lsa_lookup_sids2_answers_as_lsa_lookup_sids_whatever_the_options);
    suite_add_tcase(s, tc);
    return test_run(s);
}
