/* The fakesspi_* control API for tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "api.h"
#include "core/fork_gate.h"
#include "core/clock.h"
#include "core/fault.h"
#include "core/strict.h"
#include "core/handles.h"
#include "core/htrace.h"
#include "core/trace.h"
#include "core/memtrack.h"
#include "core/misuse.h"
#include "core/names.h"
#include "core/origin.h"
#include "core/rng.h"
#include "core/script.h"
#include "fakesspi.h"
#include "packages/package.h"
#include "runtime.h"
#include "security/domain_current.h"
#include "security/identity.h"
#include "security/luid.h"
#include "sspi/capture.h"

static _Thread_local char last_message[512];

static int report(int rc, const char *message)
{
    snprintf(last_message, sizeof last_message, "%s", rc ? message : "");
    return rc;
}

const char *fakesspi_last_message(void) { return last_message; }

void fakesspi_reset(void) { fs_runtime_reset(NULL); }

void fakesspi_trace_note(const char *text)
{
    FS_GATE_SCOPE();
    char line[512];
    snprintf(line, sizeof line, "note: %s", text ? text : "");
    fs_trace_record(line);
}

int fakesspi_set_pcap(const char *path, const char *carrier)
{
    FS_GATE_SCOPE();
    int http = carrier && !strcmp(carrier, "http");
    if (carrier && !http && strcmp(carrier, "tcp"))
        return report(-1, "the carrier is \"tcp\" or \"http\"");
    if (fs_capture_configure(path, http ? FS_PCAP_HTTP : FS_PCAP_TCP))
        return report(-1, "the capture file cannot be opened for writing");
    return report(0, NULL);
}

void fakesspi_set_seed(uint64_t seed)
{
    FS_GATE_SCOPE();
    fs_runtime_seed_chosen();
    fs_rng_seed(seed);
    fs_luid_reset();
}

uint64_t fakesspi_seed(void)
{
    FS_GATE_SCOPE();
    return fs_rng_seed_in_use();
}

/* After the domain changes, the process token is rebuilt for the same user name. A domain without that user
 * is still installed, and the call says so (0 means installed, -1 means not): the process then has no token
 * until fakesspi_set_process_user() names one of the new domain's users, as with FAKESSPI_DOMAIN. */
static int rebuild_process_token(int rc, char *message, size_t cap)
{
    if (rc)
        return rc;
    struct fs_token *t = fs_process_token();
    const char *user = t ? t->account : "alice";
    char name[256];
    snprintf(name, sizeof name, "%s", user);
    fs_token_unref(t);
    if (fs_process_token_set_user(name) != FS_OK) {
        fs_process_token_clear();
        snprintf(message, cap, "the domain was loaded; it has no user '%s' to run the process as, so the process "
                 "has no token until fakesspi_set_process_user()", name);
        return 0;
    }
    message[0] = '\0';
    return 0;
}

/* Like report(), but a successful load may leave a note (no process user) in fakesspi_last_message(). */
static int report_load(int rc, const char *message)
{
    snprintf(last_message, sizeof last_message, "%s", message);
    return rc;
}

int fakesspi_load_domain_file(const char *path)
{
    FS_GATE_SCOPE();
    char message[512] = "no path given";
    int rc = path ? fs_domain_install_file(path, message, sizeof message) : -1;
    return report_load(rebuild_process_token(rc, message, sizeof message), message);
}

int fakesspi_load_domain_text(const char *ini_text, const char *source_name)
{
    FS_GATE_SCOPE();
    char message[512] = "no text given";
    int rc = ini_text ? fs_domain_install_text(ini_text, source_name ? source_name : "domain text", message,
                                               sizeof message)
                      : -1;
    return report_load(rebuild_process_token(rc, message, sizeof message), message);
}

int fakesspi_add_user(const char *name, DWORD rid, const char *password, const char *groups)
{
    FS_GATE_SCOPE();
    char message[512];
    return report(fs_domain_current_add_user(name, rid, password, groups, message, sizeof message), message);
}

int fakesspi_add_group(const char *name, DWORD rid)
{
    FS_GATE_SCOPE();
    char message[512];
    return report(fs_domain_current_add_group(name, rid, message, sizeof message), message);
}

int fakesspi_kerberos_accept_any_spn(int on)
{
    FS_GATE_SCOPE();
    char message[512];
    return report(fs_domain_current_accept_any_spn(on, message, sizeof message), message);
}

int fakesspi_set_process_user(const char *name)
{
    FS_GATE_SCOPE();
    char message[512];
    snprintf(message, sizeof message, "the domain has no user '%s'", name ? name : "(null)");
    return report(name && fs_process_token_set_user(name) == FS_OK ? 0 : -1, message);
}

void fakesspi_get_counts(fakesspi_counts *out)
{
    FS_GATE_SCOPE();
    memset(out, 0, sizeof *out);
    fs_handle_counts(&out->live_handles, &out->lent_handles);
    out->live_tokens = fs_token_live_count();
    out->live_allocations = fs_mem_live();
    for (int k = 0; k < FAKESSPI_MISUSE_KIND_COUNT; k++) {
        out->misuse[k] = fs_misuse_count((fakesspi_misuse_kind)k);
        out->misuse_total += out->misuse[k];
    }
}

size_t fakesspi_misuse_count(fakesspi_misuse_kind kind)
{
    FS_GATE_SCOPE();
    return fs_misuse_count(kind);
}

size_t fakesspi_check_leaks(void)
{
    FS_GATE_SCOPE();
    return fs_runtime_report_leaks();
}

void fakesspi_set_misuse_callback(fakesspi_misuse_callback callback, void *arg)
{
    FS_GATE_SCOPE();
    fs_misuse_set_callback(callback, arg);
}

