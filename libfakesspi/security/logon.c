/* Builds tokens shaped like Windows' own for each logon type (doc/semantics.md §17). */
#include "core/alloc.h"
#include "logon.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_policy.h"
#include "core/clock.h"
#include "domain_current.h"
#include "logon_session.h"
#include "luid.h"
#include "wellknown.h"
#include "winbase.h"

#define DEFAULT_GROUP (SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED)

struct builder {
    struct fs_token *t;
    size_t cap;
    int failed;
};

static void add_group(struct builder *b, const struct fs_sid *sid, uint32_t attributes)
{
    if (b->failed)
        return;
    for (size_t i = 0; i < b->t->ngroups; i++)
        if (fs_sid_equal(&b->t->groups[i].sid, sid))
            return;
    if (b->t->ngroups == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        struct fs_token_group *grown = fs_realloc(b->t->groups, cap * sizeof *grown);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->t->groups = grown;
        b->cap = cap;
    }
    b->t->groups[b->t->ngroups++] = (struct fs_token_group){*sid, attributes};
}

/* The well-known SIDs tokens are built from, parsed once: every handshake's acceptor builds a token. */
static const char *const known_text[] = {
    FS_SID_AUTHENTICATED_USERS, FS_SID_BATCH,      FS_SID_BUILTIN,      FS_SID_BUILTIN_ADMINISTRATORS,
    FS_SID_BUILTIN_GUESTS,      FS_SID_BUILTIN_USERS, FS_SID_CONSOLE_LOGON, FS_SID_EVERYONE,
    FS_SID_HIGH_INTEGRITY,      FS_SID_INTERACTIVE, FS_SID_LOCAL,        FS_SID_MEDIUM_INTEGRITY,
    FS_SID_NETWORK,             FS_SID_SERVICE,    FS_SID_THIS_ORGANIZATION};
#define NKNOWN (sizeof known_text / sizeof *known_text)
static struct fs_sid known[NKNOWN];
static pthread_once_t known_once = PTHREAD_ONCE_INIT;

static void parse_known(void)
{
    for (size_t i = 0; i < NKNOWN; i++)
        fs_sid_parse_known(known_text[i], &known[i]);
}

static const struct fs_sid *known_sid(const char *text)
{
    pthread_once(&known_once, parse_known);
    for (size_t i = 0; i < NKNOWN; i++)
        if (!strcmp(known_text[i], text))
            return &known[i];
    abort(); /* a SID this file names but the table lacks: a programming error, as fs_sid_parse_known's */
}

static void add_wellknown(struct builder *b, const char *text, uint32_t attributes)
{
    add_group(b, known_sid(text), attributes);
}

static int is_builtin(const struct fs_sid *sid)
{
    return fs_sid_is_in_domain(sid, known_sid(FS_SID_BUILTIN), NULL);
}

static int enabled_by_default(uint32_t luid)
{
    /* SeChangeNotify, SeImpersonate and SeCreateGlobal start enabled, as on Windows. */
    return luid == 23 || luid == 29 || luid == 30;
}

static const char *logon_type_sid(uint32_t type)
{
    switch (type) {
    case LOGON32_LOGON_NETWORK:
    case LOGON32_LOGON_NETWORK_CLEARTEXT: return FS_SID_NETWORK;
    case LOGON32_LOGON_BATCH: return FS_SID_BATCH;
    case LOGON32_LOGON_SERVICE: return FS_SID_SERVICE;
    default: return FS_SID_INTERACTIVE;
    }
}

/* The token's logon session: its user, how and when it logged on (doc/semantics.md §48). */
static fs_err begin_session(const struct fs_domain *d, const struct fs_user *u, const struct fs_logon_request *req,
                            struct fs_token *t)
{
    struct fs_logon_session_info info = {
        .luid = t->auth_id,
        .user = fs_strdup(u->name),
        .domain = fs_strdup(d->netbios),
        .package = fs_strdup(req->package ? req->package : "Kerberos"),
        .logon_server = fs_strdup(d->computer ? d->computer : ""),
        .dns_domain = fs_strdup(d->dns),
        .upn = fs_strdup(u->upn ? u->upn : ""),
        .sid = u->sid,
        .logon_type = req->logon_type,
        .session = req->session_id,
        .logon_time = fs_clock_now(),
        .user_logon = 1,
    };
    return fs_logon_session_begin(&info, &t->logon_session);
}

