/* bench/threads: how NTLM handshakes scale from one thread to two, and whether the machine's own cores do.
 * Rounds alternate one thread and two, so both see the same machine; each thread runs whole handshakes for
 * the round's time and counts its own CPU time, so a figure shows both the rate and the CPU a handshake costs.
 * A control loop of pure computation (MD5 of a buffer, no library call) measured the same way says what two
 * threads can reach here at best.
 *   threads [SECONDS_PER_ROUND] [ROUNDS] [shared|own]
 * shared (the default): both threads use one credential pair, as bench/handshake's row does; own: a pair each. */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <fakesspi.h>
#include <nettle/md5.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds_of(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const ULONG isc_req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION;
static const ULONG asc_req = ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION;

struct credentials {
    CredHandle client, server;
};

static void acquire(struct credentials *c)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &c->client, NULL) ||
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &c->server, NULL)) {
        fprintf(stderr, "AcquireCredentialsHandle failed\n");
        exit(1);
    }
}

/* One whole NTLM handshake, both contexts deleted. */
static void handshake(struct credentials *cred)
{
    unsigned char c2s[4096], s2c[4096];
    SecBuffer oc = {sizeof c2s, SECBUFFER_TOKEN, c2s}, os = {sizeof s2c, SECBUFFER_TOKEN, s2c}, ic, is;
    SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
    SecBufferDesc icd = {SECBUFFER_VERSION, 1, &ic}, isd = {SECBUFFER_VERSION, 1, &is};
    CtxtHandle client, server;
    ULONG attrs;
    SECURITY_STATUS a = InitializeSecurityContextA(&cred->client, NULL, "HOST/server", isc_req, 0,
                                                   SECURITY_NATIVE_DREP, NULL, 0, &client, &ocd, &attrs, NULL);
    is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    SECURITY_STATUS b = AcceptSecurityContext(&cred->server, NULL, &isd, asc_req, SECURITY_NATIVE_DREP, &server, &osd,
                                              &attrs, NULL);
    ic = (SecBuffer){os.cbBuffer, SECBUFFER_TOKEN, s2c};
    oc.cbBuffer = sizeof c2s;
    SECURITY_STATUS c = InitializeSecurityContextA(&cred->client, &client, "HOST/server", isc_req, 0,
                                                   SECURITY_NATIVE_DREP, &icd, 0, &client, &ocd, &attrs, NULL);
    is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
    os.cbBuffer = sizeof s2c;
    SECURITY_STATUS d = AcceptSecurityContext(&cred->server, &server, &isd, asc_req, SECURITY_NATIVE_DREP, &server,
                                              &osd, &attrs, NULL);
    if (a != SEC_I_CONTINUE_NEEDED || b != SEC_I_CONTINUE_NEEDED || c != SEC_E_OK || d != SEC_E_OK) {
        fprintf(stderr, "handshake failed: 0x%08x 0x%08x 0x%08x 0x%08x\n", (unsigned)a, (unsigned)b, (unsigned)c,
                (unsigned)d);
        exit(1);
    }
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
}

/* The control: work that shares nothing between threads. */
static unsigned control_sink;
static void control_work(struct credentials *unused)
{
    (void)unused;
    unsigned char buf[4096], digest[MD5_DIGEST_SIZE];
    memset(buf, 'x', sizeof buf);
    struct md5_ctx ctx;
    md5_init(&ctx);
    for (int i = 0; i < 4; i++)
        md5_update(&ctx, sizeof buf, buf);
    md5_digest(&ctx, sizeof digest, digest);
    __atomic_fetch_add(&control_sink, digest[0], __ATOMIC_RELAXED); /* keeps the work from being optimised away */
}

struct worker {
    void (*work)(struct credentials *);
    struct credentials *cred;
    double seconds;
    long count;
    double cpu;
};

static void *run(void *arg)
{
    struct worker *w = arg;
    double cpu_start = seconds_of(CLOCK_THREAD_CPUTIME_ID), end = seconds_of(CLOCK_MONOTONIC) + w->seconds;
    while (seconds_of(CLOCK_MONOTONIC) < end)
        for (int i = 0; i < 20; i++, w->count++)
            w->work(w->cred);
    w->cpu = seconds_of(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
    return NULL;
}

/* One round on n threads: the rate per second, and the CPU microseconds each unit of work cost. */
static void round_of(int n, void (*work)(struct credentials *), struct credentials *creds, double seconds,
                     double *rate, double *cpu_us)
{
    pthread_t th[2];
    struct worker w[2];
    double start = seconds_of(CLOCK_MONOTONIC);
    for (int i = 0; i < n; i++) {
        w[i] = (struct worker){work, &creds[i], seconds, 0, 0};
        pthread_create(&th[i], NULL, run, &w[i]);
    }
    long count = 0;
    double cpu = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        count += w[i].count;
        cpu += w[i].cpu;
    }
    *rate = (double)count / (seconds_of(CLOCK_MONOTONIC) - start);
    *cpu_us = cpu * 1e6 / (double)count;
}

static void compare(const char *name, void (*work)(struct credentials *), struct credentials *creds, double seconds,
                    int rounds)
{
    double best[2] = {0, 0}, sum[2] = {0, 0}, cpu[2] = {0, 0};
    for (int r = 0; r < rounds; r++)
        for (int n = 1; n <= 2; n++) {
            double rate, us;
            round_of(n, work, creds, seconds, &rate, &us);
            sum[n - 1] += rate;
            cpu[n - 1] += us;
            if (rate > best[n - 1])
                best[n - 1] = rate;
        }
    printf("libfakesspi %s_1thread %.0f per_second (%.2f us CPU each)\n", name, sum[0] / rounds, cpu[0] / rounds);
    printf("libfakesspi %s_2threads %.0f per_second (%.2f us CPU each)\n", name, sum[1] / rounds, cpu[1] / rounds);
    printf("libfakesspi %s_2threads_vs_1 %.3f ratio (best rounds %.3f)\n", name, sum[1] / sum[0], best[1] / best[0]);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    int rounds = argc > 2 ? atoi(argv[2]) : 4;
    int own = argc > 3 && !strcmp(argv[3], "own");
    struct credentials creds[2];
    acquire(&creds[0]);
    if (own)
        acquire(&creds[1]);
    else
        creds[1] = creds[0];
    for (int i = 0; i < 2000; i++) /* warm-up: the handle table's tombstone queue fills, caches settle */
        handshake(&creds[0]);
    compare("control_md5", control_work, creds, seconds, rounds);
    compare(own ? "handshakes_own_credentials" : "handshakes_shared_credentials", handshake, creds, seconds, rounds);
    for (int i = 0; i < 1 + own; i++) {
        FreeCredentialsHandle(&creds[i].client);
        FreeCredentialsHandle(&creds[i].server);
    }
    return 0;
}
