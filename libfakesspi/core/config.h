/* The FAKESSPI_* environment, read in one place. */
#ifndef FS_CORE_CONFIG_H
#define FS_CORE_CONFIG_H

#include <stdint.h>
#include "fakesspi.h"

struct fs_config {
    fakesspi_misuse_policy policy; /* FAKESSPI_ON_MISUSE */
    int windows_reuse;             /* FAKESSPI_HANDLE_REUSE=windows */
    int backtraces;                /* FAKESSPI_BACKTRACE (default 1) */
    int seed_random;               /* FAKESSPI_SEED=random */
    uint64_t seed;                 /* FAKESSPI_SEED (default 0) */
    int leak_exitcode;             /* FAKESSPI_LEAK_EXITCODE, -1 when unset */
    const char *domain_path;       /* FAKESSPI_DOMAIN, NULL for the embedded domain */
    const char *user;              /* FAKESSPI_USER (default alice) */
    int real_clock;                /* FAKESSPI_CLOCK=real (default fixed) */
    const char *faults;            /* FAKESSPI_FAULTS, NULL for none */
};

/* Reads the environment; a value it cannot use is named on stderr and the default kept. */
void fs_config_read(struct fs_config *config);

#endif
