/* bench/handshake: full in-process NTLM handshakes per second (credentials reused, both contexts
 * deleted each time), EncryptMessage+DecryptMessage and MakeSignature+VerifySignature pairs per
 * second, peak RSS. The same source builds against libfakesspi and, with -DBENCH_WINPR, WinPR.
 *   handshake [SECONDS_PER_ROW]   prints one line per measurement: name, rate, unit */
#ifdef BENCH_WINPR
#include <winpr/sspi.h>
#include <winpr/winpr.h>
#define IMPLEMENTATION "winpr"
#else
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <fakesspi.h>
#define IMPLEMENTATION "libfakesspi"
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static CredHandle client_cred, server_cred;
static const ULONG isc_req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION;
static const ULONG asc_req = ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION;

static void setup(void)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &client_cred, NULL) ||
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &server_cred, NULL)) {
        fprintf(stderr, "AcquireCredentialsHandle failed\n");
        exit(1);
    }
}

/* One handshake; leaves both contexts for the caller when keep is set. */
static int handshake(CtxtHandle *client, CtxtHandle *server, int keep)
{
    unsigned char c2s[4096], s2c[4096];
    SecBuffer oc = {sizeof c2s, SECBUFFER_TOKEN, c2s}, os = {sizeof s2c, SECBUFFER_TOKEN, s2c}, ic, is;
    SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
    SecBufferDesc icd = {SECBUFFER_VERSION, 1, &ic}, isd = {SECBUFFER_VERSION, 1, &is};
    ULONG attrs;
    TimeStamp ts;
    if (InitializeSecurityContextA(&client_cred, NULL, "HOST/server", isc_req, 0, SECURITY_NATIVE_DREP, NULL, 0,
                                   client, &ocd, &attrs, &ts) != SEC_I_CONTINUE_NEEDED)
        return 0;
    is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    if (AcceptSecurityContext(&server_cred, NULL, &isd, asc_req, SECURITY_NATIVE_DREP, server, &osd, &attrs, &ts) !=
        SEC_I_CONTINUE_NEEDED)
        return 0;
    ic = (SecBuffer){os.cbBuffer, SECBUFFER_TOKEN, s2c};
    oc.cbBuffer = sizeof c2s;
    if (InitializeSecurityContextA(&client_cred, client, "HOST/server", isc_req, 0, SECURITY_NATIVE_DREP, &icd, 0,
                                   client, &ocd, &attrs, &ts) != SEC_E_OK)
        return 0;
    is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    os.cbBuffer = sizeof s2c;
    SECURITY_STATUS st = AcceptSecurityContext(&server_cred, server, &isd, asc_req, SECURITY_NATIVE_DREP, server, &osd,
                                               &attrs, &ts);
    /* WinPR asks for CompleteAuthToken on the last leg (Windows' NTLM never does): doc/semantics.md §11. */
    if (st == SEC_I_COMPLETE_NEEDED)
        st = CompleteAuthToken(server, &osd);
    if (!keep || st != SEC_E_OK) {
        DeleteSecurityContext(client);
        DeleteSecurityContext(server);
    }
    return st == SEC_E_OK;
}

static double seconds_per_row = 2.0;

#ifndef BENCH_WINPR
/* Kerberos and Negotiate, which WinPR cannot run without a KDC: any number of legs, until both sides
 * say SEC_E_OK. Rows are named after the package and what it chose. */
struct package_bench {
    const char *name;     /* row prefix */
    const char *package;
    const char *target;
    ULONG isc_req;
    CredHandle client, server;
};

static int legs(struct package_bench *b, CtxtHandle *client, CtxtHandle *server, int keep)
{
    unsigned char c2s[8192], s2c[8192];
    SecBuffer oc, os, ic = {0, SECBUFFER_TOKEN, s2c}, is = {0, SECBUFFER_TOKEN, c2s};
    SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
    SecBufferDesc icd = {SECBUFFER_VERSION, 1, &ic}, isd = {SECBUFFER_VERSION, 1, &is};
    ULONG attrs;
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    int started_c = 0, started_s = 0;
    for (int leg = 0; leg < 6 && (cs != SEC_E_OK || ss != SEC_E_OK); leg++) {
        if (cs == SEC_I_CONTINUE_NEEDED) {
            oc = (SecBuffer){sizeof c2s, SECBUFFER_TOKEN, c2s};
            cs = InitializeSecurityContextA(&b->client, started_c ? client : NULL, (SEC_CHAR *)b->target, b->isc_req, 0,
                                            SECURITY_NATIVE_DREP, started_c ? &icd : NULL, 0, client, &ocd, &attrs,
                                            NULL);
            started_c = started_c || cs >= 0; /* a failed first leg makes no context */
            is.cbBuffer = oc.cbBuffer;
            if (cs < 0)
                break;
            if (!oc.cbBuffer && cs == SEC_E_OK)
                continue;
        }
        if (ss == SEC_I_CONTINUE_NEEDED) {
            os = (SecBuffer){sizeof s2c, SECBUFFER_TOKEN, s2c};
            ss = AcceptSecurityContext(&b->server, started_s ? server : NULL, &isd, ASC_REQ_CONFIDENTIALITY,
                                       SECURITY_NATIVE_DREP, server, &osd, &attrs, NULL);
            started_s = started_s || ss >= 0;
            ic.cbBuffer = os.cbBuffer;
            if (ss < 0)
                break;
            if (ss == SEC_E_OK && cs == SEC_E_OK)
                break;
        }
    }
    int ok = cs == SEC_E_OK && ss == SEC_E_OK;
    if (!keep || !ok) {
        if (started_c)
            DeleteSecurityContext(client);
        if (started_s)
            DeleteSecurityContext(server);
    }
    return ok;
}