fs_err fs_logon_build(const struct fs_domain *d, const struct fs_user *u, const struct fs_logon_request *req,
                      struct fs_token **out)
{
    struct fs_token *t = fs_token_new();
    if (!t)
        return FS_E_NOMEM;
    struct builder b = {t, 0, 0};
    int network = req->logon_type == LOGON32_LOGON_NETWORK || req->logon_type == LOGON32_LOGON_NETWORK_CLEARTEXT;
    int interactive = req->logon_type == LOGON32_LOGON_INTERACTIVE || req->logon_type == LOGON32_LOGON_UNLOCK ||
                      req->logon_type == LOGON32_LOGON_NEW_CREDENTIALS;

    t->user = u->sid;
    t->auth_id = fs_luid_next();
    t->token_id = fs_luid_next();
    t->modified_id = t->token_id;
    t->source_id = fs_luid_next();
    t->origin = FS_LUID_SYSTEM;
    memset(t->source_name, ' ', sizeof t->source_name);
    memcpy(t->source_name, req->source, strnlen(req->source, sizeof t->source_name));
    t->type = req->token_type;
    t->level = req->token_type == TokenImpersonation ? req->level : SecurityAnonymous;
    t->session_id = req->session_id;
    t->logon_type = req->logon_type;
    t->from_explicit_logon = req->explicit_logon;
    t->account = fs_strdup(u->name);
    t->domain = fs_strdup(d->netbios);

    /* Domain groups first, the primary group leading; nested groups are expanded through the groups
     * involved only (fs_domain_expand_groups), never by a scan of the domain. */
    struct fs_sid *member_of = NULL;
    size_t nmember_of = 0;
    if (fs_domain_expand_groups(d, u->groups, u->ngroups, &member_of, &nmember_of) != FS_OK)
        b.failed = 1;
    struct fs_sid primary;
    fs_sid_append(&primary, &d->sid, u->primary_group_rid);
    add_group(&b, &primary, DEFAULT_GROUP);
    for (size_t i = 0; i < nmember_of; i++)
        if (!is_builtin(&member_of[i]))
            add_group(&b, &member_of[i], DEFAULT_GROUP);
    add_wellknown(&b, FS_SID_EVERYONE, DEFAULT_GROUP);
    const struct fs_sid *admins = known_sid(FS_SID_BUILTIN_ADMINISTRATORS), *guests = known_sid(FS_SID_BUILTIN_GUESTS);
    int is_guest = 0;
    for (size_t i = 0; i < nmember_of; i++) {
        if (!is_builtin(&member_of[i]))
            continue;
        int admin = fs_sid_equal(&member_of[i], admins);
        is_guest |= fs_sid_equal(&member_of[i], guests);
        add_group(&b, &member_of[i], DEFAULT_GROUP | (admin ? SE_GROUP_OWNER : 0));
    }
    free(member_of);
    if (!is_guest)
        add_wellknown(&b, FS_SID_BUILTIN_USERS, DEFAULT_GROUP);
    add_wellknown(&b, logon_type_sid(req->logon_type), DEFAULT_GROUP);
    if (req->logon_type == LOGON32_LOGON_INTERACTIVE)
        add_wellknown(&b, FS_SID_CONSOLE_LOGON, DEFAULT_GROUP);
    add_wellknown(&b, FS_SID_AUTHENTICATED_USERS, DEFAULT_GROUP);
    add_wellknown(&b, FS_SID_THIS_ORGANIZATION, DEFAULT_GROUP);
    if (interactive)
        add_wellknown(&b, FS_SID_LOCAL, DEFAULT_GROUP);
    for (size_t i = 0; i < req->nextra; i++)
        add_group(&b, &req->extra[i], DEFAULT_GROUP);
    if (!network) { /* S-1-5-5-X-Y names the logon session */
        uint32_t subs[3] = {SECURITY_LOGON_IDS_RID, (uint32_t)(t->auth_id >> 32), (uint32_t)t->auth_id};
        struct fs_sid logon_sid;
        fs_sid_init(&logon_sid, 5, 3, subs);
        add_group(&b, &logon_sid, SE_GROUP_LOGON_ID | DEFAULT_GROUP);
    }
    int admin = 0;
    for (size_t i = 0; i < t->ngroups; i++)
        admin |= fs_sid_equal(&t->groups[i].sid, admins);
    add_wellknown(&b, admin ? FS_SID_HIGH_INTEGRITY : FS_SID_MEDIUM_INTEGRITY,
                  SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED);

