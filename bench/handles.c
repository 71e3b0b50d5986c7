/* bench/handles: the cost of the handle table on the paths ported code hits most.
 * DuplicateHandle+CloseHandle pairs and GetTokenInformation(TokenUser) calls per second,
 * on 1 and 2 threads, with origin backtraces on and off. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fakesspi.h"
#include "windows.h"

enum op { DUP_CLOSE, TOKEN_USER_QUERY };

struct job {
    enum op op;
    HANDLE token;
    long iterations;
    long failures;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
    struct job *j = arg;
    unsigned char buf[128];
    for (long i = 0; i < j->iterations; i++) {
        if (j->op == DUP_CLOSE) {
            HANDLE dup;
            if (!DuplicateHandle(GetCurrentProcess(), j->token, GetCurrentProcess(), &dup, 0, FALSE,
                                 DUPLICATE_SAME_ACCESS) || !CloseHandle(dup))
                j->failures++;
        } else {
            DWORD n;
            if (!GetTokenInformation(j->token, TokenUser, buf, sizeof buf, &n))
                j->failures++;
        }
    }
    return NULL;
}

static void measure(const char *name, enum op op, int threads, long per_thread, HANDLE token)
{
    pthread_t th[8];
    struct job jobs[8];
    double start = now();
    for (int i = 0; i < threads; i++) {
        jobs[i] = (struct job){op, token, per_thread, 0};
        pthread_create(&th[i], NULL, run, &jobs[i]);
    }
    long failures = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        failures += jobs[i].failures;
    }
    double seconds = now() - start;
    double total = (double)per_thread * threads;
    printf("%-34s %d thread%s  %12.0f ops/s  %8.1f ns/op%s\n", name, threads, threads > 1 ? "s" : " ",
           total / seconds, seconds * 1e9 / total, failures ? "  FAILURES" : "");
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    fakesspi_reset();
    HANDLE token;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_DUPLICATE, &token))
        return 1;
    for (int backtraces = 1; backtraces >= 0; backtraces--) {
        fakesspi_set_backtraces(backtraces);
        printf("-- backtraces %s\n", backtraces ? "on (default)" : "off (FAKESSPI_BACKTRACE=0)");
        for (int threads = 1; threads <= 2; threads++) {
            measure("DuplicateHandle+CloseHandle pair", DUP_CLOSE, threads, n / threads / (backtraces ? 4 : 1), token);
            measure("GetTokenInformation(TokenUser)", TOKEN_USER_QUERY, threads, n / threads, token);
        }
    }
    CloseHandle(token);
    return 0;
}
