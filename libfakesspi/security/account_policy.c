/* The domain controller's account policy: lockout after bad passwords, password age and must-change
 * (doc/semantics.md §52), on the virtual clock. */
#include "account_policy.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/utf.h"
#include "domain_current.h"

/* One lock for the lockout state of every domain: a logon holds it for a few loads and stores. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* u's state, or NULL for a user that is not in d's array (a copy the caller made). */
static struct fs_account_state *state_of(const struct fs_domain *d, const struct fs_user *u)
{
    if (u < d->users || u >= d->users + d->nusers)
        u = fs_domain_find_user_by_sid(d, &u->sid);
    return u ? &d->accounts[u - d->users] : NULL;
}

/* Under the lock: ends a lockout whose time is over, and forgets bad passwords older than the observation window
 * (MS-ADTS 3.1.1.4.5: an expired lockout and a count outside the window read as zero). */
static void age(const struct fs_domain_policy *p, struct fs_account_state *s, uint64_t now)
{
    if (s->lockout_time && p->lockout_duration && now - s->lockout_time >= p->lockout_duration) {
        s->lockout_time = 0;
        s->bad_count = 0;
    }
    if (s->bad_count && !s->lockout_time && now - s->bad_time >= p->lockout_window)
        s->bad_count = 0;
}

int fs_account_locked_out(const struct fs_domain *d, const struct fs_user *u)
{
    struct fs_account_state *s = state_of(d, u);
    if (!s || !atomic_load_explicit(&s->recorded, memory_order_acquire))
        return 0;
    pthread_mutex_lock(&lock);
    age(&d->policy, s, fs_clock_now());
    int locked = s->lockout_time != 0;
    atomic_store_explicit(&s->recorded, s->bad_count || s->lockout_time, memory_order_release);
    pthread_mutex_unlock(&lock);
    return locked;
}

/* Counts the password: FS_E_ACCOUNT_LOCKED_OUT while locked out, FS_E_WRONG_PASSWORD for a bad one. */
static fs_err count_password(const struct fs_domain *d, const struct fs_user *u, enum fs_password_proof proof)
{
    struct fs_account_state *s = state_of(d, u);
    const struct fs_domain_policy *p = &d->policy;
    if (!s)
        return proof == FS_PASSWORD_BAD ? FS_E_WRONG_PASSWORD : FS_OK;
    if (proof != FS_PASSWORD_BAD && !atomic_load_explicit(&s->recorded, memory_order_acquire))
        return FS_OK; /* nothing to age, nothing to reset */
    fs_err err = FS_OK;
    uint64_t now = fs_clock_now();
    pthread_mutex_lock(&lock);
    age(p, s, now);
    if (s->lockout_time) {
        err = FS_E_ACCOUNT_LOCKED_OUT;
    } else if (proof == FS_PASSWORD_BAD) {
        err = FS_E_WRONG_PASSWORD;
        s->bad_count++;
        s->bad_time = now;
        if (p->lockout_threshold && s->bad_count >= p->lockout_threshold)
            s->lockout_time = now ? now : 1;
    } else if (proof == FS_PASSWORD_GOOD) {
        s->bad_count = 0;
    }
    atomic_store_explicit(&s->recorded, s->bad_count || s->lockout_time, memory_order_release);
    pthread_mutex_unlock(&lock);
    return err;
}

int64_t fs_account_password_expiry(const struct fs_domain *d, const struct fs_user *u)
{
    uint64_t age = d->policy.max_password_age;
    if (!age || u->password_never_expires || u->password_last_set > (uint64_t)FS_TIME_NEVER - age)
        return FS_TIME_NEVER;
    return (int64_t)(u->password_last_set + age);
}

/* The hour of the week of a FILETIME, as logonHours counts them: 0 is Sunday 00:00-01:00 UTC. 1601-01-01 was a
 * Monday. */
static unsigned hour_of_week(uint64_t filetime)
{
    uint64_t hours = filetime / (3600 * FS_FILETIME_PER_SECOND);
    return (unsigned)((hours + 24) % (7 * 24));
}

static int may_log_on_now(const struct fs_user *u)
{
    unsigned h = hour_of_week(fs_clock_now());
    return !u->logon_hours_set || (u->logon_hours[h / 8] >> (h % 8) & 1);
}

/* userWorkstations: the computer's NetBIOS name, compared as Windows compares names (case-insensitively). */
static int may_log_on_from(const struct fs_domain *d, const struct fs_user *u, const char *workstation)
{
    if (!u->nworkstations)
        return 1;
    const char *from = workstation ? workstation : d->computer;
    for (size_t i = 0; from && i < u->nworkstations; i++)
        if (!fs_ascii_casecmp(u->workstations[i], from))
            return 1;
    return 0;
}

fs_err fs_account_verdict(const struct fs_domain *d, const struct fs_user *u, enum fs_password_proof proof)
{
    return fs_account_verdict_from(d, u, proof, NULL);
}

fs_err fs_account_verdict_from(const struct fs_domain *d, const struct fs_user *u, enum fs_password_proof proof,
                               const char *workstation)
{
    fs_err err = count_password(d, u, proof);
    if (err != FS_OK)
        return err;
    if (u->disabled)
        return FS_E_ACCOUNT_DISABLED;
    if (u->expired)
        return FS_E_ACCOUNT_EXPIRED;
    if (!may_log_on_now(u))
        return FS_E_INVALID_LOGON_HOURS;
    if (!may_log_on_from(d, u, workstation))
        return FS_E_INVALID_WORKSTATION;
    if (proof == FS_PASSWORD_NONE)
        return FS_OK; /* S4U: no password was used, so its age does not matter */
    if (u->must_change_password)
        return FS_E_PASSWORD_MUST_CHANGE;
    if ((uint64_t)fs_account_password_expiry(d, u) <= fs_clock_now())
        return FS_E_PASSWORD_EXPIRED;
    return FS_OK;
}

