/* Secrets do not outlive their owners: when the contexts and credentials of an exchange are deleted,
 * no block handed back to the allocator still holds the password's NT hash, the session key, or the
 * signing and sealing keys derived from it.
 *
 * This program replaces free() and realloc() (glibc lets an executable interpose them) with versions
 * that look through each block on its way back to the allocator. Under ASan or TSan, which own the
 * allocator, or valgrind, which replaces free() behind the program's back, that cannot work: the program
 * then reports SKIP (exit 77) instead of passing vacuously. */
#include <malloc.h>

#include "packages/ntlm/ntlm_crypto.h"
#include "security/nt_hash.h"
#include "packages/ntlm/ntlm_messages.h"
#include "packages/kerberos/krb_ticket_cache.h"
#include "security/domain_current.h"
#include "sspi/sspitest.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define FS_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(FS_UNDER_SANITIZER)
#define INTERPOSE 0
#else
#define INTERPOSE 1
extern void __libc_free(void *);
extern void *__libc_malloc(size_t);
#endif
#if !INTERPOSE /* the tests below are built but not run under a sanitizer (main() reports SKIP) */
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-variable"
#endif

#if INTERPOSE
enum { NSECRETS = 7 };
static unsigned char secrets[NSECRETS][16];
static const char *const secret_names[NSECRETS] = {"NT hash",       "session key",        "client sign key",
                                                   "server sign key", "client seal key", "server seal key",
                                                   "LM hash"};
static size_t secret_len[NSECRETS] = {16, 16, 16, 16, 16, 16, 16};
static int armed;
static size_t scanned;
static int found[NSECRETS];

static void scan(void *p, size_t n)
{
    if (!armed || !p)
        return;
    scanned++;
    for (int i = 0; i < NSECRETS; i++)
        if (memmem(p, n, secrets[i], secret_len[i]))
            found[i]++;
}

void free(void *p)
{
    if (p)
        scan(p, malloc_usable_size(p));
    __libc_free(p);
}

/* Under valgrind our free() is bypassed and the stack below the stack pointer is neither mapped on demand
 * nor defined, so neither scan can run there: a probe block tells which world this is. */
static int free_is_interposed(void)
{
    size_t before = scanned;
    armed = 1;
    void *volatile probe = __libc_malloc(32);
    free(probe);
    armed = 0;
    int interposed = scanned != before;
    scanned = before;
    memset(found, 0, sizeof found); /* the probe's bytes are no finding */
    return interposed;
}

/* Moving a block leaves the old copy behind: model every realloc as a move, so that copy is seen. */
void *realloc(void *p, size_t n)
{
    if (!p)
        return __libc_malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    void *q = __libc_malloc(n);
    if (!q)
        return NULL;
    size_t old = malloc_usable_size(p);
    memcpy(q, p, old < n ? old : n);
    free(p);
    return q;
}

