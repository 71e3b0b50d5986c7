/* The acceptor's replay cache (RFC 4120 3.2.3): an authenticator is accepted once within the skew. */
#ifndef FS_KERBEROS_KRB_REPLAY_H
#define FS_KERBEROS_KRB_REPLAY_H

#include <stdint.h>

#include "core/clock.h"
#include "core/error.h"

/* Five minutes in FILETIME units: the skew Windows allows by default. */
#define KRB_MAX_SKEW (300ull * FS_FILETIME_PER_SECOND)

/* FS_OK and remembers the authenticator, or FS_E_LOGON_DENIED when it was seen before. now is the
 * virtual clock: entries older than twice the skew are forgotten. */
fs_err krb_replay_check(const char *client, const char *server, uint64_t ctime, uint32_t cusec, uint64_t now);
void krb_replay_reset(void);

#endif
