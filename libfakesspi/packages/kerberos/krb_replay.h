/* The acceptor's replay cache (RFC 4120 3.2.3): an authenticator is accepted once within the skew. */
#ifndef FS_KERBEROS_KRB_REPLAY_H
#define FS_KERBEROS_KRB_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/error.h"

/* Five minutes in FILETIME units: the skew Windows allows by default. */
#define KRB_MAX_SKEW (300ull * FS_FILETIME_PER_SECOND)

/* The most authenticators remembered at once (about 24 MB): more logons than that within ten minutes of
 * the virtual clock are refused (SEC_E_INSUFFICIENT_MEMORY) until the oldest expire. */
#define KRB_REPLAY_MAX (1u << 20)

/* FS_OK and remembers the authenticator; FS_E_LOGON_DENIED when it was seen within the window;
 * FS_E_NOMEM when the cache is full. now is the virtual clock: an entry leaves twice the skew after it
 * came, whatever the traffic in between. */
FS_MUST_CHECK fs_err krb_replay_check(const char *client, const char *server, uint64_t ctime, uint32_t cusec, uint64_t now);
void krb_replay_reset(void);
/* For tests: a smaller bound (0 restores KRB_REPLAY_MAX), and how many entries are held. */
void krb_replay_set_limit(size_t entries);
size_t krb_replay_count(void);

#endif