fs_err fs_account_protocol_verdict(const struct fs_domain *d, const struct fs_user *u, enum fs_logon_protocol protocol)
{
    if (protocol != FS_LOGON_NTLM)
        return FS_OK;
    if (d->policy.ntlm_disabled)
        return FS_E_NTLM_BLOCKED; /* "Restrict NTLM: NTLM authentication in this domain": Deny all */
    if (u->protected_user)
        return FS_E_ACCOUNT_RESTRICTION; /* Protected Users authenticate with Kerberos only */
    return FS_OK;
}

/* DOMAIN_GROUP_RID_PROTECTED_USERS (MS-DTYP 2.4.2.4) */
#define PROTECTED_USERS_RID 525u

int fs_account_in_protected_users(const struct fs_domain *d, const struct fs_user *u)
{
    struct fs_sid group;
    fs_sid_append(&group, &d->sid, PROTECTED_USERS_RID);
    if (!fs_domain_find_group_by_sid(d, &group))
        return 0; /* a domain without the group: nobody is protected, and nothing is expanded */
    if (u->primary_group_rid == PROTECTED_USERS_RID)
        return 1;
    struct fs_sid *all = NULL;
    size_t n = 0;
    if (fs_domain_expand_groups(d, u->groups, u->ngroups, &all, &n) != FS_OK)
        return -1;
    int member = 0;
    for (size_t i = 0; i < n && !member; i++)
        member = fs_sid_equal(&all[i], &group);
    free(all);
    return member;
}

fs_err fs_bindings_verdict(const struct fs_domain *d, int acceptor_has, int client_sent, int same)
{
    if (!acceptor_has)
        return FS_OK; /* not over TLS: there is nothing to bind to */
    if (client_sent)
        return same ? FS_OK : FS_E_BAD_BINDINGS;
    return d && d->policy.bindings_required ? FS_E_BAD_BINDINGS : FS_OK; /* "when supported" takes an old client */
}

int fs_domain_policy_allows_ntlm(void)
{
    const struct fs_domain *d = fs_domain_acquire();
    int allowed = !d || !d->policy.ntlm_disabled;
    fs_domain_release();
    return allowed;
}

uint32_t fs_domain_policy_ntlm_min_sec(int server)
{
    const struct fs_domain *d = fs_domain_acquire();
    uint32_t required = !d       ? FS_NTLM_MIN_SEC_DEFAULT
                        : server ? d->policy.ntlm_min_server_sec
                                 : d->policy.ntlm_min_client_sec;
    fs_domain_release();
    return required;
}

int fs_domain_policy_lm_compat_level(int dc)
{
    const struct fs_domain *d = fs_domain_acquire();
    int level = !d ? FS_LM_COMPAT_DEFAULT : dc ? d->policy.dc_lm_compat_level : d->policy.lm_compat_level;
    fs_domain_release();
    return level;
}

static int day_of(const char *s, size_t len)
{
    static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    for (int i = 0; i < 7; i++)
        if (len == 3 && !fs_ascii_ncasecmp(s, days[i], 3))
            return i;
    return -1;
}

/* One item of the list: "Mon", "Mon-Fri", "Mon 08-18" or "Mon-Fri 08-18"; days may wrap (Fri-Mon). */
static int add_hours(const char *item, uint8_t out[21])
{
    int first = day_of(item, 3), last = first, from = 0, to = 24, used = 3;
    if (first < 0)
        return -1;
    if (item[3] == '-') {
        last = day_of(item + 4, 3);
        used = 7;
        if (last < 0 || (item[7] && item[7] != ' '))
            return -1;
    }
    const char *hours = item + used;
    while (*hours == ' ')
        hours++;
    if (*hours) {
        char end = 0;
        if (sscanf(hours, "%2d-%2d%c", &from, &to, &end) != 2 || !isdigit((unsigned char)hours[0]) || from < 0 ||
            to > 24 || from >= to)
            return -1;
    }
    for (int day = first;; day = (day + 1) % 7) {
        for (int h = from; h < to; h++) {
            int bit = day * 24 + h;
            out[bit / 8] |= (uint8_t)(1u << (bit % 8));
        }
        if (day == last)
            break;
    }
    return 0;
}

int fs_logon_hours_parse(const char *text, uint8_t out[21])
{
    uint8_t hours[21] = {0};
    size_t len = strlen(text);
    if (!fs_ascii_casecmp(text, "all")) {
        memset(hours, 0xff, sizeof hours);
    } else if (!fs_ascii_casecmp(text, "none")) {
        /* every bit clear: never */
    } else if (!fs_hex_decode(text, hours, sizeof hours)) {
        /* the 21 bytes themselves, in hex */
    } else {
        char copy[512];
        if (len >= sizeof copy)
            return -1;
        memcpy(copy, text, len + 1);
        char *save = NULL;
        for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
            while (*item == ' ')
                item++;
            char *end = item + strlen(item);
            while (end > item && end[-1] == ' ')
                *--end = '\0';
            if (add_hours(item, hours))
                return -1;
        }
    }
    memcpy(out, hours, sizeof hours);
    return 0;
}
