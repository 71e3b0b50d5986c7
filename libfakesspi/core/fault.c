/* The fault table: armed allocations and calls, counted under one lock. */
#include "fault.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "trace.h"

/* The functions whose calls can be failed, registered by the layers that export them: every one
 * checks fs_fault_call() on entry. At most MAX_FUNCTIONS. */
#define MAX_FUNCTIONS 600
static const struct fs_fault_function *functions[MAX_FUNCTIONS];
/* The table only grows (each layer adds its functions at start-up, the GSSAPI module from its constructor), and an
 * entry is written before the count that makes it visible is published (release, under lock) and read (acquire):
 * fs_fault_call, on every call's hot path, reads the table without the lock. */
static size_t nfunctions;

struct call_fault {
    uint64_t nth;   /* 0: none armed */
    int64_t value;
    uint64_t calls;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t alloc_count, alloc_nth;
static int alloc_and_after;
static struct call_fault calls[MAX_FUNCTIONS];
static uint64_t token_count, token_nth;
static int64_t token_offset; /* -1: the middle byte */
static int armed; /* a cheap test on the hot path */

static int hook_index(const char *function)
{
    size_t n = __atomic_load_n(&nfunctions, __ATOMIC_ACQUIRE);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(function, functions[i]->name))
            return (int)i;
    return -1;
}

void fs_fault_add_functions(const struct fs_fault_function *table, size_t n)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n && nfunctions < MAX_FUNCTIONS; i++)
        if (hook_index(table[i].name) < 0) {
            functions[nfunctions] = &table[i];
            __atomic_store_n(&nfunctions, nfunctions + 1, __ATOMIC_RELEASE);
        }
    pthread_mutex_unlock(&lock);
}

const struct fs_fault_function *fs_fault_function_find(const char *name)
{
    int i = hook_index(name);
    return i < 0 ? NULL : functions[i];
}

int fs_fault_value_fails(const struct fs_fault_function *fn, int64_t value)
{
    switch (fn->family) {
    case FS_FAULT_WIN32:
        return value != 0;
    case FS_FAULT_GSS:
        return ((uint32_t)value & 0xFFFF0000u) != 0; /* GSS_ERROR(): RFC 2744 section 3.9.1 */
    case FS_FAULT_SSPI:
    case FS_FAULT_NT:
        break;
    }
    return (int32_t)value < 0;
}

int fs_fault_alloc_fails(void)
{
    if (!__atomic_load_n(&armed, __ATOMIC_RELAXED))
        return 0;
    pthread_mutex_lock(&lock);
    uint64_t n = ++alloc_count;
    int fail = alloc_nth && (n == alloc_nth || (alloc_and_after && n > alloc_nth));
    pthread_mutex_unlock(&lock);
    if (fail) {
        char note[48];
        snprintf(note, sizeof note, "FAULT alloc#%llu", (unsigned long long)n);
        fs_trace_note(note); /* the call whose allocation failed says which one */
    }
    return fail;
}

int fs_fault_call(const char *function, int64_t *value)
{
    if (!__atomic_load_n(&armed, __ATOMIC_RELAXED))
        return 0;
    int i = hook_index(function);
    if (i < 0)
        return 0;
    pthread_mutex_lock(&lock);
    struct call_fault *c = &calls[i];
    int fail = c->nth && ++c->calls == c->nth;
    if (fail)
        *value = c->value;
    pthread_mutex_unlock(&lock);
    return fail;
}

void fs_fault_corrupt_token(void *token, size_t len)
{
    if (!__atomic_load_n(&armed, __ATOMIC_RELAXED) || len == 0)
        return;
    pthread_mutex_lock(&lock);
    int hit = token_nth && ++token_count == token_nth;
    size_t at = token_offset < 0 ? len / 2 : (size_t)token_offset < len ? (size_t)token_offset : len - 1;
    pthread_mutex_unlock(&lock);
    if (hit) {
        ((unsigned char *)token)[at] ^= 0xFF;
        char note[64];
        snprintf(note, sizeof note, "FAULT token byte %zu inverted", at);
        fs_trace_note(note);
    }
}

void fs_fault_arm_token(uint64_t nth, int64_t offset)
{
    pthread_mutex_lock(&lock);
    token_count = 0;
    token_nth = nth;
    token_offset = offset;
    __atomic_store_n(&armed, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&lock);
}

void fs_fault_arm_alloc(uint64_t nth, int and_after)
{
    pthread_mutex_lock(&lock);
    alloc_count = 0;
    alloc_nth = nth;
    alloc_and_after = and_after;
    __atomic_store_n(&armed, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&lock);
}

