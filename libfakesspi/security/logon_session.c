/* The logon sessions: lists of the live ones, each held by its tokens, and the four well-known ones answered from
 * the domain (doc/semantics.md §48). Every network logon begins one and its last token ends it, so two threads doing
 * handshakes each did both at every handshake under one lock: the live sessions are kept in shards, one per
 * logical thread (modulo NSHARDS), each under its own lock on its own cache line. A session stays in the shard
 * of the thread that began it; listing takes every shard's lock. */
#include "logon_session.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/cacheline.h"
#include "core/clock.h"
#include "core/origin.h"
#include "domain_current.h"
#include "luid.h"

#define NSHARDS 8u

struct fs_logon_session {
    struct fs_logon_session_info info;
    size_t refs; /* its live tokens; under its shard's lock */
    struct shard *shard;
    struct fs_logon_session *prev, *next;
};

struct shard {
    _Alignas(FS_CACHELINE) pthread_mutex_t lock;
    struct fs_logon_session *first, *last;
    size_t live;
};

#define SHARD {PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0}
static struct shard shards[NSHARDS] = {SHARD, SHARD, SHARD, SHARD, SHARD, SHARD, SHARD, SHARD};
#undef SHARD

static void lock_all(void)
{
    for (unsigned i = 0; i < NSHARDS; i++)
        pthread_mutex_lock(&shards[i].lock);
}

static void unlock_all(void)
{
    for (unsigned i = NSHARDS; i-- > 0;)
        pthread_mutex_unlock(&shards[i].lock);
}

void fs_logon_session_info_free(struct fs_logon_session_info *info)
{
    char **strings[] = {&info->user, &info->domain, &info->package, &info->logon_server, &info->dns_domain,
                        &info->upn};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        free(*strings[i]);
        *strings[i] = NULL;
    }
}

static int complete(const struct fs_logon_session_info *info)
{
    return info->user && info->domain && info->package && info->logon_server && info->dns_domain && info->upn;
}

fs_err fs_logon_session_begin(struct fs_logon_session_info *info, struct fs_logon_session **out)
{
    struct fs_logon_session *s = complete(info) ? fs_calloc(1, sizeof *s) : NULL;
    if (!s) {
        fs_logon_session_info_free(info);
        return FS_E_NOMEM;
    }
    s->info = *info;
    memset(info, 0, sizeof *info);
    s->refs = 1;
    struct shard *sh = s->shard = &shards[fs_logical_thread() % NSHARDS];
    pthread_mutex_lock(&sh->lock);
    s->prev = sh->last;
    if (sh->last)
        sh->last->next = s;
    else
        sh->first = s;
    sh->last = s;
    sh->live++;
    pthread_mutex_unlock(&sh->lock);
    *out = s;
    return FS_OK;
}

void fs_logon_session_ref(struct fs_logon_session *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->shard->lock);
    s->refs++;
    pthread_mutex_unlock(&s->shard->lock);
}

static void (*end_hook)(uint64_t luid);

void fs_logon_session_set_end_hook(void (*hook)(uint64_t luid))
{
    __atomic_store_n(&end_hook, hook, __ATOMIC_RELEASE);
}

void fs_logon_session_unref(struct fs_logon_session *s)
{
    if (!s)
        return;
    struct shard *sh = s->shard;
    pthread_mutex_lock(&sh->lock);
    int ended = --s->refs == 0;
    if (ended) {
        if (s->prev)
            s->prev->next = s->next;
        else
            sh->first = s->next;
        if (s->next)
            s->next->prev = s->prev;
        else
            sh->last = s->prev;
        sh->live--;
    }
    pthread_mutex_unlock(&sh->lock);
    if (!ended)
        return;
    void (*hook)(uint64_t) = __atomic_load_n(&end_hook, __ATOMIC_ACQUIRE);
    if (hook) /* outside the lock: the hook takes the packages' own locks */
        hook(s->info.luid);
    fs_logon_session_info_free(&s->info);
    free(s);
}

/* The sessions Windows begins at boot, listed first: SYSTEM's, the anonymous logon's, LOCAL SERVICE's and
 * NETWORK SERVICE's. SYSTEM and NETWORK SERVICE act on the network as the computer's account (DOMAIN\HOST$). */