    t->privileges = fs_malloc((u->nprivileges + 1) * sizeof *t->privileges);
    if (b.failed || !t->privileges || !t->account || !t->domain) {
        fs_token_unref(t);
        return FS_E_NOMEM;
    }
    for (size_t i = 0; i < u->nprivileges; i++)
        t->privileges[i] = (struct fs_token_privilege){
            u->privileges[i],
            enabled_by_default(u->privileges[i]) ? SE_PRIVILEGE_ENABLED | SE_PRIVILEGE_ENABLED_BY_DEFAULT : 0};
    t->nprivileges = u->nprivileges;
    t->primary_group = 0;
    t->label_group = (int)t->ngroups - 1;
    for (size_t i = 0; i < t->ngroups; i++)
        if (t->groups[i].attributes & SE_GROUP_OWNER)
            t->owner_group = (int)i;
    fs_err err = begin_session(d, u, req, t);
    if (err != FS_OK) {
        fs_token_unref(t);
        return err;
    }
    *out = t;
    return FS_OK;
}

fs_err fs_logon_network(const struct fs_domain *d, const struct fs_user *u, const char *source, const char *extra_sid,
                        int identify, struct fs_token **token, char **name)
{
    struct fs_sid extra;
    fs_err err = extra_sid ? fs_sid_parse(extra_sid, &extra) : FS_OK;
    if (err != FS_OK)
        return err;
    struct fs_logon_request req = {
        .logon_type = LOGON32_LOGON_NETWORK,
        .source = source,
        .token_type = TokenImpersonation,
        .level = identify ? SecurityIdentification : SecurityImpersonation,
        .extra = extra_sid ? &extra : NULL,
        .nextra = extra_sid ? 1 : 0,
        .package = strcmp(source, "NtLmSsp") == 0 ? "NTLM" : "Kerberos", /* the source names the package */
    };
    err = fs_logon_build(d, u, &req, token);
    if (err != FS_OK)
        return err;
    size_t n = strlen(d->netbios) + strlen(u->name) + 2;
    if (!(*name = fs_malloc(n))) {
        fs_token_unref(*token);
        *token = NULL;
        return FS_E_NOMEM;
    }
    snprintf(*name, n, "%s\\%s", d->netbios, u->name);
    return FS_OK;
}

static fs_err find_account(const struct fs_domain *d, const char *user, const char *domain, const struct fs_user **out)
{
    if (!user || !*user)
        return FS_E_LOGON_FAILURE;
    if (domain && *domain) {
        if (strchr(user, '\\') || !fs_domain_is_named(d, domain))
            return FS_E_LOGON_FAILURE;
    }
    const struct fs_user *u = fs_domain_find_user(d, user);
    if (!u)
        return FS_E_LOGON_FAILURE;
    *out = u;
    return FS_OK;
}

fs_err fs_logon_user(const char *user, const char *domain, const char *password, uint32_t logon_type, int ntlm,
                     struct fs_token **out)
{
    switch (logon_type) {
    case LOGON32_LOGON_INTERACTIVE: case LOGON32_LOGON_NETWORK: case LOGON32_LOGON_BATCH:
    case LOGON32_LOGON_SERVICE: case LOGON32_LOGON_UNLOCK: case LOGON32_LOGON_NETWORK_CLEARTEXT:
    case LOGON32_LOGON_NEW_CREDENTIALS:
        break;
    default:
        return FS_E_INVALID_PARAMETER;
    }
    const struct fs_domain *d = fs_domain_acquire();
    if (!d) {
        fs_domain_release();
        return FS_E_DOMAIN_UNUSABLE;
    }
    const struct fs_user *u = NULL;
    fs_err err = find_account(d, user, domain, &u);
    /* The password is checked before the account state, as Windows does: a wrong password
     * on a disabled account is still a plain logon failure; but a locked-out account is locked out whatever the
     * password (doc/semantics.md §52). */
    if (err == FS_OK)
        err = fs_account_protocol_verdict(d, u, ntlm ? FS_LOGON_NTLM : FS_LOGON_KERBEROS);
    if (err == FS_OK) {
        int good = fs_domain_user_password_matches(d, u, password ? password : "");
        err = fs_account_verdict(d, u, good ? FS_PASSWORD_GOOD : FS_PASSWORD_BAD);
        if (err == FS_E_WRONG_PASSWORD)
            err = FS_E_LOGON_FAILURE;
    }
    if (err == FS_OK) {
        /* LogonUser hands out an impersonation token for network logons, else a primary one. */
        int network = logon_type == LOGON32_LOGON_NETWORK;
        struct fs_logon_request req = {
            .logon_type = logon_type,
            .source = "Advapi",
            .token_type = network ? TokenImpersonation : TokenPrimary,
            .level = SecurityImpersonation,
            .session_id = 0,
            .explicit_logon = 1,
            .package = ntlm ? "NTLM" : NULL,
        };
        err = fs_logon_build(d, u, &req, out);
    }
    fs_domain_release();
    return err;
}

