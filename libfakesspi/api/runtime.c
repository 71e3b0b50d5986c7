/* Start-up, fakesspi_reset() and the exit-time leak check: the state every layer keeps, in one order. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "api.h"
#include "core/config.h"
#include "core/handles.h"
#include "core/htrace.h"
#include "core/memtrack.h"
#include "core/misuse.h"
#include "core/origin.h"
#include "core/rng.h"
#include "packages/package.h"
#include "security/domain_current.h"
#include "security/domain_ini.h"
#include "security/identity.h"
#include "security/logon_session.h"
#include "security/luid.h"
#include "security/pseudo_handles.h"
#include "exports.h"
#include "core/fork_gate.h"
#include "runtime.h"
#include "sspi/capture.h"
#include "sspi/context.h"
#include "sspi/credential.h"
#include "core/clock.h"
#include "core/fault.h"
#include "core/script.h"
#include "core/strict.h"
#include "core/trace.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t reset_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fs_config config;
static atomic_int default_seed = 1;

int fs_runtime_default_seed(void) { return atomic_load(&default_seed); }
void fs_runtime_seed_chosen(void) { atomic_store(&default_seed, 0); }

static void load_identity(void)
{
    char message[512];
    int rc = config.domain_path ? fs_domain_install_file(config.domain_path, message, sizeof message)
                                : fs_domain_install_text(fs_default_domain_ini, "embedded domain", message,
                                                         sizeof message);
    if (rc) {
        fprintf(stderr, "fakesspi: %s\nfakesspi: logons fail until a good domain is loaded\n", message);
        return;
    }
    if (fs_process_token_set_user(config.user) != FS_OK)
        fprintf(stderr, "fakesspi: FAKESSPI_USER=%s is not a user of the domain; the process has no token\n",
                config.user);
}

/* FAKESSPI_SEED=random draws a seed and says what it drew, so that a failing run can be replayed with
 * FAKESSPI_SEED=N; the resets after it keep that seed (as resets with FAKESSPI_SEED=N would) until
 * one sees another FAKESSPI_SEED. */
static int seed_drawn;
static uint64_t drawn_seed;

static uint64_t seed_for(const struct fs_config *c)
{
    if (!c->seed_random) {
        seed_drawn = 0;
        return c->seed;
    }
    if (!seed_drawn) {
        drawn_seed = fs_rng_draw_seed();
        seed_drawn = 1;
        fprintf(stderr, "fakesspi: FAKESSPI_SEED=random drew %llu; rerun with FAKESSPI_SEED=%llu\n",
                (unsigned long long)drawn_seed, (unsigned long long)drawn_seed);
    }
    return drawn_seed;
}

static void reset_locked(const char *label)
{
    fs_fault_clear(); /* the reset's own allocations never fail */
    fs_script_clear();
    fs_revert_to_self();
    fs_process_token_clear();
    fs_handle_reset();
    fs_mem_reset();
    fs_misuse_reset_counts();
    fs_misuse_set_callback(NULL, NULL);
    fs_origin_reset();
    fs_config_read(&config);
    fs_misuse_set_policy(config.policy);
    fs_strict_set(config.strict);
    /* Strict mode also hands freed handle values straight back, as Windows does. */
    fs_handle_set_reuse(config.windows_reuse || config.strict);
    fs_origin_set_backtraces(config.backtraces);
    fs_htrace_reset(config.htrace_events);
    atomic_store(&default_seed, !config.seed_given && !config.seed_random);
    /* A named or drawn seed repeats; no seed is seed 0's stream, salted per process where it must be. */
    if (config.seed_random || config.seed_given)
        fs_rng_seed(seed_for(&config));
    else
        fs_rng_seed_default();
    fs_luid_reset();
    fs_packages_reset();
    fs_winsock_reset();
    fs_clock_reset();
    fs_clock_set_real(config.real_clock);
    fs_trace_configure(config.trace, config.trace_json, config.trace_level, label);
    if (fs_capture_configure(config.pcap, config.pcap_http ? FS_PCAP_HTTP : FS_PCAP_TCP))
        fprintf(stderr, "fakesspi: FAKESSPI_PCAP=%s cannot be opened for writing; no capture\n", config.pcap);
    load_identity();
    /* Armed last, so that counting starts with the caller's first call. */
    char message[512];
    /* A typo in the faults must not let a test pass that injected nothing: stop with the reason. */
    if (config.faults && fs_fault_arm(config.faults, message, sizeof message)) {
        fprintf(stderr, "fakesspi: FAKESSPI_FAULTS=%s: %s\n", config.faults, message);
        fflush(NULL);
        _exit(2);
    }
}

static void check_leaks_at_exit(void)
{
    FS_GATE_SCOPE(); /* another thread may still run, and fork */
    size_t leaks = fs_runtime_report_leaks();
    if (leaks && config.leak_exitcode >= 0) {
        fflush(NULL);
        _exit(config.leak_exitcode);
    }
}

/* fork() while other threads use the library (doc/semantics.md §39): before it, no reset runs and no call
 * is in flight, so every lock of the library is free and its state whole in the child. The child's inherited
 * handles and blocks are the parent's: they stay usable, and are not the child's leaks. */
static void fork_prepare(void) { fs_fork_gate_close(); } /* a reset passes the gate too */

static void fork_parent(void) { fs_fork_gate_open(); }

static void fork_child(void)
{
    fs_fork_gate_child();
    fs_handle_fork_child();
    fs_mem_fork_child();
    fs_origin_fork_child();
}

static void initialise(void)
{
    fs_pseudo_handles_register();
    fs_exports_register_faults();
    fs_logon_session_set_end_hook(fs_packages_session_ended);
    pthread_mutex_lock(&reset_lock);
    reset_locked(NULL);
    pthread_mutex_unlock(&reset_lock);
    atexit(check_leaks_at_exit);
    /* Last: a fork waits for calls in flight, and this one is not over until initialise returns. */
    pthread_atfork(fork_prepare, fork_parent, fork_child);
}

void fs_api_enter(void) { pthread_once(&once, initialise); }

struct fs_gate_scope fs_gate_scope_enter(void)
{
    fs_fork_gate_enter();
    fs_api_enter();
    return (struct fs_gate_scope){0};
}

void fs_gate_scope_leave(struct fs_gate_scope *scope)
{
    (void)scope;
    fs_fork_gate_leave();
}

void fs_runtime_reset(const char *label)
{
    FS_GATE_SCOPE();
    pthread_mutex_lock(&reset_lock);
    reset_locked(label);
    pthread_mutex_unlock(&reset_lock);
}

size_t fs_runtime_report_leaks(void) { return fs_handle_report_leaks() + fs_mem_report_leaks(); }