START_TEST(deleted_contexts_and_credentials_leave_no_key_behind)
{
    /* The scanner itself must see a secret in a freed block, or the test proves nothing. */
    memset(secrets, 0xA5, sizeof secrets);
    /* Through volatile pointers, so that the compiler cannot drop the allocation as unused. */
    void *(*volatile allocate)(size_t) = malloc;
    void (*volatile release)(void *) = free;
    unsigned char *probe = allocate(64);
    memcpy(probe + 20, secrets[0], 16);
    armed = 1;
    release(probe);
    armed = 0;
    ck_assert_msg(scanned > 0, "no freed block was scanned: the check would prove nothing");
    ck_assert_int_eq(found[0], 1);
    memset(found, 0, sizeof found);
    scanned = 0;

    struct pair p;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_handshake(&p, ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY,
                                        ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY, NULL), SEC_E_OK);
    /* Use the keys once, so that every derived state exists. */
    char text[] = "some data";
    unsigned char trailer[16];
    SecBuffer b[2] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {sizeof text, SECBUFFER_DATA, text}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(&p.client, 0, &d, 0), SEC_E_OK);
    ck_assert_sec_status(DecryptMessage(&p.server, &d, 0, NULL), SEC_E_OK);

    ck_assert_int_eq(fs_nt_hash("Passw0rd!", secrets[0]), FS_OK);
    SecPkgContext_SessionKey key;
    ck_assert_sec_status(QueryContextAttributesA(&p.server, SECPKG_ATTR_SESSION_KEY, &key), SEC_E_OK);
    ck_assert_uint_eq(key.SessionKeyLength, 16);
    memcpy(secrets[1], key.SessionKey, 16);
    FreeContextBuffer(key.SessionKey); /* handed to the caller: the caller's to wipe, as on Windows */
    ntlm_sign_key(secrets[1], 1, secrets[2]);
    ntlm_sign_key(secrets[1], 0, secrets[3]);
    ntlm_seal_key(secrets[1], NTLMSSP_NEGOTIATE_128, 1, secrets[4]);
    ntlm_seal_key(secrets[1], NTLMSSP_NEGOTIATE_128, 0, secrets[5]);
    ck_assert_int_eq(fs_lm_hash("Passw0rd!", secrets[6]), 0); /* every credential keeps it (doc/semantics.md §61) */

    armed = 1;
    pair_free(&p);
    armed = 0;
    ck_assert_msg(scanned > 0, "deleting the contexts and credentials freed nothing");
    for (int i = 0; i < NSECRETS; i++)
        ck_assert_msg(found[i] == 0, "the %s was still in %d freed block(s)", secret_names[i], found[i]);
    printf("key wipe: %zu freed blocks checked for %d secrets\n", scanned, NSECRETS);
}
END_TEST

/* Kerberos: the subkeys both sides protect messages with, and, once fakesspi_reset() empties the key
 * cache, the service's password that the cache kept to recognise its entries. */
START_TEST(kerberos_subkeys_and_the_key_cache_leave_nothing_behind)
{
    CredHandle cc, sc;
    CtxtHandle client, server;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc,
                                                   NULL), SEC_E_OK);
    ck_assert_sec_status(acquire_service_credential("Kerberos", &sc), SEC_E_OK);
    unsigned char req[4096], rep[4096], none[16];
    ULONG attrs;
    SecBuffer o1 = {sizeof req, SECBUFFER_TOKEN, req}, o2 = {sizeof rep, SECBUFFER_TOKEN, rep}, o3 = {16, SECBUFFER_TOKEN, none};
    SecBufferDesc d1 = {SECBUFFER_VERSION, 1, &o1}, d2 = {SECBUFFER_VERSION, 1, &o2}, d3 = {SECBUFFER_VERSION, 1, &o3};
    ULONG isc = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY;
    ck_assert_sec_status(InitializeSecurityContextA(&cc, NULL, "HTTP/server.example.test", isc, 0, 0, NULL, 0, &client,
                                                    &d1, &attrs, NULL), SEC_I_CONTINUE_NEEDED);
    SecBuffer i1 = {o1.cbBuffer, SECBUFFER_TOKEN, req}, i2;
    SecBufferDesc id1 = {SECBUFFER_VERSION, 1, &i1}, id2 = {SECBUFFER_VERSION, 1, &i2};
    ck_assert_sec_status(AcceptSecurityContext(&sc, NULL, &id1, 0, 0, &server, &d2, &attrs, NULL), SEC_E_OK);
    i2 = (SecBuffer){o2.cbBuffer, SECBUFFER_TOKEN, rep};
    ck_assert_sec_status(InitializeSecurityContextA(&cc, &client, "HTTP/server.example.test", isc, 0, 0, &id2, 0,
                                                    &client, &d3, &attrs, NULL),
                         SEC_E_OK);
    char text[] = "some data";
    unsigned char trailer[60];
    SecBuffer b[2] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {sizeof text, SECBUFFER_DATA, text}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(&client, 0, &d, 0), SEC_E_OK);
    ck_assert_sec_status(DecryptMessage(&server, &d, 0, NULL), SEC_E_OK);
    SecPkgContext_SessionKey key;
    ck_assert_sec_status(QueryContextAttributesA(&server, SECPKG_ATTR_SESSION_KEY, &key), SEC_E_OK);
    ck_assert_uint_eq(key.SessionKeyLength, 32);
    memset(secrets, 0x5A, sizeof secrets); /* slots without a secret of their own hold a pattern */
    memcpy(secrets[0], key.SessionKey, 16);
    memcpy(secrets[1], key.SessionKey + 16, 16);
    FreeContextBuffer(key.SessionKey);
    memcpy(secrets[2], "S3rv1ce!pass", 12); /* the service's password, as the cache copied it */
    secret_len[2] = 12;
    memset(found, 0, sizeof found);
    scanned = 0;
    armed = 1;
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    fakesspi_reset();
    armed = 0;
    ck_assert_msg(scanned > 0, "no freed block was scanned: the check would prove nothing");
    ck_assert_msg(found[0] == 0 && found[1] == 0, "the acceptor's subkey was still in %d freed block(s)",
                  found[0] + found[1]);
    ck_assert_msg(found[2] == 0, "the service's password was still in %d freed block(s)", found[2]);
    printf("key wipe (Kerberos): %zu freed blocks checked\n", scanned);
}
END_TEST
static int copy_session_key(const struct krb_ticket_cache_entry *e, void *arg)
{
    ck_assert_uint_eq(e->ticket->session_key.len, 32);
    memcpy(arg, e->ticket->session_key.bytes, 32);
    return 1;
}

