/* A bounded, process-wide replay cache keyed by client, service and authenticator time. */
#include "krb_replay.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096
#define KEY_MAX 320

struct seen {
    uint64_t ctime;
    uint32_t cusec;
    char key[KEY_MAX]; /* "client|server"; empty: a free slot */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct seen ring[SLOTS];
static size_t next; /* the oldest slot, overwritten next: a full cache forgets its oldest entry */

void krb_replay_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(ring, 0, sizeof ring);
    next = 0;
    pthread_mutex_unlock(&lock);
}

fs_err krb_replay_check(const char *client, const char *server, uint64_t ctime, uint32_t cusec, uint64_t now)
{
    char key[KEY_MAX];
    snprintf(key, sizeof key, "%s|%s", client, server);
    pthread_mutex_lock(&lock);
    fs_err err = FS_OK;
    for (size_t i = 0; i < SLOTS; i++) {
        const struct seen *s = &ring[i];
        /* Times first: cheap, and they rarely match. An entry outside twice the skew cannot be
         * replayed any more (the skew check refuses it), so it no longer counts. */
        if (s->ctime == ctime && s->cusec == cusec && s->key[0] && s->ctime + 2 * KRB_MAX_SKEW > now &&
            !strcmp(s->key, key)) {
            err = FS_E_LOGON_DENIED;
            break;
        }
    }
    if (err == FS_OK) {
        ring[next].ctime = ctime;
        ring[next].cusec = cusec;
        snprintf(ring[next].key, KEY_MAX, "%s", key);
        next = (next + 1) % SLOTS;
    }
    pthread_mutex_unlock(&lock);
    return err;
}
