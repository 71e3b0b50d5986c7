/* The script: a queue of chosen results per function, and chosen cbMaxToken values per package. */
#include "script.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fault.h"

struct step {
    struct step *next;
    char function[64]; /* as given: a name, or an A/W pair's stem */
    uint64_t left;
    int64_t value;
    int fails;
    uint8_t *token; /* NULL: no token (an empty one for the token functions) */
    size_t len;
};

struct max_token {
    struct max_token *next;
    char package[32];
    uint32_t value;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct step *steps, **steps_tail = &steps;
static struct max_token *max_tokens;
static int armed; /* a cheap test on the hot path */

/* Does the script entry `function` cover the call `api`: the same name, or its stem plus A or W. */
static int covers(const char *function, const char *api)
{
    size_t n = strlen(function);
    return !strncmp(function, api, n) && (api[n] == '\0' || ((api[n] == 'A' || api[n] == 'W') && !api[n + 1]));
}

/* The exported functions a script entry names, by what fault injection knows of them. */
static int resolve(const char *function, const struct fs_fault_function **first, int *tokens)
{
    static const char suffix[][2] = {"", "A", "W"};
    int found = 0;
    *tokens = 1;
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char name[80];
        snprintf(name, sizeof name, "%s%s", function, suffix[i]);
        const struct fs_fault_function *fn = fs_fault_function_find(name);
        if (!fn)
            continue;
        if (!found++)
            *first = fn;
        *tokens = *tokens && fn->hands_out_token;
    }
    return found;
}

int fs_script_arm(const char *function, uint64_t count, int64_t value, const void *token, size_t len,
                  char *message, size_t cap)
{
    const struct fs_fault_function *fn = NULL;
    int tokens = 0;
    if (!function || strlen(function) >= sizeof ((struct step *)0)->function || !resolve(function, &fn, &tokens)) {
        snprintf(message, cap, "'%s' is not a function that can be scripted (every SSPI, LSA and Win32 function "
                 "that can fail on Windows can)", function ? function : "(null)");
        return -1;
    }
    int fails = fs_fault_value_fails(fn, value);
    if (count == 0) {
        snprintf(message, cap, "%s: script at least one call", function);
        return -1;
    }
    if (!tokens && !fails) {
        snprintf(message, cap, "%s: only InitializeSecurityContext and AcceptSecurityContext can be scripted to "
                 "succeed; %s takes %s", function, function, fs_fault_family_failure(fn->family));
        return -1;
    }
    if (token && !tokens) {
        snprintf(message, cap, "%s hands out no token; only InitializeSecurityContext and AcceptSecurityContext "
                 "take one", function);
        return -1;
    }
    struct step *s = calloc(1, sizeof *s); /* the script's own memory: never failed, never a leak of the caller's */
    uint8_t *copy = token ? malloc(len ? len : 1) : NULL;
    if (!s || (token && !copy)) {
        free(s);
        free(copy);
        snprintf(message, cap, "out of memory");
        return -1;
    }
    snprintf(s->function, sizeof s->function, "%s", function);
    s->left = count;
    s->value = value;
    s->fails = fails;
    if (copy)
        memcpy(copy, token, len);
    s->token = copy;
    s->len = len;
    pthread_mutex_lock(&lock);
    *steps_tail = s;
    steps_tail = &s->next;
    __atomic_store_n(&armed, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&lock);
    return 0;
}

int fs_script_take(const char *api, int64_t *value, int *fails, struct fs_writer *token)
{
    if (!__atomic_load_n(&armed, __ATOMIC_RELAXED))
        return 0;
    pthread_mutex_lock(&lock);
    struct step **at = &steps;
    while (*at && !covers((*at)->function, api))
        at = &(*at)->next;
    struct step *s = *at;
    if (s) {
        *value = s->value;
        *fails = s->fails;
        if (s->token)
            fs_write_bytes(token, s->token, s->len); /* a failed copy marks the writer failed */
        if (--s->left == 0) {
            *at = s->next;
            if (steps_tail == &s->next)
                steps_tail = at;
            free(s->token);
            free(s);
        }
    }
    pthread_mutex_unlock(&lock);
    return s != NULL;
}

uint64_t fs_script_pending(const char *function)
{
    uint64_t n = 0;
    pthread_mutex_lock(&lock);
    for (struct step *s = steps; s; s = s->next)
        if (!function || covers(s->function, function) || covers(function, s->function))
            n += s->left;
    pthread_mutex_unlock(&lock);
    return n;
}

int fs_script_arm_max_token(const char *package, uint32_t value)
{
    if (!package || strlen(package) >= sizeof ((struct max_token *)0)->package)
        return -1;
    pthread_mutex_lock(&lock);
    struct max_token *m = max_tokens;
    while (m && strcasecmp(m->package, package))
        m = m->next;
    if (!m && (m = calloc(1, sizeof *m))) {
        snprintf(m->package, sizeof m->package, "%s", package);
        m->next = max_tokens;
        max_tokens = m;
    }
    if (m)
        m->value = value;
    __atomic_store_n(&armed, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&lock);
    return m ? 0 : -1;
}

int fs_script_max_token(const char *package, uint32_t *value)
{
    if (!__atomic_load_n(&armed, __ATOMIC_RELAXED) || !package)
        return 0;
    pthread_mutex_lock(&lock);
    struct max_token *m = max_tokens;
    while (m && strcasecmp(m->package, package))
        m = m->next;
    if (m)
        *value = m->value;
    pthread_mutex_unlock(&lock);
    return m != NULL;
}

void fs_script_clear(void)
{
    pthread_mutex_lock(&lock);
    while (steps) {
        struct step *s = steps;
        steps = s->next;
        free(s->token);
        free(s);
    }
    steps_tail = &steps;
    while (max_tokens) {
        struct max_token *m = max_tokens;
        max_tokens = m->next;
        free(m);
    }
    __atomic_store_n(&armed, 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&lock);
}
