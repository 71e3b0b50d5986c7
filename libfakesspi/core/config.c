/* Parses FAKESSPI_* variables; bad values are reported, never silently ignored. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "htrace.h"

static void complain(const char *name, const char *value, const char *expected)
{
    fprintf(stderr, "fakesspi: %s=%s is not %s; using the default\n", name, value, expected);
}

void fs_config_read(struct fs_config *c)
{
    *c = (struct fs_config){.policy = FAKESSPI_POLICY_REPORT, .backtraces = 1, .leak_exitcode = -1,
                            .htrace_events = FS_HTRACE_DEFAULT_EVENTS, .user = "alice",
                            .trace_level = 1};
    const char *v;

    if ((v = getenv("FAKESSPI_ON_MISUSE")) && *v) {
        if (!strcmp(v, "report"))
            c->policy = FAKESSPI_POLICY_REPORT;
        else if (!strcmp(v, "abort"))
            c->policy = FAKESSPI_POLICY_ABORT;
        else if (!strcmp(v, "silent"))
            c->policy = FAKESSPI_POLICY_SILENT;
        else
            complain("FAKESSPI_ON_MISUSE", v, "report, abort or silent");
    }
    if ((v = getenv("FAKESSPI_HANDLE_REUSE")) && *v) {
        if (!strcmp(v, "windows"))
            c->windows_reuse = 1;
        else if (strcmp(v, "never"))
            complain("FAKESSPI_HANDLE_REUSE", v, "never or windows");
    }
    if ((v = getenv("FAKESSPI_STRICT")) && *v) {
        if (!strcmp(v, "1"))
            c->strict = 1;
        else if (strcmp(v, "0"))
            complain("FAKESSPI_STRICT", v, "0 or 1");
    }
    if ((v = getenv("FAKESSPI_BACKTRACE")) && *v) {
        if (!strcmp(v, "0"))
            c->backtraces = 0;
        else if (strcmp(v, "1"))
            complain("FAKESSPI_BACKTRACE", v, "0 or 1");
    }
    if ((v = getenv("FAKESSPI_HTRACE_EVENTS")) && *v) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (errno || *end || *v == '-' || n > 16u * 1024 * 1024)
            complain("FAKESSPI_HTRACE_EVENTS", v, "a number of events from 0 (off) to 16777216");
        else
            c->htrace_events = (size_t)n;
    }
    if ((v = getenv("FAKESSPI_SEED")) && *v) {
        char *end;
        errno = 0;
        unsigned long long seed = strtoull(v, &end, 10);
        if (!strcmp(v, "random"))
            c->seed_random = 1;
        else if (errno || *end || *v < '0' || *v > '9') /* " -1" would wrap to 2^64-1; "010" is ten, not 8 */
            complain("FAKESSPI_SEED", v, "a decimal number or 'random'");
        else
            c->seed = seed, c->seed_given = 1;
    }
    if ((v = getenv("FAKESSPI_LEAK_EXITCODE")) && *v) {
        char *end;
        long code = strtol(v, &end, 10);
        if (*end || code < 0 || code > 255)
            complain("FAKESSPI_LEAK_EXITCODE", v, "an exit code from 0 to 255");
        else
            c->leak_exitcode = (int)code;
    }
    if ((v = getenv("FAKESSPI_DOMAIN")) && *v)
        c->domain_path = v;
    if ((v = getenv("FAKESSPI_CLOCK")) && *v) {
        if (!strcmp(v, "real"))
            c->real_clock = 1;
        else if (strcmp(v, "fixed"))
            complain("FAKESSPI_CLOCK", v, "fixed or real");
    }
    if ((v = getenv("FAKESSPI_TRACE")) && *v)
        c->trace = v;
    if ((v = getenv("FAKESSPI_TRACE_FORMAT")) && *v) {
        if (!strcmp(v, "json"))
            c->trace_json = 1;
        else if (strcmp(v, "text"))
            complain("FAKESSPI_TRACE_FORMAT", v, "text or json");
    }
    if ((v = getenv("FAKESSPI_TRACE_LEVEL")) && *v) {
        if (!strcmp(v, "2"))
            c->trace_level = 2;
        else if (strcmp(v, "1"))
            complain("FAKESSPI_TRACE_LEVEL", v, "1 or 2");
    }
    if ((v = getenv("FAKESSPI_PCAP")) && *v)
        c->pcap = v;
    if ((v = getenv("FAKESSPI_PCAP_CARRIER")) && *v) {
        if (!strcmp(v, "http"))
            c->pcap_http = 1;
        else if (strcmp(v, "tcp"))
            complain("FAKESSPI_PCAP_CARRIER", v, "tcp or http");
    }
    if ((v = getenv("FAKESSPI_FAULTS")) && *v)
        c->faults = v;
    if ((v = getenv("FAKESSPI_USER")) && *v)
        c->user = v;
}