static const struct {
    uint64_t luid;
    const char *sid, *user, *domain, *package; /* user and domain NULL: the computer's account */
    uint32_t logon_type;
} wellknown[] = {
    {FS_LUID_SYSTEM, "S-1-5-18", NULL, NULL, "Negotiate", 0},
    {FS_LUID_ANONYMOUS, "S-1-5-7", "ANONYMOUS LOGON", "NT AUTHORITY", "NTLM", 3 /* Network */},
    {FS_LUID_LOCAL_SERVICE, "S-1-5-19", "LOCAL SERVICE", "NT AUTHORITY", "Negotiate", 5 /* Service */},
    {FS_LUID_NETWORK_SERVICE, "S-1-5-20", NULL, NULL, "Negotiate", 5 /* Service */},
};
#define NWELLKNOWN (sizeof wellknown / sizeof wellknown[0])

static char *computer_account(const struct fs_domain *d)
{
    const char *computer = d->computer ? d->computer : "";
    size_t n = strlen(computer) + 2;
    char *name = fs_malloc(n);
    if (name)
        snprintf(name, n, "%s$", computer);
    return name;
}

static fs_err wellknown_info(size_t i, struct fs_logon_session_info *out)
{
    memset(out, 0, sizeof *out);
    const struct fs_domain *d = fs_domain_acquire();
    if (!d) {
        fs_domain_release();
        return FS_E_DOMAIN_UNUSABLE;
    }
    int machine = !wellknown[i].user;
    out->luid = wellknown[i].luid;
    out->user = machine ? computer_account(d) : fs_strdup(wellknown[i].user);
    out->domain = fs_strdup(machine ? d->netbios : wellknown[i].domain);
    out->dns_domain = fs_strdup(machine ? d->dns : "");
    fs_domain_release();
    out->package = fs_strdup(wellknown[i].package);
    out->logon_server = fs_strdup("");
    out->upn = fs_strdup("");
    fs_sid_parse_known(wellknown[i].sid, &out->sid);
    out->logon_type = wellknown[i].logon_type;
    out->logon_time = FS_CLOCK_EPOCH; /* they began at "boot": where the fixed clock starts */
    if (complete(out))
        return FS_OK;
    fs_logon_session_info_free(out);
    return FS_E_NOMEM;
}

fs_err fs_logon_session_query(uint64_t luid, struct fs_logon_session_info *out)
{
    for (size_t i = 0; i < NWELLKNOWN; i++)
        if (wellknown[i].luid == luid)
            return wellknown_info(i, out);
    memset(out, 0, sizeof *out);
    lock_all();
    const struct fs_logon_session *s = NULL;
    for (unsigned i = 0; i < NSHARDS && !s; i++)
        for (s = shards[i].first; s && s->info.luid != luid;)
            s = s->next;
    if (s) {
        *out = s->info;
        out->user = fs_strdup(s->info.user);
        out->domain = fs_strdup(s->info.domain);
        out->package = fs_strdup(s->info.package);
        out->logon_server = fs_strdup(s->info.logon_server);
        out->dns_domain = fs_strdup(s->info.dns_domain);
        out->upn = fs_strdup(s->info.upn);
    }
    unlock_all();
    if (!s)
        return FS_E_NO_SUCH_LOGON_SESSION;
    if (complete(out))
        return FS_OK;
    fs_logon_session_info_free(out);
    return FS_E_NOMEM;
}

static int by_luid(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The well-known sessions, then the live ones in the order they began: LUIDs are handed out in increasing order,
 * so sorting the shards' sessions by LUID gives it back. */
fs_err fs_logon_session_list(uint64_t **luids, size_t *n)
{
    lock_all();
    size_t live = 0;
    for (unsigned i = 0; i < NSHARDS; i++)
        live += shards[i].live;
    uint64_t *list = fs_malloc((NWELLKNOWN + live) * sizeof *list);
    size_t k = 0;
    if (list) {
        for (size_t i = 0; i < NWELLKNOWN; i++)
            list[k++] = wellknown[i].luid;
        for (unsigned i = 0; i < NSHARDS; i++)
            for (const struct fs_logon_session *s = shards[i].first; s; s = s->next)
                list[k++] = s->info.luid;
    }
    unlock_all();
    if (!list)
        return FS_E_NOMEM;
    qsort(list + NWELLKNOWN, k - NWELLKNOWN, sizeof *list, by_luid);
    *luids = list;
    *n = k;
    return FS_OK;
}