int fs_fault_arm_call(const char *function, uint64_t nth, int64_t value)
{
    int i = function ? hook_index(function) : -1;
    if (i < 0 || nth == 0)
        return -1;
    pthread_mutex_lock(&lock);
    calls[i] = (struct call_fault){nth, value, 0};
    __atomic_store_n(&armed, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&lock);
    return 0;
}

void fs_fault_clear(void)
{
    pthread_mutex_lock(&lock);
    alloc_count = alloc_nth = 0;
    alloc_and_after = 0;
    token_count = token_nth = 0;
    memset(calls, 0, sizeof calls);
    __atomic_store_n(&armed, 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&lock);
}

uint64_t fs_fault_allocations(void)
{
    pthread_mutex_lock(&lock);
    uint64_t n = alloc_count;
    pthread_mutex_unlock(&lock);
    return n;
}

const char *fs_fault_family_failure(enum fs_fault_family family)
{
    switch (family) {
    case FS_FAULT_SSPI:
        return "a failing SEC_E_ status";
    case FS_FAULT_NT:
        return "a failing STATUS_ NTSTATUS";
    case FS_FAULT_GSS:
        return "a GSS_S_ routine or calling error";
    case FS_FAULT_WIN32:
        break;
    }
    return "a non-zero ERROR_ code";
}

/* A failure by name for fn: -1 for no such name, 1 for a success (SEC_E_OK, SEC_I_..., STATUS_SUCCESS,
 * STATUS_SOME_NOT_MAPPED, ERROR_SUCCESS, GSS_S_COMPLETE, GSS_S_CONTINUE_NEEDED), which is no fault, 2 for a
 * name of another family (an SSPI function fails with a SEC_E_ status, an LSA one with a STATUS_ NTSTATUS, a
 * Win32 one with an ERROR_ code, a gss_* one with a GSS_S_ error), 0 for a failure it can report. */
static int value_by_name(const struct fs_fault_function *fn, const char *name, int64_t *value)
{
    int64_t found;
    enum fs_fault_family family;
    if (fs_status_by_name(name, &found) == 0)
        family = FS_FAULT_SSPI;
    else if (fs_nt_status_by_name(name, &found) == 0)
        family = FS_FAULT_NT;
    else if (fs_error_by_name(name, &found) == 0)
        family = FS_FAULT_WIN32;
    else if (fs_gss_major_by_name(name, &found) == 0)
        family = FS_FAULT_GSS;
    else
        return -1;
    struct fs_fault_function as_found = {name, family, 0};
    if (!fs_fault_value_fails(&as_found, found))
        return 1;
    if (family != fn->family)
        return 2;
    *value = found;
    return 0;
}

/* A failure by number for fn, for a status the tables do not name (a vendor's SEC_E_, an NTSTATUS the library
 * never returns, a GSS major status with a supplementary bit): 0x and 1 to 8 hex digits, or decimal digits, with
 * nothing after. The number must fit 32 bits and fail the way fn fails: an SSPI or LSA function with a value whose
 * severity bit is set (0x8.......-0xF.......), a Win32 one with any non-zero code (doc/semantics.md §47), a gss_*
 * one with a routine or calling error (doc/semantics.md §67). Returns -1 for no number, 1 for a success, 0 for a
 * failure. */
static int value_by_number(const struct fs_fault_function *fn, const char *text, int64_t *value)
{
    int hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    const char *digits = hex ? text + 2 : text;
    size_t n = strspn(digits, hex ? "0123456789abcdefABCDEF" : "0123456789");
    if (n == 0 || digits[n] || (hex && n > 8) || (!hex && n > 10))
        return -1;
    unsigned long long v = strtoull(digits, NULL, hex ? 16 : 10);
    if (v > UINT32_MAX)
        return -1;
    int64_t as_family = fn->family == FS_FAULT_WIN32 || fn->family == FS_FAULT_GSS ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
    if (!fs_fault_value_fails(fn, as_family))
        return 1;
    *value = as_family;
    return 0;
}

/* A count from 1: decimal digits only (no sign, no space, no overflow). Returns where it stopped, or NULL. */
static char *parse_count(const char *text, uint64_t *out)
{
    if (*text < '0' || *text > '9')
        return NULL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || v == 0)
        return NULL;
    *out = v;
    return end;
}

/* One item of a FAKESSPI_FAULTS text, parsed and not yet armed. */
struct armed_item {
    char what;   /* 'a' an allocation, 't' a token (value = offset, -1 the middle), 'c' a call */
    uint64_t nth;
    int after;   /* alloc#N+: that allocation and every later one */
    int index;   /* the function, for 'c' */
    int64_t value;
};

