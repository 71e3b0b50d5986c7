/* Logon sessions: the four Windows starts with and one per logon this process made, alive while a token of it is
 * (doc/semantics.md §48). */
#ifndef FS_SECURITY_LOGON_SESSION_H
#define FS_SECURITY_LOGON_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"
#include "sid.h"

/* The well-known sessions' LUIDs (SYSTEM_LUID, ANONYMOUS_LOGON_LUID, LOCALSERVICE_LUID, NETWORKSERVICE_LUID). */
#define FS_LUID_ANONYMOUS 0x3e6u
#define FS_LUID_LOCAL_SERVICE 0x3e5u
#define FS_LUID_NETWORK_SERVICE 0x3e4u

/* What LsaGetLogonSessionData tells of a session. The strings are NEW (fs_logon_session_info_free). */
struct fs_logon_session_info {
    uint64_t luid;
    char *user, *domain, *package, *logon_server, *dns_domain, *upn;
    struct fs_sid sid;
    uint32_t logon_type; /* SECURITY_LOGON_TYPE (= LOGON32_LOGON_*), 0 for SYSTEM's */
    uint32_t session;    /* the terminal-services session */
    uint64_t logon_time; /* FILETIME */
    int user_logon;      /* a logon of a domain user: its profile's times ("never") apply */
};

struct fs_logon_session; /* one logon's session, held by each of its tokens */

/* Begins the session of a new logon, taking info's strings (on failure too) and leaving *info empty. The NEW
 * session has one reference: the first token's. */
FS_MUST_CHECK fs_err fs_logon_session_begin(struct fs_logon_session_info *info, struct fs_logon_session **out);
/* Another token of the session (a duplicate); NULL is a no-op. */
void fs_logon_session_ref(struct fs_logon_session *s);
/* A token of the session died; the last one ends the session. NULL is a no-op. */
void fs_logon_session_unref(struct fs_logon_session *s);

/* Called with a session's LUID when its last holder lets it go (the packages forget what they keep for it: the
 * Kerberos tickets, doc/semantics.md §49). Set once by the layer above, which may call the packages; NULL: none. */
void fs_logon_session_set_end_hook(void (*hook)(uint64_t luid));

/* The LUIDs of every session, the well-known ones first, then in the order they began: a NEW array (free()). */
FS_MUST_CHECK fs_err fs_logon_session_list(uint64_t **luids, size_t *n);
/* The session luid: FS_E_NO_SUCH_LOGON_SESSION when none has it. */
FS_MUST_CHECK fs_err fs_logon_session_query(uint64_t luid, struct fs_logon_session_info *out);
void fs_logon_session_info_free(struct fs_logon_session_info *info);

#endif
