/* The FAKESSPI_* environment, read in one place. */
#ifndef FS_CORE_CONFIG_H
#define FS_CORE_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "fakesspi.h"

struct fs_config {
    fakesspi_misuse_policy policy; /* FAKESSPI_ON_MISUSE */
    int windows_reuse;             /* FAKESSPI_HANDLE_REUSE=windows */
    int strict;                    /* FAKESSPI_STRICT=1 */
    int backtraces;                /* FAKESSPI_BACKTRACE (default 1) */
    size_t htrace_events;          /* FAKESSPI_HTRACE_EVENTS: handle-history ring size, 0 = off */
    int seed_random;               /* FAKESSPI_SEED=random */
    uint64_t seed;                 /* FAKESSPI_SEED (default 0) */
    int seed_given;                /* FAKESSPI_SEED named a number */
    int leak_exitcode;             /* FAKESSPI_LEAK_EXITCODE, -1 when unset */
    const char *domain_path;       /* FAKESSPI_DOMAIN, NULL for the embedded domain */
    const char *user;              /* FAKESSPI_USER (default alice) */
    int real_clock;                /* FAKESSPI_CLOCK=real (default fixed) */
    const char *faults;            /* FAKESSPI_FAULTS, NULL for none */
    const char *trace;             /* FAKESSPI_TRACE: stderr or a path, NULL for none */
    int trace_json;                /* FAKESSPI_TRACE_FORMAT=json (default text) */
    int trace_level;               /* FAKESSPI_TRACE_LEVEL: 1, or 2 for token bytes */
    const char *pcap;              /* FAKESSPI_PCAP: a path for the capture, NULL for none */
    int pcap_http;                 /* FAKESSPI_PCAP_CARRIER=http (default tcp) */
};

/* Reads the environment; a value it cannot use is named on stderr and the default kept. */
void fs_config_read(struct fs_config *config);

#endif
