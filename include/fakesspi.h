/* The libfakesspi control API: what a test uses to steer and inspect the emulation.
 *
 * Ownership vocabulary (as in the man pages): a function that returns a string says whether it is
 * STATIC (never freed), or NEW (free it as documented).  Nothing here hands out handles. */
#ifndef FAKESSPI_H
#define FAKESSPI_H

#include <stddef.h>
#include <stdint.h>
#include "windows.h"

FAKESSPI_BEGIN_DECLS

/* Every kind of misuse libfakesspi detects: X(NAME, one-line meaning). The enum, the report's
 * first line and fakesspi_misuse_name() all come from this one list. */
#define FAKESSPI_MISUSE_KINDS(X) \
    X(CLOSE_BORROWED, "a borrowed handle was closed; its owner still uses it and will close it itself") \
    X(DOUBLE_CLOSE, "a handle was closed a second time") \
    X(USE_AFTER_CLOSE, "a handle was used after it was closed") \
    X(OWNER_GONE, "a borrowed handle was used after the object that lent it was deleted") \
    X(INVALID_HANDLE, "a handle value that was never handed out was used") \
    X(WRONG_KIND, "a handle of one kind was passed where another kind is required") \
    X(CLOSE_PROTECTED, "a handle marked HANDLE_FLAG_PROTECT_FROM_CLOSE was closed") \
    X(FOREIGN_FREE, "memory that this API did not hand out was freed through it") \
    X(DOUBLE_FREE, "memory was freed a second time") \
    X(WRONG_FREE, "memory was freed with the wrong function (LocalFree vs FreeSid vs HeapFree)") \
    X(THREAD_EXIT_IMPERSONATING, "a thread ended while still impersonating")

typedef enum fakesspi_misuse_kind {
#define FAKESSPI_MISUSE_ENUM_(name, meaning) FAKESSPI_MISUSE_##name,
    FAKESSPI_MISUSE_KINDS(FAKESSPI_MISUSE_ENUM_)
#undef FAKESSPI_MISUSE_ENUM_
    FAKESSPI_MISUSE_KIND_COUNT
} fakesspi_misuse_kind;

/* What happens on misuse (FAKESSPI_ON_MISUSE). */
typedef enum fakesspi_misuse_policy {
    FAKESSPI_POLICY_REPORT = 0, /* write the report, count it, return what Windows returns */
    FAKESSPI_POLICY_ABORT,      /* write the report, then abort() */
    FAKESSPI_POLICY_SILENT      /* count only */
} fakesspi_misuse_policy;

/* Live objects and misuse counts at one moment. */
typedef struct fakesspi_counts {
    size_t live_handles;      /* OWNED handles the caller must still close */
    size_t lent_handles;      /* BORROWED handles currently valid */
    size_t live_tokens;       /* token objects alive (held by handles, threads, contexts) */
    size_t live_allocations;  /* LocalAlloc/AllocateAndInitializeSid/HeapAlloc blocks not yet freed */
    size_t misuse_total;
    size_t misuse[FAKESSPI_MISUSE_KIND_COUNT];
} fakesspi_counts;

/* Returns the emulation to a clean start, as at process start: closes every handle without
 * reporting it, frees tracked memory, zeroes the counters, re-reads every FAKESSPI_* variable,
 * reseeds, reloads the domain and clears the calling thread's impersonation. */
FAKESSPI_API void fakesspi_reset(void);
/* Writes a line of its own into the trace ("#N [T] note: text"), e.g. where a test ends. */
FAKESSPI_API void fakesspi_trace_note(const char *text);

/* Writes every token InitializeSecurityContext/AcceptSecurityContext hand out, and every sealed and signed message, to
 * path as a pcapng capture (FAKESSPI_PCAP=PATH, FAKESSPI_PCAP_CARRIER=tcp|http): one synthetic TCP connection
 * per context pair, in the socket samples' length-prefixed framing ("tcp", the default for NULL; port 7070)
 * or as HTTP authentication ("http", port 80, no sealed or signed messages). The same path as before goes on writing to
 * the same file; NULL or "" stops. Returns 0, or -1 with fakesspi_last_message() set (nothing captured). */