void fakesspi_set_misuse_policy(fakesspi_misuse_policy policy)
{
    FS_GATE_SCOPE();
    fs_misuse_set_policy(policy);
}

void fakesspi_set_handle_reuse(int windows_style)
{
    FS_GATE_SCOPE();
    fs_handle_set_reuse(windows_style);
}

void fakesspi_set_backtraces(int enabled)
{
    FS_GATE_SCOPE();
    fs_origin_set_backtraces(enabled);
}

char *fakesspi_handle_history(uintptr_t value)
{
    FS_GATE_SCOPE();
    return fs_htrace_history(value, 1, "  ");
}

/* A SECURITY_STATUS's name, else an NTSTATUS's: the two families share no value but 0, which is SEC_E_OK. */
const char *fakesspi_status_name(LONG status)
{
    const char *name = fs_status_name(status);
    return name ? name : fs_nt_status_name(status);
}
const char *fakesspi_error_name(DWORD error) { return fs_error_name(error); }
const char *fakesspi_misuse_name(fakesspi_misuse_kind kind) { return fs_misuse_name(kind); }

uint64_t fakesspi_clock_now(void)
{
    FS_GATE_SCOPE();
    return fs_clock_now();
}

/* Clock moves are records of the trace: a test that reaches expiry shows where time jumped. */
static void record_clock(const char *what, long long argument)
{
    char line[160];
    snprintf(line, sizeof line, "%s(%lld): now %llu", what, argument, (unsigned long long)fs_clock_now());
    fs_trace_record(line);
}

void fakesspi_clock_set(uint64_t filetime)
{
    FS_GATE_SCOPE();
    fs_clock_set(filetime);
    record_clock("fakesspi_clock_set", (long long)filetime);
}

void fakesspi_clock_advance(int64_t hundred_ns)
{
    FS_GATE_SCOPE();
    fs_clock_advance(hundred_ns);
    record_clock("fakesspi_clock_advance", (long long)hundred_ns);
}

void fakesspi_clock_use_real(int real)
{
    FS_GATE_SCOPE();
    fs_clock_set_real(real);
}

void fakesspi_snapshot_take(fakesspi_snapshot *s)
{
    FS_GATE_SCOPE();
    fakesspi_get_counts(&s->counts);
    s->event = fs_origin_last_event();
}

char *fakesspi_check_since(const fakesspi_snapshot *s)
{
    FS_GATE_SCOPE();
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return fs_strdup("fakesspi: out of memory while checking");
    /* Misuse first, each with its report (handle, who handed it out, who misused it): a test
     * framework may cut a long message. */
    size_t problems = 0;
    fakesspi_counts now;
    fakesspi_get_counts(&now);
    for (int k = 0; k < FAKESSPI_MISUSE_KIND_COUNT; k++) {
        size_t more = now.misuse[k] - s->counts.misuse[k];
        if (more) {
            fprintf(out, "%zu x MISUSE %s since the snapshot\n", more, fs_misuse_name((fakesspi_misuse_kind)k));
            problems++;
        }
    }
    if (problems)
        fs_misuse_reports_since(s->event, out);
    problems += fs_handle_list_since(s->event, out) + fs_mem_list_since(s->event, out);
    fclose(out);
    if (!problems) {
        free(text);
        return NULL;
    }
    return text;
}

int fakesspi_faults(const char *spec)
{
    FS_GATE_SCOPE();
    char message[512] = "no faults given";
    return report(spec ? fs_fault_arm(spec, message, sizeof message) : -1, message);
}

void fakesspi_fault_alloc(uint64_t nth)
{
    FS_GATE_SCOPE();
    fs_fault_arm_alloc(nth, 0);
}

int fakesspi_fault_call(const char *function, uint64_t nth, int64_t value)
{
    FS_GATE_SCOPE();
    char message[256];
    snprintf(message, sizeof message, "'%s' is not a function faults can be injected into (or N is 0)",
             function ? function : "(null)");
    return report(fs_fault_arm_call(function, nth, value), message);
}

void fakesspi_fault_token(uint64_t nth, int64_t offset)
{
    FS_GATE_SCOPE();
    fs_fault_arm_token(nth, offset);
}

void fakesspi_fault_clear(void)
{
    FS_GATE_SCOPE();
    fs_fault_clear();
}

uint64_t fakesspi_fault_allocations(void)
{
    FS_GATE_SCOPE();
    return fs_fault_allocations();
}

void fakesspi_set_strict(int enabled)
{
    FS_GATE_SCOPE();
    fs_strict_set(enabled);
    fs_handle_set_reuse(enabled);
}

int fakesspi_script_call(const char *function, uint64_t count, int64_t value, const void *token, size_t token_len)
{
    FS_GATE_SCOPE();
    char message[512];
    return report(fs_script_arm(function, count, value, token, token_len, message, sizeof message), message);
}

int fakesspi_script_max_token(const char *package, ULONG cbMaxToken)
{
    FS_GATE_SCOPE();
    const struct fs_package *pkg = package ? fs_package_find(package) : NULL;
    char message[256];
    snprintf(message, sizeof message, "'%s' is not a package (NTLM, Kerberos, Negotiate)", package ? package : "(null)");
    return report(pkg ? fs_script_arm_max_token(pkg->name, cbMaxToken) : -1, message);
}

uint64_t fakesspi_script_pending(const char *function)
{
    FS_GATE_SCOPE();
    return fs_script_pending(function);
}

void fakesspi_script_clear(void)
{
    FS_GATE_SCOPE();
    fs_script_clear();
}