/* One first leg without mutual authentication: the ticket for spn is made (or reused) and kept. */
static void kerberos_first_leg(CredHandle *cc, const char *spn)
{
    unsigned char req[4096];
    ULONG attrs;
    CtxtHandle client;
    SecBuffer o = {sizeof req, SECBUFFER_TOKEN, req};
    SecBufferDesc d = {SECBUFFER_VERSION, 1, &o};
    ck_assert_sec_status(InitializeSecurityContextA(cc, NULL, (SEC_CHAR *)spn, 0, 0, 0, NULL, 0, &client, &d, &attrs,
                                                    NULL), SEC_E_OK);
    DeleteSecurityContext(&client);
}

/* Arms the scanner for the session key of the one ticket the cache holds. */
static void watch_the_cached_session_key(void)
{
    unsigned char key[32];
    ck_assert_uint_eq(krb_ticket_cache_enumerate(0, 1, copy_session_key, key), 1);
    memset(secrets, 0x5A, sizeof secrets);
    memcpy(secrets[0], key, 16);
    memcpy(secrets[1], key + 16, 16);
    explicit_bzero(key, sizeof key);
    memset(found, 0, sizeof found);
    scanned = 0;
}

static void assert_the_session_key_is_gone(const char *when)
{
    ck_assert_msg(scanned > 0, "%s: no freed block was scanned: the check would prove nothing", when);
    ck_assert_msg(found[0] == 0 && found[1] == 0, "%s: the forgotten ticket's session key was still in %d freed block(s)",
                  when, found[0] + found[1]);
}

/* The client's ticket cache (doc/semantics.md §49): a ticket it forgets, at its bound or at a reset, leaves its
 * session key in no freed block. */
START_TEST(a_forgotten_service_ticket_leaves_its_session_key_nowhere)
{
    krb_ticket_cache_set_limit(1);
    CredHandle cc;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc,
                                                   NULL), SEC_E_OK);
    kerberos_first_leg(&cc, "HTTP/server.example.test");
    watch_the_cached_session_key();
    armed = 1;
    kerberos_first_leg(&cc, "host/server.example.test"); /* at the bound of one, the HTTP/ ticket goes */
    armed = 0;
    ck_assert_uint_eq(krb_ticket_cache_count(), 1);
    assert_the_session_key_is_gone("evicted");

    watch_the_cached_session_key(); /* the host/ ticket's */
    FreeCredentialsHandle(&cc);
    armed = 1;
    fakesspi_reset();
    armed = 0;
    ck_assert_uint_eq(krb_ticket_cache_count(), 0);
    assert_the_session_key_is_gone("reset");
}
END_TEST
#endif /* INTERPOSE */