FAKESSPI_API int fakesspi_set_pcap(const char *path, const char *carrier);

/* Seeds every LUID, GUID and random value from now on (FAKESSPI_SEED). */
FAKESSPI_API void fakesspi_set_seed(uint64_t seed);
/* The seed in use: the last fakesspi_set_seed(), else FAKESSPI_SEED's (0 by default). With
 * FAKESSPI_SEED=random, the one drawn at start-up, which is also printed once on stderr
 * ("fakesspi: FAKESSPI_SEED=random drew N; rerun with FAKESSPI_SEED=N") and kept by every reset. */
FAKESSPI_API uint64_t fakesspi_seed(void);

/* Replaces the domain with an INI file or text (format in README.md). Returns 0 when the new domain is
 * installed. If it has no user of the process's name, the process has no token until
 * fakesspi_set_process_user() and fakesspi_last_message() says so. On error returns -1, installs nothing,
 * keeps no half-read domain (logons fail with the Windows error until a good one is loaded) and
 * fakesspi_last_message() names the file and line. */
FAKESSPI_API int fakesspi_load_domain_file(const char *path);
FAKESSPI_API int fakesspi_load_domain_text(const char *ini_text, const char *source_name);

/* Adds a user to the current domain. groups: comma-separated group names (may be NULL).
 * Returns 0, or -1 with fakesspi_last_message() set. */
FAKESSPI_API int fakesspi_add_user(const char *name, DWORD rid, const char *password, const char *groups);
FAKESSPI_API int fakesspi_add_group(const char *name, DWORD rid);
/* The current domain's kerberos_accept_any_spn switch (doc/semantics.md §41): nonzero lets every Kerberos
 * acceptor take tickets for every SPN, 0 keeps each to its own account's. A reset or a domain load sets it
 * from the domain file again. Returns 0, or -1 when no usable domain is loaded. */
FAKESSPI_API int fakesspi_kerberos_accept_any_spn(int on);

/* The process's own user (FAKESSPI_USER): OpenProcessToken and GetUserName use it.
 * Returns 0, or -1 if the user is not in the domain. */
FAKESSPI_API int fakesspi_set_process_user(const char *name);

/* STATIC per thread: the message of the last control call that failed, or "". */
FAKESSPI_API const char *fakesspi_last_message(void);

FAKESSPI_API void fakesspi_get_counts(fakesspi_counts *out);
FAKESSPI_API size_t fakesspi_misuse_count(fakesspi_misuse_kind kind);

/* Reports every live OWNED handle and unfreed block (each report starts "fakesspi: LEAK ").
 * Returns how many there were. The same check runs at exit. */
FAKESSPI_API size_t fakesspi_check_leaks(void);

/* Called after each misuse is counted, before the policy applies. report: the full text, valid
 * only during the call. A test framework records it or fails the test. */
typedef void (*fakesspi_misuse_callback)(fakesspi_misuse_kind kind, const char *report, void *arg);
FAKESSPI_API void fakesspi_set_misuse_callback(fakesspi_misuse_callback callback, void *arg);
FAKESSPI_API void fakesspi_set_misuse_policy(fakesspi_misuse_policy policy);

/* Handle values: 0 = never reuse a value (default), 1 = reuse freed values at once, as Windows does. */
FAKESSPI_API void fakesspi_set_handle_reuse(int windows_style);
/* The misuse amplifier (FAKESSPI_STRICT=1), a test mode: a new CtxtHandle value on every continuation
 * leg (the old one closed), freed handle values handed straight back, output token buffers filled with
 * garbage (0xCD) before the token. Windows allows all of it; careless callers break at once. */