static int armed_twice(const struct armed_item *items, int n, char what, int index)
{
    for (int i = 0; i < n; i++)
        if (items[i].what == what && items[i].index == index)
            return 1;
    return 0;
}

int fs_fault_arm(const char *spec, char *message, size_t cap)
{
    char *copy = strdup(spec);
    if (!copy) {
        snprintf(message, cap, "out of memory");
        return -1;
    }
    enum { MAX_ITEMS = 32 };
    struct armed_item items[MAX_ITEMS];
    int n = 0, rc = 0;
    char *save = NULL;
    /* One fault per target at a time (the table keeps one count each): a second in the same text would
     * silently replace the first, so it is refused. */
#define TWICE "%s#%s: one fault per %s at a time, and this text arms a second"
    for (char *item = strtok_r(copy, ",", &save); item && rc == 0; item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        if (n == MAX_ITEMS) {
            snprintf(message, cap, "more than %d faults at once", MAX_ITEMS);
            rc = -1;
            break;
        }
        char *hash = strchr(item, '#');
        if (!hash) {
            snprintf(message, cap, "'%s' is not a fault (alloc#N, token#N[@OFFSET], or Function#N=STATUS)", item);
            rc = -1;
            break;
        }
        *hash = '\0';
        uint64_t nth = 0;
        char *end = parse_count(hash + 1, &nth);
        if (!end) { /* a sign, a space, nothing, 0, or more than 2^64-1 */
            nth = 0;
            end = hash + 1;
        }
        if (!strcmp(item, "alloc")) {
            int after = *end == '+';
            if (nth == 0 || (*end && !(after && !end[1]))) {
                snprintf(message, cap, "alloc#%s: the count must be a number from 1, optionally followed by +", hash + 1);
                rc = -1;
                break;
            }
            if (armed_twice(items, n, 'a', -1)) {
                snprintf(message, cap, TWICE, item, hash + 1, "allocation count");
                rc = -1;
                break;
            }
            items[n++] = (struct armed_item){'a', nth, after, -1, 0};
            continue;
        }
        if (!strcmp(item, "token")) {
            long long offset = -1;
            if (nth && *end == '@') {
                char *stop;
                errno = 0;
                offset = strtoll(end + 1, &stop, 10);
                end = end[1] >= '0' && end[1] <= '9' && !*stop && !errno ? stop : end;
            }
            if (nth == 0 || *end) {
                snprintf(message, cap, "token#%s: write token#N or token#N@OFFSET (N from 1, OFFSET a byte number)",
                         hash + 1);
                rc = -1;
                break;
            }
            if (armed_twice(items, n, 't', -1)) {
                snprintf(message, cap, TWICE, item, hash + 1, "token count");
                rc = -1;
                break;
            }
            items[n++] = (struct armed_item){'t', nth, 0, -1, offset};
            continue;
        }
        int index = hook_index(item);
        if (index < 0) {
            snprintf(message, cap, "'%s' is not a function faults can be injected into (every SSPI, LSA and Win32 "
                     "function that can fail on Windows can)", item);
            rc = -1;
        } else if (nth == 0 || *end != '=') {
            snprintf(message, cap, "%s#%s: write %s#N=STATUS", item, hash + 1, item);
            rc = -1;
        } else {
            int64_t value;
            int kind = value_by_name(functions[index], end + 1, &value);
            if (kind < 0)
                kind = value_by_number(functions[index], end + 1, &value);
            if (kind < 0) {
                snprintf(message, cap, "'%s' is not a status or error name, nor a 32-bit number (0x8009030C, 1326)",
                         end + 1);
                rc = -1;
            } else if (kind == 2) {
                snprintf(message, cap, "%s#%llu=%s: %s fails with %s", item, (unsigned long long)nth, end + 1, item,
                         fs_fault_family_failure(functions[index]->family));
                rc = -1;
            } else if (kind > 0) {
                snprintf(message, cap, "%s#%llu: '%s' is a success, not a fault", item, (unsigned long long)nth, end + 1);
                rc = -1;
            } else if (armed_twice(items, n, 'c', index)) {
                snprintf(message, cap, TWICE, item, hash + 1, "function");
                rc = -1;
            } else {
                items[n++] = (struct armed_item){'c', nth, 0, index, value};
            }
        }
    }
#undef TWICE
    free(copy);
    if (rc)
        return -1;
    for (int i = 0; i < n; i++) {
        if (items[i].what == 'a')
            fs_fault_arm_alloc(items[i].nth, items[i].after);
        else if (items[i].what == 't')
            fs_fault_arm_token(items[i].nth, items[i].value);
        else
            fs_fault_arm_call(functions[items[i].index]->name, items[i].nth, items[i].value);
    }
    return 0;
}
