/* bench/big_domain: a real company's domain (100,000 users, 10,000 groups nested as a binary tree, each user in
 * Domain Users and one leaf-ward group): how long it takes to load, and logons and NTLM handshakes per second
 * in it against the same in the embedded domain (they should cost the same: every lookup is an index, and a
 * token's nested groups are walked through the groups involved only).
 *   big_domain [SECONDS_PER_ROW] [USERS] [GROUPS]   prints one line per measurement: name, value, unit */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <fakesspi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *domain_text(int users, int groups)
{
    size_t cap = (size_t)users * 96 + (size_t)groups * 64 + 1024, len = 0;
    char *text = malloc(cap);
    if (!text)
        exit(1);
    len += (size_t)snprintf(text + len, cap - len,
                            "[domain]\nnetbios = BIG\ndns = big.example\nsid = S-1-5-21-5-6-7\n"
                            "[group Domain Users]\nrid = 513\n");
    for (int g = 0; g < groups; g++) {
        len += (size_t)snprintf(text + len, cap - len, "[group g%d]\nrid = %d\n", g, 200000 + g);
        if (g)
            len += (size_t)snprintf(text + len, cap - len, "groups = g%d\n", (g - 1) / 2);
    }
    for (int u = 0; u < users; u++)
        len += (size_t)snprintf(text + len, cap - len, "[user u%d]\nrid = %d\npassword = p%d\ngroups = Domain Users, g%d\n",
                                u, 1000 + u, u, groups - 1 - u % groups);
    return text;
}

static double logons(double seconds, const char *user, const char *domain, const char *password)
{
    long n = 0;
    double start = now(), end = start + seconds;
    do {
        for (int i = 0; i < 200; i++, n++) {
            HANDLE h;
            if (!LogonUserA(user, domain, password, LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &h)) {
                fprintf(stderr, "LogonUser %s\\%s failed: %lu\n", domain, user, (unsigned long)GetLastError());
                exit(1);
            }
            CloseHandle(h);
        }
    } while (now() < end);
    return (double)n / (now() - start);
}

static double handshakes(double seconds, const char *user, const char *domain, const char *password)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)user, (unsigned long)strlen(user), (unsigned char *)domain,
                                    (unsigned long)strlen(domain), (unsigned char *)password,
                                    (unsigned long)strlen(password), SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle cc, sc;
    if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc, NULL) ||
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc, NULL))
        exit(1);
    long n = 0;
    double start = now(), end = start + seconds;
    do {
        for (int i = 0; i < 50; i++, n++) {
            unsigned char c2s[4096], s2c[4096];
            SecBuffer oc = {sizeof c2s, SECBUFFER_TOKEN, c2s}, os = {sizeof s2c, SECBUFFER_TOKEN, s2c}, ic, is;
            SecBufferDesc ocd = {SECBUFFER_VERSION, 1, &oc}, osd = {SECBUFFER_VERSION, 1, &os};
            SecBufferDesc icd = {SECBUFFER_VERSION, 1, &ic}, isd = {SECBUFFER_VERSION, 1, &is};
            CtxtHandle client, server;
            ULONG attrs;
            SECURITY_STATUS a = InitializeSecurityContextA(&cc, NULL, "HOST/server", 0, 0, 0, NULL, 0, &client, &ocd,
                                                           &attrs, NULL);
            is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
            SECURITY_STATUS b = AcceptSecurityContext(&sc, NULL, &isd, 0, 0, &server, &osd, &attrs, NULL);
            ic = (SecBuffer){os.cbBuffer, SECBUFFER_TOKEN, s2c};
            oc.cbBuffer = sizeof c2s;
            SECURITY_STATUS c = InitializeSecurityContextA(&cc, &client, "HOST/server", 0, 0, 0, &icd, 0, &client,
                                                           &ocd, &attrs, NULL);
            is = (SecBuffer){oc.cbBuffer, SECBUFFER_TOKEN, c2s};
            os.cbBuffer = sizeof s2c;
            SECURITY_STATUS d = AcceptSecurityContext(&sc, &server, &isd, 0, 0, &server, &osd, &attrs, NULL);
            if (a != SEC_I_CONTINUE_NEEDED || b != SEC_I_CONTINUE_NEEDED || c != SEC_E_OK || d != SEC_E_OK) {
                fprintf(stderr, "handshake for %s\\%s failed: %s\n", domain, user, fakesspi_status_name(d));
                exit(1);
            }
            DeleteSecurityContext(&client);
            DeleteSecurityContext(&server);
        }
    } while (now() < end);
    double rate = (double)n / (now() - start);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    return rate;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    int users = argc > 2 ? atoi(argv[2]) : 100000, groups = argc > 3 ? atoi(argv[3]) : 10000;
    double embedded_logons = logons(seconds, "alice", "EXAMPLE", "Passw0rd!");
    double embedded_handshakes = handshakes(seconds, "alice", "EXAMPLE", "Passw0rd!");

    char *text = domain_text(users, groups);
    double start = now(), start_cpu = cpu();
    int rc = fakesspi_load_domain_text(text, "big domain");
    double load = now() - start, load_cpu = cpu() - start_cpu;
    free(text);
    if (rc) {
        fprintf(stderr, "load failed: %s\n", fakesspi_last_message());
        return 1;
    }
    char user[32], password[32];
    snprintf(user, sizeof user, "u%d", 0); /* in the deepest group: the longest nesting chain */
    snprintf(password, sizeof password, "p%d", 0);
    printf("big domain load (%d users, %d groups), elapsed\t%.3f\ts\n", users, groups, load);
    printf("big domain load (%d users, %d groups), CPU\t%.3f\ts\n", users, groups, load_cpu);
    printf("LogonUser/s, embedded domain\t%.0f\tper s\n", embedded_logons);
    printf("LogonUser/s, big domain (nested groups)\t%.0f\tper s\n", logons(seconds, user, "BIG", password));
    printf("NTLM handshakes/s, embedded domain\t%.0f\tper s\n", embedded_handshakes);
    printf("NTLM handshakes/s, big domain\t%.0f\tper s\n", handshakes(seconds, user, "BIG", password));
    return 0;
}