/* The users array grew by realloc, so fakesspi_reset() freed old copies of it with the NT hashes inside. Hashes are
 * now made at an account's first use, so none of these was made: the next test makes one and follows it. */
START_TEST(a_reset_leaves_no_nt_hash_in_freed_memory)
{
#if !INTERPOSE
    printf("key wipe: not checked under a sanitizer, which owns the allocator\n");
    return;
#else
    char name[32], password[32];
    for (int i = 0; i < 100; i++) { /* the array grows several times */
        snprintf(name, sizeof name, "grower%d", i);
        snprintf(password, sizeof password, "Gr0w!%d-secret", i);
        ck_assert_int_eq(fakesspi_add_user(name, (DWORD)(5000 + i), password, NULL), 0);
    }
    memset(secrets, 0x5A, sizeof secrets);
    ck_assert_int_eq(fs_nt_hash("Gr0w!0-secret", secrets[0]), FS_OK);
    ck_assert_int_eq(fs_nt_hash("Passw0rd!", secrets[1]), FS_OK);
    memset(found, 0, sizeof found);
    scanned = 0;
    armed = 1;
    fakesspi_reset();
    armed = 0;
    ck_assert_msg(scanned > 0, "no freed block was scanned: the check would prove nothing");
    ck_assert_msg(found[0] == 0, "grower0's NT hash was still in %d freed block(s)", found[0]);
    ck_assert_msg(found[1] == 0, "alice's NT hash was still in %d freed block(s)", found[1]);
#endif
}
END_TEST

/* An NT hash is made at the account's first use (fs_domain_user_nt_hash): the one an NTLM logon made must be
 * wiped when the users array grows past it and when fakesspi_reset() frees the domain. */
START_TEST(a_lazily_made_nt_hash_is_wiped_when_moved_and_at_reset)
{
#if !INTERPOSE
    printf("key wipe: not checked under a sanitizer, which owns the allocator\n");
    return;
#else
    ck_assert_int_eq(fakesspi_add_user("lazy", 6000, "L4zy!-secret", NULL), 0);
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = fs_domain_find_user(d, "lazy");
    ck_assert_ptr_nonnull(u);
    ck_assert_int_eq(d->nt_hashes[u - d->users].state, FS_NT_HASH_UNMADE); /* not made by adding the user */
    fs_domain_release();
    struct pair p;
    pair_credentials(&p, "lazy", "L4zy!-secret");
    ck_assert_sec_status(pair_handshake(&p, 0, 0, NULL), SEC_E_OK);
    pair_free(&p);
    d = fs_domain_acquire();
    u = fs_domain_find_user(d, "lazy");
    ck_assert_int_eq(d->nt_hashes[u - d->users].state, FS_NT_HASH_MADE); /* the server's check made it */
    fs_domain_release();

    memset(secrets, 0x5A, sizeof secrets);
    ck_assert_int_eq(fs_nt_hash("L4zy!-secret", secrets[0]), FS_OK);
    memset(found, 0, sizeof found);
    scanned = 0;
    char name[32];
    armed = 1;
    for (int i = 0; i < 100; i++) { /* the arrays grow several times, moving the made hash */
        snprintf(name, sizeof name, "later%d", i);
        ck_assert_int_eq(fakesspi_add_user(name, (DWORD)(6100 + i), "Later!", NULL), 0);
    }
    armed = 0;
    ck_assert_msg(scanned > 0, "growing the users freed nothing: the check would prove nothing");
    ck_assert_msg(found[0] == 0, "lazy's NT hash stayed in %d block(s) freed by growing", found[0]);
    d = fs_domain_acquire();
    u = fs_domain_find_user(d, "lazy");
    ck_assert_int_eq(d->nt_hashes[u - d->users].state, FS_NT_HASH_MADE); /* moved, not lost */
    ck_assert(!memcmp(d->nt_hashes[u - d->users].bytes, secrets[0], 16));
    fs_domain_release();
    scanned = 0;
    armed = 1;
    fakesspi_reset();
    armed = 0;
    ck_assert_msg(scanned > 0, "no freed block was scanned: the check would prove nothing");
    ck_assert_msg(found[0] == 0, "lazy's NT hash was still in %d freed block(s) after the reset", found[0]);
#endif
}
END_TEST