FAKESSPI_API void fakesspi_set_strict(int enabled);
/* NEW string (free()): everything the handle-history ring (FAKESSPI_HTRACE_EVENTS, default 4096 events)
 * holds about a handle value, oldest first, as WinDbg's !htrace shows it: opened, lent, duplicated,
 * closed, revoked, misused, each with its event number, thread, function and stack. The value is the
 * HANDLE itself for tokens and dwUpper for a CredHandle or CtxtHandle; a value reused by Windows-style
 * recycling shows every object that held it. NULL when the ring holds nothing about the value. */
FAKESSPI_API char *fakesspi_handle_history(uintptr_t value);
/* Record a backtrace with every handle's origin (default on; FAKESSPI_BACKTRACE=0 turns it off). */
FAKESSPI_API void fakesspi_set_backtraces(int enabled);

/* The virtual clock (FAKESSPI_CLOCK=fixed, the default): every TimeStamp, lifespan and NTLM timestamp
 * reads it. Times are FILETIMEs: 100 ns units since 1601-01-01 UTC. Tests reach expiry by moving it. */
#define FAKESSPI_CLOCK_EPOCH 133801632000000000ull /* 2025-01-01T00:00:00Z, where fixed time starts */
#define FAKESSPI_SECONDS(n) ((int64_t)(n) * 10000000)
FAKESSPI_API uint64_t fakesspi_clock_now(void);
FAKESSPI_API void fakesspi_clock_set(uint64_t filetime);
/* Moves the virtual clock; it stops at 1601-01-01 and at the largest FILETIME rather than wrapping. */
FAKESSPI_API void fakesspi_clock_advance(int64_t hundred_ns);
/* 1: read the system clock from now on (FAKESSPI_CLOCK=real); 0: back to the virtual one. */
FAKESSPI_API void fakesspi_clock_use_real(int real);

/* A point to compare against: what was live and counted then. */
typedef struct fakesspi_snapshot {
    uint64_t event;           /* the last event number when it was taken */
    fakesspi_counts counts;
} fakesspi_snapshot;
FAKESSPI_API void fakesspi_snapshot_take(fakesspi_snapshot *snapshot);
/* NEW string (free()) listing what happened since the snapshot and is not clean: every OWNED handle
 * opened since and still open and every block handed out since and not freed, each with the place
 * that made it, and the misuse counted since, by kind. NULL when all is clean. */
FAKESSPI_API char *fakesspi_check_since(const fakesspi_snapshot *snapshot);

/* Fault injection (FAKESSPI_FAULTS takes the same text). Items, comma-separated:
 *   alloc#N            the Nth allocation from now fails (alloc#N+ : that one and all after it)
 *   token#N[@OFFSET]   the Nth token InitializeSecurityContext/AcceptSecurityContext hands out from now
 *                      has one byte inverted: byte OFFSET (the last one if OFFSET is past the end), or
 *                      the middle one; the peer then sees what a damaged network would give it
 *   Function#N=NAME    the Nth call of Function returns NAME: a failing SEC_E_ status for SSPI
 *                      functions, a failing STATUS_ NTSTATUS for the LSA's (ntsecapi.h), or an
 *                      ERROR_ last error for Win32 ones (which return FALSE); or a number for a status
 *                      the tables do not name (0x800903FF, 0xC0000022, 1326): a 32-bit value that fails
 *                      the way the function fails (severity bit set for SSPI and LSA, non-zero for Win32)
 * Functions: every exported SSPI, LSA and Win32 function that can fail on Windows (AcquireCredentialsHandleA/W,
 * InitializeSecurityContextA/W, AcceptSecurityContext, LsaLogonUser, LsaLookupNames2, LogonUserA/W,
 * OpenProcessToken, CheckTokenMembership, CloseHandle, ...); not the accessors that cannot (GetLastError,
 * GetLengthSid, ...). fakesspi_fault_call takes the value itself, of the function's family. The GSSAPI module
 * (doc/gssapi.md) reads FAKESSPI_FAULTS too: there gss_init_sec_context, gss_wrap, ... (every gss_* call it
 * answers) take a GSS_S_ routine or calling error by name or number (gss_unwrap#1=GSS_S_BAD_SIG, 0xD0000).
 * One fault per function, one alloc# and one token# at a time: a text that arms the same target twice is
 * refused. An unknown function or name is refused: -1 and fakesspi_last_message() says which; nothing is armed. */