/* LsaLogonUser: the reason goes into the sub-status, and the status is the one MSV1_0 gives for it: an unknown user
 * and a wrong password are both STATUS_LOGON_FAILURE, a disabled or expired account, an expired password, logon hours
 * or a workstation not allowed STATUS_ACCOUNT_RESTRICTION (doc/semantics.md §44, §57); a locked-out account and a password that must change are the
 * status itself, with no sub-status (doc/semantics.md §52). The password is checked before the account's state,
 * as for LogonUser. */
fs_err fs_logon_lsa(const char *user, const char *domain, const char *password, const struct fs_lsa_logon_request *req,
                    struct fs_token **out, struct fs_logon_profile *profile, fs_err *sub)
{
    *sub = FS_OK;
    const struct fs_domain *d = fs_domain_acquire();
    if (!d) {
        fs_domain_release();
        return FS_E_DOMAIN_UNUSABLE;
    }
    const struct fs_user *u = NULL;
    fs_err err = find_account(d, user, domain, &u);
    if (err != FS_OK) {
        *sub = FS_E_NO_SUCH_USER;
    } else if ((err = fs_account_protocol_verdict(d, u, req->package && !strcmp(req->package, "NTLM")
                                                            ? FS_LOGON_NTLM
                                                            : FS_LOGON_KERBEROS)) != FS_OK) {
        /* refused before the password is looked at, with no sub-status (doc/semantics.md §57) */
    } else {
        enum fs_password_proof proof = !password                                         ? FS_PASSWORD_NONE
                                       : fs_domain_user_password_matches(d, u, password) ? FS_PASSWORD_GOOD
                                                                                         : FS_PASSWORD_BAD;
        err = fs_account_verdict(d, u, proof);
        if (err == FS_E_WRONG_PASSWORD) {
            *sub = err;
            err = FS_E_LOGON_FAILURE;
        } else if (err == FS_E_ACCOUNT_DISABLED || err == FS_E_ACCOUNT_EXPIRED || err == FS_E_PASSWORD_EXPIRED ||
                   err == FS_E_INVALID_LOGON_HOURS || err == FS_E_INVALID_WORKSTATION) {
            *sub = err;
            err = FS_E_ACCOUNT_RESTRICTION;
        }
    }
    if (err == FS_OK) {
        struct fs_logon_request build = {
            .logon_type = req->logon_type,
            .source = req->source_name,
            .token_type = req->token_type,
            .level = req->level,
            .extra = req->groups,
            .nextra = req->ngroups,
            .explicit_logon = password != NULL,
            .package = req->package,
        };
        err = fs_logon_build(d, u, &build, out);
    }
    if (err == FS_OK) {
        memcpy((*out)->source_name, req->source_name, sizeof (*out)->source_name);
        (*out)->source_id = req->source_id;
        profile->full_name = fs_strdup(u->display ? u->display : "");
        profile->logon_server = fs_strdup(d->computer ? d->computer : "");
        if (!profile->full_name || !profile->logon_server) {
            free(profile->full_name);
            free(profile->logon_server);
            profile->full_name = profile->logon_server = NULL;
            fs_token_unref(*out);
            *out = NULL;
            err = FS_E_NOMEM;
        }
    }
    fs_domain_release();
    return err;
}