static void package_rows(struct package_bench *b)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    /* The service runs as the account that owns the SPN: a Kerberos acceptor takes tickets for its own
     * account's SPNs only (doc/semantics.md §41). */
    SEC_WINNT_AUTH_IDENTITY_A service = {(unsigned char *)"svc_server", 10, (unsigned char *)"EXAMPLE", 7,
                                         (unsigned char *)"S3rv1ce!pass", 12, SEC_WINNT_AUTH_IDENTITY_ANSI};
    if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)b->package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                  &b->client, NULL) ||
        AcquireCredentialsHandleA(NULL, (SEC_CHAR *)b->package, SECPKG_CRED_INBOUND, NULL, &service, NULL, NULL,
                                  &b->server, NULL))
        exit(1);
    CtxtHandle c, s;
    long n = 0;
    double start = now(), end = start + seconds_per_row;
    while (now() < end)
        for (int i = 0; i < 20; i++, n++)
            if (!legs(b, &c, &s, 0)) {
                printf("%s %s_handshakes failed\n", IMPLEMENTATION, b->name);
                exit(1);
            }
    printf("%s %s_handshakes_1thread %.0f per_second\n", IMPLEMENTATION, b->name, (double)n / (now() - start));
    if (!legs(b, &c, &s, 1))
        exit(1);
    static const size_t sizes[] = {1024, 65536};
    unsigned char *data = malloc(65536), sig[64];
    memset(data, 'x', 65536);
    for (int seal = 1; seal >= 0; seal--)
        for (size_t k = 0; k < (seal ? 2u : 1u); k++) {
            size_t size = sizes[k];
            n = 0;
            start = now(), end = start + seconds_per_row;
            while (now() < end)
                for (int i = 0; i < 100; i++, n++) {
                    SecBuffer buf[2] = {{(ULONG)size, SECBUFFER_DATA, data}, {sizeof sig, SECBUFFER_TOKEN, sig}};
                    SecBufferDesc d = {SECBUFFER_VERSION, 2, buf};
                    ULONG qop;
                    if ((seal ? EncryptMessage(&c, 0, &d, 0) : MakeSignature(&c, 0, &d, 0)) != SEC_E_OK ||
                        (seal ? DecryptMessage(&s, &d, 0, &qop) : VerifySignature(&s, &d, 0, &qop)) != SEC_E_OK) {
                        printf("%s %s message protection failed\n", IMPLEMENTATION, b->name);
                        exit(1);
                    }
                }
            printf("%s %s_%s_%zuB %.0f pairs_per_second\n", IMPLEMENTATION, b->name, seal ? "seal+unseal" : "sign+verify",
                   size, (double)n / (now() - start));
        }
    free(data);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
    FreeCredentialsHandle(&b->client);
    FreeCredentialsHandle(&b->server);
}
#endif

static void *handshake_loop(void *arg)
{
    long *count = arg;
    double end = now() + seconds_per_row;
    while (now() < end) {
        CtxtHandle c, s;
        for (int i = 0; i < 50; i++) {
            if (!handshake(&c, &s, 0)) {
                fprintf(stderr, "handshake failed\n");
                exit(1);
            }
            (*count)++;
        }
    }
    return NULL;
}

static void handshakes(int threads)
{
    pthread_t th[8];
    long counts[8] = {0};
    double start = now();
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, handshake_loop, &counts[i]);
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        total += counts[i];
    }
    printf("%s handshakes_%dthread %.0f per_second\n", IMPLEMENTATION, threads, (double)total / (now() - start));
}