FAKESSPI_API int fakesspi_faults(const char *spec);
FAKESSPI_API void fakesspi_fault_alloc(uint64_t nth);
FAKESSPI_API int fakesspi_fault_call(const char *function, uint64_t nth, int64_t value);
/* token#N@offset; offset -1 picks the middle byte. */
FAKESSPI_API void fakesspi_fault_token(uint64_t nth, int64_t offset);
FAKESSPI_API void fakesspi_fault_clear(void);
/* Allocations counted since faults were last armed or cleared. */
FAKESSPI_API uint64_t fakesspi_fault_allocations(void);

/* Scripting, as Chromium's MockSSPILibrary users know it: drive a caller's rare branches without a
 * real peer. The next `count` calls of function (after those already scripted for it) skip the
 * emulation and return `value`; the trace marks each "(scripted)". function: an exported name, or an
 * A/W pair's stem ("InitializeSecurityContext" scripts A and W alike, in one queue). value: a status
 * for SSPI functions, an NTSTATUS for the LSA's, a last error for Win32 ones, which then return FALSE/NULL.
 * InitializeSecurityContext and AcceptSecurityContext may be given any status, a success
 * (SEC_E_OK, SEC_I_CONTINUE_NEEDED, ...) included, and a token (token_len bytes; NULL: none): a
 * scripted success makes the context (a first leg hands out a new handle the caller must delete; the
 * package is not run, so only the handle's life and the token are real) and writes the token into
 * the caller's SECBUFFER_TOKEN output as the package would: into new memory under
 * ISC_REQ_ALLOCATE_MEMORY/ASC_REQ_ALLOCATE_MEMORY (freed with FreeContextBuffer), else into the
 * caller's buffer, failing with SEC_E_BUFFER_TOO_SMALL when it is too small (which still uses up
 * that scripted call). A scripted failure makes no context and writes nothing. Other functions take
 * only failures (as fault injection does) and no token. Returns 0, or -1 with fakesspi_last_message()
 * naming what is wrong (nothing is queued). A reset or fakesspi_script_clear() empties the script. */
FAKESSPI_API int fakesspi_script_call(const char *function, uint64_t count, int64_t value, const void *token,
                                      size_t token_len);
/* From now on (until a reset or fakesspi_script_clear()) QuerySecurityPackageInfoA/W report
 * cbMaxToken for package, their trace line marked "(scripted)". -1 for an unknown package. */
FAKESSPI_API int fakesspi_script_max_token(const char *package, ULONG cbMaxToken);
/* Scripted calls not yet made, for function (a name or a stem) or, with NULL, for every function:
 * a test asserts 0 at its end, as MockSSPILibrary's destructor does. */
FAKESSPI_API uint64_t fakesspi_script_pending(const char *function);
FAKESSPI_API void fakesspi_script_clear(void);

/* STATIC names: "SEC_E_OK", "ERROR_NO_TOKEN", "CLOSE_BORROWED"; unknown values give NULL.
 * fakesspi_status_name names the LSA's NTSTATUS values too ("STATUS_NO_MEMORY"); 0 is "SEC_E_OK". */
FAKESSPI_API const char *fakesspi_status_name(LONG status);
FAKESSPI_API const char *fakesspi_error_name(DWORD error);
FAKESSPI_API const char *fakesspi_misuse_name(fakesspi_misuse_kind kind);

FAKESSPI_END_DECLS

#endif
