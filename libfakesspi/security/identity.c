/* Process and thread identity; a thread that exits while impersonating is reported. */
#include "identity.h"

#include <pthread.h>
#include <stddef.h>

#include "core/fork_gate.h"
#include "core/misuse.h"
#include "domain_current.h"
#include "logon.h"
#include "privileges.h"
#include "winbase.h"

static pthread_mutex_t process_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fs_token *process_token;

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_key;

/* Runs outside any call, so it passes the fork gate itself: a fork must not find it holding a lock. */
static void thread_exit(void *value)
{
    fs_fork_gate_enter();
    struct fs_token *t = value;
    struct fs_misuse_detail d = {
        .windows = "the impersonation ends with the thread; code that relied on reverting never ran",
    };
    fs_misuse(FAKESSPI_MISUSE_THREAD_EXIT_IMPERSONATING, "thread exit", &d);
    fs_token_unref(t);
    fs_fork_gate_leave();
}

static void make_key(void) { pthread_key_create(&thread_key, thread_exit); }

fs_err fs_process_token_set_user(const char *name)
{
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d ? fs_domain_find_user(d, name) : NULL;
    struct fs_token *t = NULL;
    fs_err err = FS_E_NO_SUCH_USER;
    if (u) {
        struct fs_logon_request req = {
            .logon_type = LOGON32_LOGON_INTERACTIVE,
            .source = "User32",
            .token_type = TokenPrimary,
            .session_id = 1,
        };
        err = fs_logon_build(d, u, &req, &t);
    }
    fs_domain_release();
    if (err != FS_OK)
        return err;
    pthread_mutex_lock(&process_lock);
    struct fs_token *old = process_token;
    process_token = t;
    pthread_mutex_unlock(&process_lock);
    fs_token_unref(old);
    return FS_OK;
}

void fs_process_token_clear(void)
{
    pthread_mutex_lock(&process_lock);
    struct fs_token *old = process_token;
    process_token = NULL;
    pthread_mutex_unlock(&process_lock);
    fs_token_unref(old);
}

struct fs_token *fs_process_token(void)
{
    pthread_mutex_lock(&process_lock);
    struct fs_token *t = process_token ? fs_token_ref(process_token) : NULL;
    pthread_mutex_unlock(&process_lock);
    return t;
}

struct fs_token *fs_thread_token(void)
{
    pthread_once(&key_once, make_key);
    struct fs_token *t = pthread_getspecific(thread_key);
    return t ? fs_token_ref(t) : NULL;
}

struct fs_token *fs_effective_token(void)
{
    struct fs_token *t = fs_thread_token();
    return t ? t : fs_process_token();
}

static void set_thread_token(struct fs_token *t)
{
    pthread_once(&key_once, make_key);
    struct fs_token *old = pthread_getspecific(thread_key);
    pthread_setspecific(thread_key, t);
    fs_token_unref(old);
}

/* Windows (since 2003 SP1) grants full impersonation only if the caller holds
 * SeImpersonatePrivilege, the token is the caller's own user, or the token came from an
 * explicit logon (LogonUser); otherwise the thread silently gets an Identification-level
 * token and the call still succeeds (doc/semantics.md §14). */
static int may_impersonate_fully(const struct fs_token *t)
{
    if (t->from_explicit_logon)
        return 1;
    struct fs_token *self = fs_process_token();
    int ok = self && (fs_sid_equal(&self->user, &t->user) ||
                      fs_token_has_enabled_privilege(self, fs_privilege_luid("SeImpersonatePrivilege")));
    fs_token_unref(self);
    return ok;
}

fs_err fs_impersonate(struct fs_token *token)
{
    int level = token->type == TokenPrimary ? SecurityImpersonation : token->level;
    if (level > SecurityIdentification && !may_impersonate_fully(token))
        level = SecurityIdentification;
    struct fs_token *t;
    if (token->type == TokenImpersonation && level == token->level) {
        t = fs_token_ref(token);
    } else {
        fs_err err = fs_token_duplicate(token, TokenImpersonation, level, &t);
        if (err != FS_OK)
            return err;
    }
    set_thread_token(t);
    return FS_OK;
}

void fs_revert_to_self(void) { set_thread_token(NULL); }