#ifndef BENCH_WINPR
/* Origin backtraces on (the default) against off, in turns within one run so both see the same
 * machine: one thread's handshakes per second each way, and their ratio. */
static void backtrace_rows(void)
{
    long counts[2] = {0, 0};
    double seconds[2] = {0, 0};
    double slice = seconds_per_row / 4;
    for (int turn = 0; turn < 8; turn++) {
        int on = turn % 2 == 0;
        fakesspi_set_backtraces(on);
        double start = now(), end = start + slice;
        while (now() < end)
            for (int i = 0; i < 20; i++, counts[on]++) {
                CtxtHandle c, s;
                if (!handshake(&c, &s, 0)) {
                    fprintf(stderr, "handshake failed\n");
                    exit(1);
                }
            }
        seconds[on] += now() - start;
    }
    fakesspi_set_backtraces(getenv("FAKESSPI_BACKTRACE") == NULL || strcmp(getenv("FAKESSPI_BACKTRACE"), "0") != 0);
    double on = (double)counts[1] / seconds[1], off = (double)counts[0] / seconds[0];
    printf("%s handshakes_1thread_backtraces_on %.0f per_second\n", IMPLEMENTATION, on);
    printf("%s handshakes_1thread_backtraces_off %.0f per_second\n", IMPLEMENTATION, off);
    printf("%s backtraces_on_vs_off %.3f ratio\n", IMPLEMENTATION, on / off);
}
#endif

static void protection(size_t size, int seal)
{
    CtxtHandle c, s;
    if (!handshake(&c, &s, 1))
        exit(1);
    unsigned char *data = malloc(size), sig[64];
    memset(data, 'x', size);
    long n = 0;
    double start = now(), end = start + seconds_per_row;
    while (now() < end) {
        for (int i = 0; i < 100; i++, n++) {
            SecBuffer b[2] = {{(ULONG)size, SECBUFFER_DATA, data}, {sizeof sig, SECBUFFER_TOKEN, sig}};
            SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
            ULONG qop;
            SECURITY_STATUS a = seal ? EncryptMessage(&c, 0, &d, 0) : MakeSignature(&c, 0, &d, 0);
            SECURITY_STATUS z = seal ? DecryptMessage(&s, &d, 0, &qop) : VerifySignature(&s, &d, 0, &qop);
            if (a != SEC_E_OK || z != SEC_E_OK) {
                printf("%s %s_%zuB failed (0x%08x, 0x%08x)\n", IMPLEMENTATION, seal ? "seal+unseal" : "sign+verify",
                       size, (unsigned)a, (unsigned)z);
                goto out;
            }
        }
    }
    printf("%s %s_%zuB %.0f pairs_per_second\n", IMPLEMENTATION, seal ? "seal+unseal" : "sign+verify", size,
           (double)n / (now() - start));
out:
    free(data);
    DeleteSecurityContext(&c);
    DeleteSecurityContext(&s);
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            v = atol(line + 6);
    if (f)
        fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        seconds_per_row = atof(argv[1]);
    setup();
    /* Warm up, then measure how RSS grows over many handshakes: a leak shows as growth. */
    CtxtHandle c, s;
    for (int i = 0; i < 2000; i++)
        handshake(&c, &s, 0);
    long before = rss_kib();
    int rounds = getenv("BENCH_RSS_ROUNDS") ? atoi(getenv("BENCH_RSS_ROUNDS")) : 20000;
    for (int i = 0; i < rounds; i++)
        handshake(&c, &s, 0);
    long after = rss_kib();
    printf("%s rss_growth_per_handshake %.1f bytes\n", IMPLEMENTATION, (double)(after - before) * 1024.0 / rounds);
    handshakes(1);
    handshakes(2);
#ifndef BENCH_WINPR
    backtrace_rows();
#endif
    protection(1024, 1);
    protection(65536, 1);
    protection(1024, 0);
#ifndef BENCH_WINPR
    struct package_bench kerberos = {.name = "kerberos", .package = "Kerberos", .target = "HTTP/server.example.test",
                                     .isc_req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT};
    struct package_bench nego_krb = {.name = "negotiate_kerberos", .package = "Negotiate",
                                     .target = "HTTP/server.example.test",
                                     .isc_req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT};
    struct package_bench nego_ntlm = {.name = "negotiate_ntlm", .package = "Negotiate",
                                      .target = "HOST/unknown.example.test",
                                      .isc_req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT};
    package_rows(&kerberos);
    package_rows(&nego_krb);
    package_rows(&nego_ntlm);
#endif
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s peak_rss %ld KiB\n", IMPLEMENTATION, ru.ru_maxrss);
    FreeCredentialsHandle(&client_cred);
    FreeCredentialsHandle(&server_cred);
    return 0;
}