#if INTERPOSE
/* The stack below the caller, where the library's frames were: no NT hash may stay there either. */
static __attribute__((noinline)) int stack_holds(const unsigned char *secret, size_t len)
{
    uintptr_t top = (uintptr_t)__builtin_frame_address(0);
    const unsigned char *bottom = (const unsigned char *)(top - 48 * 1024); /* within the stack's pages */
    for (size_t i = 0; i + len <= 48 * 1024 - 256; i++) /* by hand: memmem's own frame is down there */
        if (bottom[i] == secret[0] && !memcmp(bottom + i, secret, len))
            return 1;
    return 0;
}

static __attribute__((noinline)) void kerberos_logon(void)
{
    CredHandle cc, sc;
    CtxtHandle client, server;
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("alice", "EXAMPLE", "Passw0rd!");
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc,
                                               NULL), SEC_E_OK);
    ck_assert_sec_status(acquire_service_credential("Kerberos", &sc), SEC_E_OK);
    unsigned char req[4096], rep[4096];
    ULONG attrs;
    SecBuffer o1 = {sizeof req, SECBUFFER_TOKEN, req}, o2 = {sizeof rep, SECBUFFER_TOKEN, rep};
    SecBufferDesc d1 = {SECBUFFER_VERSION, 1, &o1}, d2 = {SECBUFFER_VERSION, 1, &o2};
    ck_assert_sec_status(InitializeSecurityContextA(&cc, NULL, "HTTP/server.example.test", 0, 0, 0, NULL, 0, &client,
                                                &d1, &attrs, NULL), SEC_E_OK);
    SecBuffer i1 = {o1.cbBuffer, SECBUFFER_TOKEN, req};
    SecBufferDesc id1 = {SECBUFFER_VERSION, 1, &i1};
    ck_assert_sec_status(AcceptSecurityContext(&sc, NULL, &id1, 0, 0, &server, &d2, &attrs, NULL), SEC_E_OK);
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}
#endif

START_TEST(a_kerberos_logon_leaves_no_nt_hash_on_the_stack)
{
#if !INTERPOSE
    printf("key wipe: not checked under a sanitizer, which owns the stack's shadow\n");
    return;
#else
    unsigned char hash[16];
    ck_assert_int_eq(fs_nt_hash("Passw0rd!", hash), FS_OK);
    ck_assert(!stack_holds(hash, sizeof hash));
    kerberos_logon();
    unsigned char probe_hash[16];
    memcpy(probe_hash, hash, 16);
    explicit_bzero(hash, sizeof hash); /* the test's own copy is not the library's */
    ck_assert_msg(!stack_holds(probe_hash, sizeof probe_hash), "alice's NT hash was left on the stack");
#endif
}
END_TEST

int main(void)
{
#if !INTERPOSE
    printf("SKIP: key wipe is not checked under a sanitizer, which owns the allocator\n");
    return 77; /* automake's test driver reads 77 as SKIP */
#else
    if (!free_is_interposed()) { /* valgrind: it replaces free(), and the stack below sp is not readable */
        printf("SKIP: key wipe is not checked where free() is not ours to interpose (valgrind)\n");
        return 77;
    }
    Suite *s = suite_create("sspi/key_wipe");
    TCase *tc = test_case("wipe");
    tcase_add_test(tc, deleted_contexts_and_credentials_leave_no_key_behind);
    tcase_add_test(tc, kerberos_subkeys_and_the_key_cache_leave_nothing_behind);
    tcase_add_test(tc, a_forgotten_service_ticket_leaves_its_session_key_nowhere);
    tcase_add_test(tc, a_reset_leaves_no_nt_hash_in_freed_memory);
    tcase_add_test(tc, a_lazily_made_nt_hash_is_wiped_when_moved_and_at_reset);
    tcase_add_test(tc, a_kerberos_logon_leaves_no_nt_hash_on_the_stack);
    suite_add_tcase(s, tc);
    return test_run(s);
#endif
}
