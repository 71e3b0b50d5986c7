/* Reads a domain from INI text: [domain], [group NAME], [user NAME] and [trust NAME] sections. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/utf.h"
#include "account_policy.h"
#include "domain_ini.h"
#include "domain_build.h"
#include "enctypes.h"

struct line {
    int number;
    char *key;    /* NULL for a section header */
    char *value;  /* the section header's text for headers */
};

struct ini {
    struct line *lines;
    size_t n;
    char *buffer;       /* a copy of the text, cut into lines in place */
    size_t buffer_len;  /* its length before the cutting, to wipe it whole */
    const char *source;
    char *message;
    size_t cap;
};

static int fail(struct ini *ini, int line, const char *fmt, ...)
{
    if (ini->message && ini->cap) {
        int n = snprintf(ini->message, ini->cap, "%s:%d: ", ini->source, line);
        if (n >= 0 && (size_t)n < ini->cap) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(ini->message + n, ini->cap - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

/* A reason from a builder gets the file and line in front of it. */
static int fail_with(struct ini *ini, int line, const char *reason) { return fail(ini, line, "%s", reason); }

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

static int split_lines(struct ini *ini, const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    if (nul) { /* a C string would end there, silently dropping the rest of the file */
        int number = 1;
        for (const char *c = text; c < nul; c++)
            number += *c == '\n';
        return fail(ini, number, "a NUL byte (the domain file is text)");
    }
    ini->buffer = fs_malloc(len + 1);
    ini->buffer_len = len;
    if (!ini->buffer)
        return fail(ini, 0, "out of memory");
    fs_advise_huge(ini->buffer, len + 1); /* a big domain's file is megabytes */
    memcpy(ini->buffer, text, len);
    ini->buffer[len] = '\0';
    int number = 0;
    size_t cap = 0;
    char *p = ini->buffer;
    /* strtok_r would merge empty lines and lose line numbers: walk by hand. */
    while (p) {
        number++;
        char *next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        if (!fs_utf8_is_valid(p, strlen(p)))
            return fail(ini, number, "not UTF-8 (names, passwords and every other value are UTF-8 text)");
        char *s = trim(p);
        p = next;
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (ini->n == cap) {
            cap = cap ? 2 * cap : 64;
            struct line *grown = fs_realloc(ini->lines, cap * sizeof *grown);
            if (!grown)
                return fail(ini, number, "out of memory");
            fs_advise_huge(grown, cap * sizeof *grown);
            ini->lines = grown;
        }
        struct line *l = &ini->lines[ini->n++];
        l->number = number;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1] != '\0')
                return fail(ini, number, "a section header must look like [domain], [user NAME], [group NAME] or [trust NAME]");
            *close = '\0';
            l->key = NULL;
            l->value = trim(s + 1);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq)
            return fail(ini, number, "expected 'key = value', found '%s'", s);
        *eq = '\0';
        l->key = trim(s);
        l->value = trim(eq + 1);
        if (!*l->key)
            return fail(ini, number, "a key is missing before '='");
    }
    return 0;
}

enum section { SECTION_DOMAIN, SECTION_GROUP, SECTION_USER, SECTION_TRUST };

/* Parses "domain", "group NAME", "user NAME" or "trust NAME". */
static int classify(struct ini *ini, const struct line *l, enum section *kind, const char **name)
{
    char *h = l->value;
    if (!strcmp(h, "domain")) {
        *kind = SECTION_DOMAIN;
        *name = NULL;
        return 0;
    }
    if (!strncmp(h, "group", 5) && isspace((unsigned char)h[5])) {
        *kind = SECTION_GROUP;
        *name = trim(h + 6);
        return 0;
    }
    if (!strncmp(h, "user", 4) && isspace((unsigned char)h[4])) {
        *kind = SECTION_USER;
        *name = trim(h + 5);
        return 0;
    }
    if (!strncmp(h, "trust", 5) && isspace((unsigned char)h[5])) {
        *kind = SECTION_TRUST;
        *name = trim(h + 6);
        return 0;
    }
    return fail(ini, l->number, "unknown section [%s]: use [domain], [user NAME], [group NAME] or [trust NAME]", h);
}

/* A decimal number: "0100" is refused rather than read as octal (strtoul's base 0) or guessed at. */
static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*s) || (*s == '0' && s[1]))
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v > 0xFFFFFFFFull)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_bool(const char *s, int *out)
{
    if (!fs_ascii_casecmp(s, "yes") || !fs_ascii_casecmp(s, "true") || !strcmp(s, "1")) {
        *out = 1;
        return 0;
    }
    if (!fs_ascii_casecmp(s, "no") || !fs_ascii_casecmp(s, "false") || !strcmp(s, "0")) {
        *out = 0;
        return 0;
    }
    return -1;
}

/* A time span in whole seconds, as 100 ns units; at most a hundred years. */
static int parse_seconds(const char *s, uint64_t *out)
{
    uint32_t seconds;
    if (parse_u32(s, &seconds) || seconds > 100u * 366 * 86400)
        return -1;
    *out = (uint64_t)seconds * FS_FILETIME_PER_SECOND;
    return 0;
}

/* A UTC time as ISO 8601 says it, "2024-11-01T08:30:00Z", as a FILETIME. */
static int parse_utc(const char *s, uint64_t *out)
{
    struct tm tm = {0};
    char z = 0, end = 0;
    if (strlen(s) != 20 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                                  &tm.tm_min, &tm.tm_sec, &z, &end) != 7 || z != 'Z')
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return fs_filetime_from_tm(&tm, out);
}

/* The [domain] policy keys (doc/semantics.md §52); 1 when the key is not one of them, -1 on a bad value. */
static int read_policy_key(struct ini *ini, struct fs_domain *d, const struct line *l)
{
    struct fs_domain_policy *p = &d->policy;
    if (!strcmp(l->key, "lockout_threshold")) {
        if (parse_u32(l->value, &p->lockout_threshold) || p->lockout_threshold > 999)
            return fail(ini, l->number, "'%s' must be a number of bad passwords from 0 (never) to 999", l->key);
    } else if (!strcmp(l->key, "lockout_duration") || !strcmp(l->key, "lockout_observation_window") ||
               !strcmp(l->key, "max_password_age")) {
        uint64_t *field = !strcmp(l->key, "lockout_duration")             ? &p->lockout_duration
                          : !strcmp(l->key, "lockout_observation_window") ? &p->lockout_window
                                                                          : &p->max_password_age;
        if (parse_seconds(l->value, field))
            return fail(ini, l->number, "'%s' must be a number of seconds (decimal, at most 100 years)", l->key);
    } else if (!strcmp(l->key, "kerberos_max_ticket_age") || !strcmp(l->key, "kerberos_max_renew_age")) {
        uint64_t *field = !strcmp(l->key, "kerberos_max_ticket_age") ? &p->krb_max_ticket_age : &p->krb_max_renew_age;
        if (parse_seconds(l->value, field) || !*field)
            return fail(ini, l->number, "'%s' must be a number of seconds from 1 to 100 years (doc/semantics.md §62)",
                        l->key);
    } else if (!strcmp(l->key, "ntlm")) {
        if (fs_ascii_casecmp(l->value, "enabled") && fs_ascii_casecmp(l->value, "disabled"))
            return fail(ini, l->number, "'%s' must be enabled or disabled", l->key);
        p->ntlm_disabled = !fs_ascii_casecmp(l->value, "disabled");
    } else if (!strcmp(l->key, "channel_bindings")) {
        if (fs_ascii_casecmp(l->value, "when_supported") && fs_ascii_casecmp(l->value, "required"))
            return fail(ini, l->number, "'%s' must be when_supported or required", l->key);
        p->bindings_required = !fs_ascii_casecmp(l->value, "required");
    } else if (!strcmp(l->key, "ntlm_min_server_sec") || !strcmp(l->key, "ntlm_min_client_sec")) {
        char *end = NULL;
        errno = 0;
        unsigned long long v = strtoull(l->value, &end, 0);
        if (!isdigit((unsigned char)l->value[0]) || *end || errno ||
            (v & ~(unsigned long long)(FS_NTLM_MIN_SEC_NTLM2 | FS_NTLM_MIN_SEC_128)))
            return fail(ini, l->number,
                        "'%s' must be 0, 0x00080000 (NTLMv2 session security), 0x20000000 (128-bit encryption) or "
                        "0x20080000 (both)",
                        l->key);
        *(!strcmp(l->key, "ntlm_min_server_sec") ? &p->ntlm_min_server_sec : &p->ntlm_min_client_sec) = (uint32_t)v;
    } else if (!strcmp(l->key, "lm_compatibility_level") || !strcmp(l->key, "dc_lm_compatibility_level")) {
        uint32_t level;
        if (parse_u32(l->value, &level) || level > 5)
            return fail(ini, l->number, "'%s' must be a LmCompatibilityLevel from 0 to 5 (doc/semantics.md §61)",
                        l->key);
        *(!strcmp(l->key, "lm_compatibility_level") ? &p->lm_compat_level : &p->dc_lm_compat_level) = (int)level;
    } else {
        return 1;
    }
    return 0;
}

/* Index of the next section header at or after i. */
static size_t section_end(const struct ini *ini, size_t i)
{
    while (i < ini->n && ini->lines[i].key)
        i++;
    return i;
}

static const char *find_key(const struct ini *ini, size_t begin, size_t end, const char *key, int *line)
{
    for (size_t i = begin; i < end; i++)
        if (!strcmp(ini->lines[i].key, key)) {
            *line = ini->lines[i].number;
            return ini->lines[i].value;
        }
    return NULL;
}

/* Every key once per section: a second 'rid' or 'password' is a mistake whichever one was meant. */
static int check_duplicate_keys(struct ini *ini, size_t begin, size_t end)
{
    for (size_t i = begin; i < end; i++)
        for (size_t j = begin; j < i; j++)
            if (!strcmp(ini->lines[i].key, ini->lines[j].key))
                return fail(ini, ini->lines[i].number, "'%s' is given twice in this section (first at line %d)",
                            ini->lines[i].key, ini->lines[j].number);
    return 0;
}

/* NetBIOS names: 1 to 15 characters, none of \ / : * ? " < > | and no period. */
static int check_netbios(struct ini *ini, int line, const char *value)
{
    if (!*value || fs_utf8_units(value) > 15 || strpbrk(value, "\\/:*?\"<>|. \t"))
        return fail(ini, line, "'%s' is not a NetBIOS name (1 to 15 characters, no \\ / : * ? \" < > | . or space)",
                    value);
    return 0;
}

/* DNS names: 1 to 255 characters of letters, digits, '-' and '.'. */
static int check_dns(struct ini *ini, const struct line *l)
{
    size_t n = strlen(l->value);
    int ok = n > 0 && n <= 255 && l->value[0] != '.' && l->value[n - 1] != '.';
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)l->value[i]) || l->value[i] == '-' || l->value[i] == '.';
    if (!ok)
        return fail(ini, l->number, "'%s' is not a DNS name (1 to 255 letters, digits, '-' and '.')", l->value);
    return 0;
}

/* Active Directory's defaults once a threshold is set: 30 minutes each, the window no longer than the lockout
 * (doc/semantics.md §52). */
#define HALF_HOUR (1800 * FS_FILETIME_PER_SECOND)
#define UNSET_WINDOW UINT64_MAX

static void policy_defaults(struct fs_domain *d)
{
    d->policy.lockout_duration = HALF_HOUR;
    d->policy.lockout_window = UNSET_WINDOW;
    d->policy.ntlm_min_server_sec = d->policy.ntlm_min_client_sec = FS_NTLM_MIN_SEC_DEFAULT;
    d->policy.lm_compat_level = FS_LM_COMPAT_DEFAULT;
    d->policy.dc_lm_compat_level = -1; /* unset: the clients' level, whichever line gives it */
}

/* One key of [domain] (or of a [trust], which describes a domain too); 1 when it is none of them. */
static int read_domain_key(struct ini *ini, struct fs_domain *d, const struct line *l)
{
    char reason[256];
    int policy = read_policy_key(ini, d, l);
    if (policy <= 0)
        return policy;
    if (!strcmp(l->key, "netbios") || !strcmp(l->key, "dns") || !strcmp(l->key, "computer")) {
            char **field = !strcmp(l->key, "netbios") ? &d->netbios : !strcmp(l->key, "dns") ? &d->dns : &d->computer;
            if (!strcmp(l->key, "dns") ? check_dns(ini, l) : check_netbios(ini, l->number, l->value))
                return -1;
            if (fs_domain_set_string(field, l->value, reason, sizeof reason))
                return fail_with(ini, l->number, reason);
        } else if (!strcmp(l->key, "sid")) {
            /* A domain's SID is S-1-5-21-...: anything else (S-1-5-32, BUILTIN's) would make its RIDs name
             * well-known SIDs (RID 544 would be BUILTIN\Administrators). */
            if (fs_sid_parse(l->value, &d->sid) != FS_OK || fs_sid_authority(&d->sid) != 5 || d->sid.count < 2 ||
                d->sid.count > 14 || d->sid.sub[0] != 21)
                return fail(ini, l->number, "'%s' is not a domain SID (S-1-5-21-a-b-c)", l->value);
        } else if (!strcmp(l->key, "guid")) {
            if (fs_domain_parse_guid(l->value, d->guid))
                return fail(ini, l->number, "'%s' is not a GUID", l->value);
        } else if (!strcmp(l->key, "kerberos_accept_any_spn")) {
            if (parse_bool(l->value, &d->kerberos_accept_any_spn))
                return fail(ini, l->number, "'%s' must be yes or no", l->key);
        } else {
            return 1;
        }
    return 0;
}

/* The policy's defaults that depend on other keys, its checks, and what a domain must have. */
static int finish_domain(struct ini *ini, struct fs_domain *d, int header_line, const char *section)
{
    char reason[256];
    if (d->policy.dc_lm_compat_level < 0)
        d->policy.dc_lm_compat_level = d->policy.lm_compat_level;
    if (d->policy.lockout_window == UNSET_WINDOW) {
        uint64_t duration = d->policy.lockout_duration;
        d->policy.lockout_window = duration && duration < HALF_HOUR ? duration : HALF_HOUR;
    }
    if (!d->policy.lockout_window)
        return fail(ini, header_line, "lockout_observation_window must be at least 1 second");
    /* Windows refuses a window longer than the lockout it resets (doc/semantics.md §52). */
    if (d->policy.lockout_duration && d->policy.lockout_window > d->policy.lockout_duration)
        return fail(ini, header_line, "lockout_observation_window must not be longer than lockout_duration");
    if (!d->netbios || !d->dns || !d->sid.revision)
        return fail(ini, header_line, "[%s] needs netbios, dns and sid", section);
    if (!d->computer && fs_domain_set_string(&d->computer, "SERVER", reason, sizeof reason))
        return fail_with(ini, header_line, reason);
    return 0;
}

static int read_domain(struct ini *ini, struct fs_domain *d, size_t begin, size_t end, int header_line)
{
    if (check_duplicate_keys(ini, begin, end))
        return -1;
    policy_defaults(d);
    for (size_t i = begin; i < end; i++) {
        struct line *l = &ini->lines[i];
        int rc = read_domain_key(ini, d, l);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return fail(ini, l->number,
                        "unknown key '%s' in [domain] (netbios, dns, sid, computer, guid, kerberos_accept_any_spn, "
                        "lockout_threshold, lockout_duration, lockout_observation_window, max_password_age, "
                        "kerberos_max_ticket_age, kerberos_max_renew_age, ntlm, "
                        "channel_bindings, ntlm_min_server_sec, ntlm_min_client_sec, lm_compatibility_level, "
                        "dc_lm_compatibility_level)",
                        l->key);
    }
    return finish_domain(ini, d, header_line, "domain");
}

/* [trust NAME] (doc/semantics.md §76): a second domain, its NetBIOS name NAME, with [domain]'s keys for itself, and
 * the trust's own: direction (two-way, inbound: NAME trusts this domain, outbound: this domain trusts NAME), type
 * (forest or external) and password (whose keys are both inter-realm keys). Read after [domain]. */
static int read_trust(struct ini *ini, struct fs_domain *d, const char *name, size_t begin, size_t end,
                      int header_line)
{
    char reason[256];
    if (check_duplicate_keys(ini, begin, end))
        return -1;
    if (check_netbios(ini, header_line, name))
        return -1;
    if (!fs_ascii_casecmp(name, d->netbios) || fs_domain_find_trust(d, name))
        return fail(ini, header_line, "[trust %s]: a domain of that name is in the file already", name);
    struct fs_trust *grown = fs_realloc(d->trusts, (d->ntrusts + 1) * sizeof *grown);
    if (!grown)
        return fail(ini, header_line, "out of memory");
    d->trusts = grown;
    struct fs_trust *t = &d->trusts[d->ntrusts];
    *t = (struct fs_trust){.domain = fs_calloc(1, sizeof *t->domain), .direction = FS_TRUST_BOTH, .forest = 1};
    if (!t->domain)
        return fail(ini, header_line, "out of memory");
    d->ntrusts++;
    struct fs_domain *o = t->domain;
    policy_defaults(o);
    if (fs_domain_set_string(&o->netbios, name, reason, sizeof reason))
        return fail_with(ini, header_line, reason);
    for (size_t i = begin; i < end; i++) {
        struct line *l = &ini->lines[i];
        if (!strcmp(l->key, "direction")) {
            t->direction = !fs_ascii_casecmp(l->value, "two-way")    ? FS_TRUST_BOTH
                           : !fs_ascii_casecmp(l->value, "inbound")  ? FS_TRUST_INBOUND
                           : !fs_ascii_casecmp(l->value, "outbound") ? FS_TRUST_OUTBOUND
                                                                     : 0;
            if (!t->direction)
                return fail(ini, l->number, "'direction' must be two-way, inbound (%s trusts %s) or outbound (%s "
                            "trusts %s)", name, d->netbios, d->netbios, name);
        } else if (!strcmp(l->key, "type")) {
            if (fs_ascii_casecmp(l->value, "forest") && fs_ascii_casecmp(l->value, "external"))
                return fail(ini, l->number, "'type' must be forest or external");
            t->forest = !fs_ascii_casecmp(l->value, "forest");
        } else if (!strcmp(l->key, "password")) {
            if (!*l->value || fs_domain_set_string(&t->password, l->value, reason, sizeof reason))
                return fail(ini, l->number, "'password' must be the trust's password, not empty");
        } else if (!strcmp(l->key, "netbios")) {
            return fail(ini, l->number, "[trust %s] is named by its header: no 'netbios' key", name);
        } else {
            int rc = read_domain_key(ini, o, l);
            if (rc < 0)
                return -1;
            if (rc > 0)
                return fail(ini, l->number, "unknown key '%s' in [trust %s] (dns, sid, password, direction, type, "
                            "computer, and [domain]'s policy keys)", l->key, name);
        }
    }
    if (finish_domain(ini, o, header_line, "trust"))
        return -1;
    if (!t->password)
        return fail(ini, header_line, "[trust %s] needs a password (the inter-realm keys come from it)", name);
    if (!fs_ascii_casecmp(o->dns, d->dns) || fs_sid_equal(&o->sid, &d->sid))
        return fail(ini, header_line, "[trust %s] needs a DNS name and a SID of its own, not [domain]'s", name);
    return 0;
}

/* The domain a [user] or [group] section's name puts the principal in: OTHER\name a trust's, else [domain]'s. */
static struct fs_domain *domain_of_principal(struct ini *ini, struct fs_domain *d, const char **name, int line)
{
    const char *slash = strchr(*name, '\\');
    if (!slash)
        return d;
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%.*s", (int)(slash - *name), *name);
    const struct fs_trust *t = fs_domain_find_trust(d, prefix);
    if (!t) {
        fail(ini, line, "'%s': no [trust %s] section for it", *name, prefix);
        return NULL;
    }
    *name = slash + 1;
    return t->domain;
}

static int read_group(struct ini *ini, struct fs_domain *d, const char *name, size_t begin, size_t end,
                      int header_line)
{
    char reason[256];
    int line = header_line;
    if (check_duplicate_keys(ini, begin, end))
        return -1;
    const char *rid_text = find_key(ini, begin, end, "rid", &line);
    uint32_t rid;
    if (!rid_text || parse_u32(rid_text, &rid))
        return fail(ini, line, "group '%s' needs 'rid = NUMBER' (decimal)", name);
    struct fs_group *g = fs_domain_new_group(d, name, rid, reason, sizeof reason);
    if (!g)
        return fail_with(ini, header_line, reason);
    for (size_t i = begin; i < end; i++) {
        struct line *l = &ini->lines[i];
        if (!strcmp(l->key, "rid") || !strcmp(l->key, "groups") || !strcmp(l->key, "members"))
            continue; /* groups: read once every group exists (read_group_nesting); members: once every user does */
        if (!strcmp(l->key, "scope")) {
            if (fs_ascii_casecmp(l->value, "global") && fs_ascii_casecmp(l->value, "domain_local"))
                return fail(ini, l->number, "'scope' must be global or domain_local (doc/semantics.md §76)");
            g->domain_local = !fs_ascii_casecmp(l->value, "domain_local");
            continue;
        }
        if (!strcmp(l->key, "description")) {
            if (fs_domain_set_string(&g->description, l->value, reason, sizeof reason))
                return fail_with(ini, l->number, reason);
        } else if (!strcmp(l->key, "guid")) {
            if (fs_domain_parse_guid(l->value, g->guid))
                return fail(ini, l->number, "'%s' is not a GUID", l->value);
        } else {
            return fail(ini, l->number,
                        "unknown key '%s' in [group %s] (rid, description, guid, groups, scope, members)", l->key,
                        name);
        }
    }
    return 0;
}

/* A group's own 'groups' key: the groups it is nested in, which may be declared anywhere in the file. */
static int read_group_nesting(struct ini *ini, struct fs_domain *d, const char *name, size_t begin, size_t end)
{
    char reason[256];
    int line = 0;
    const char *list = find_key(ini, begin, end, "groups", &line);
    const struct fs_group *found = fs_domain_find_group(d, name);
    struct fs_group *g = found ? &d->groups[found - d->groups] : NULL; /* the builder's own, mutable copy */
    if (list && g && fs_domain_set_group_groups(d, g, list, reason, sizeof reason))
        return fail_with(ini, line, reason);
    return 0;
}

/* The SID of one member of a domain-local group of gd: "DOMAIN\name", an account or group of another domain of the
 * file (a domain's own accounts join its groups through their 'groups' key). */
static int member_sid(struct ini *ini, struct fs_domain *d, const struct fs_domain *gd, const char *item, int line,
                      struct fs_sid *out)
{
    const char *slash = strchr(item, '\\');
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%.*s", slash ? (int)(slash - item) : 0, item);
    const struct fs_trust *t = slash ? fs_domain_find_trust(d, prefix) : NULL;
    const struct fs_domain *md = t ? t->domain : slash && !fs_ascii_casecmp(prefix, d->netbios) ? d : NULL;
    if (!md || md == gd)
        return fail(ini, line, "member '%s' must be DOMAIN\\name of another domain of the file than the group's",
                    item);
    const struct fs_user *u = fs_domain_find_user(md, slash + 1);
    const struct fs_group *g = u ? NULL : fs_domain_find_group(md, slash + 1);
    if (!u && !g)
        return fail(ini, line, "member '%s': no such user or group", item);
    *out = u ? u->sid : g->sid;
    return 0;
}

/* A group's 'members' (doc/semantics.md §76): only a domain-local group holds another domain's principals. */
static int read_group_members(struct ini *ini, struct fs_domain *d, const char *name, size_t begin, size_t end,
                              int header_line)
{
    int line = 0;
    const char *list = find_key(ini, begin, end, "members", &line);
    if (!list)
        return 0;
    struct fs_domain *gd = domain_of_principal(ini, d, &name, header_line);
    const struct fs_group *found = gd ? fs_domain_find_group(gd, name) : NULL;
    if (!found)
        return -1;
    struct fs_group *g = &gd->groups[found - gd->groups];
    if (!g->domain_local)
        return fail(ini, line, "group '%s' has members of other domains: it needs 'scope = domain_local'", name);
    char *copy = fs_strdup(list);
    if (!copy)
        return fail(ini, line, "out of memory");
    int rc = 0;
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item && !rc; item = strtok_r(NULL, ",", &save)) {
        item = trim(item);
        struct fs_sid *grown = fs_realloc(g->members, (g->nmembers + 1) * sizeof *grown);
        if (!grown) {
            rc = fail(ini, line, "out of memory");
            break;
        }
        g->members = grown;
        rc = member_sid(ini, d, gd, item, line, &g->members[g->nmembers]);
        g->nmembers += rc == 0;
    }
    free(copy);
    return rc;
}

static int read_user(struct ini *ini, struct fs_domain *d, const char *name, size_t begin, size_t end,
                     int header_line)
{
    char reason[256];
    int line = header_line;
    if (check_duplicate_keys(ini, begin, end))
        return -1;
    const char *rid_text = find_key(ini, begin, end, "rid", &line);
    uint32_t rid;
    if (!rid_text || parse_u32(rid_text, &rid))
        return fail(ini, line, "user '%s' needs 'rid = NUMBER' (decimal)", name);
    struct fs_user *u = fs_domain_new_user(d, name, rid, reason, sizeof reason);
    if (!u)
        return fail_with(ini, header_line, reason);
    int have_groups = 0;
    for (size_t i = begin; i < end; i++) {
        struct line *l = &ini->lines[i];
        const char *k = l->key;
        int rc = 0;
        if (!strcmp(k, "rid")) {
            continue;
        } else if (!strcmp(k, "password")) {
            rc = fs_domain_set_string(&u->password, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "nt_hash")) {
            rc = fs_domain_set_user_nt_hash(d, u, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "display")) {
            rc = fs_domain_set_string(&u->display, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "given")) {
            rc = fs_domain_set_string(&u->given, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "surname")) {
            rc = fs_domain_set_string(&u->surname, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "upn")) {
            rc = fs_domain_set_string(&u->upn, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "groups")) {
            rc = fs_domain_set_user_groups(d, u, l->value, reason, sizeof reason);
            have_groups = 1;
        } else if (!strcmp(k, "privileges")) {
            rc = fs_domain_set_user_privileges(u, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "spn")) {
            rc = fs_domain_set_user_spns(u, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "supported_enctypes")) {
            if (fs_enctypes_parse(l->value, &u->supported_enctypes))
                return fail(ini, l->number, "'%s' is no set of encryption types (0x4 rc4, 0x8 aes128, 0x10 aes256)",
                            l->value);
        } else if (!strcmp(k, "primary_group")) {
            const struct fs_group *g = fs_domain_find_group(d, l->value);
            if (!g)
                return fail(ini, l->number, "user '%s': unknown primary group '%s'", name, l->value);
            u->primary_group_rid = g->rid;
        } else if (!strcmp(k, "guid")) {
            if (fs_domain_parse_guid(l->value, u->guid))
                return fail(ini, l->number, "'%s' is not a GUID", l->value);
        } else if (!strcmp(k, "disabled") || !strcmp(k, "expired") || !strcmp(k, "must_change_password") ||
                   !strcmp(k, "password_never_expires")) {
            int *flag = !strcmp(k, "disabled")               ? &u->disabled
                        : !strcmp(k, "expired")              ? &u->expired
                        : !strcmp(k, "must_change_password") ? &u->must_change_password
                                                             : &u->password_never_expires;
            if (parse_bool(l->value, flag))
                return fail(ini, l->number, "'%s' must be yes or no", k);
        } else if (!strcmp(k, "password_last_set")) {
            if (parse_utc(l->value, &u->password_last_set))
                return fail(ini, l->number, "'%s' must be a UTC time such as 2024-11-01T08:30:00Z", k);
        } else if (!strcmp(k, "logon_hours")) {
            if (fs_logon_hours_parse(l->value, u->logon_hours))
                return fail(ini, l->number,
                            "'%s' must be all, none, 42 hex digits or UTC hours such as 'Mon-Fri 08-18, Sat 09-12'", k);
            u->logon_hours_set = 1;
        } else if (!strcmp(k, "workstations")) {
            rc = fs_domain_set_user_workstations(u, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "allowed_to_delegate_to")) {
            rc = fs_domain_set_user_delegation_targets(u, l->value, reason, sizeof reason);
        } else if (!strcmp(k, "trusted_for_delegation") || !strcmp(k, "trusted_to_auth_for_delegation")) {
            if (parse_bool(l->value, !strcmp(k, "trusted_for_delegation") ? &u->trusted_for_delegation
                                                                        : &u->trusted_to_auth_for_delegation))
                return fail(ini, l->number, "'%s' must be yes or no", k);
        } else {
            return fail(ini, l->number,
                        "unknown key '%s' in [user %s] (rid, password, nt_hash, groups, privileges, display, given, "
                        "surname, upn, primary_group, guid, disabled, expired, spn, supported_enctypes, "
                        "must_change_password, password_never_expires, password_last_set, trusted_for_delegation, "
                        "allowed_to_delegate_to, trusted_to_auth_for_delegation, logon_hours, workstations)",
                        k, name);
        }
        if (rc)
            return fail_with(ini, l->number, reason);
    }
    if (!have_groups && fs_domain_set_user_groups(d, u, "Domain Users", reason, sizeof reason))
        return fail_with(ini, header_line, reason);
    if (fs_domain_finish_user(d, u, reason, sizeof reason))
        return fail_with(ini, header_line, reason);
    return 0;
}

/* Sections are read in five passes (domain, trusts, groups, the groups' nesting, users), then the domain-local
 * groups' members of other domains, so that a user or a group may name a group declared further down the file. */
static int read_all(struct ini *ini, struct fs_domain *d)
{
    int seen_domain = 0;
    size_t users = 0, groups = 0;
    for (size_t i = 0; i < ini->n; i++)
        if (!ini->lines[i].key) {
            users += !strncmp(ini->lines[i].value, "user", 4);
            groups += !strncmp(ini->lines[i].value, "group", 5);
        }
    if (fs_domain_reserve(d, users, groups))
        return fail(ini, 0, "out of memory");
    for (int pass = 0; pass < 5; pass++) {
        for (size_t i = 0; i < ini->n; i = section_end(ini, i + 1)) {
            struct line *h = &ini->lines[i];
            if (h->key)
                return fail(ini, h->number, "'%s' comes before any section", h->key);
            enum section kind = SECTION_DOMAIN;
            const char *name = NULL;
            if (classify(ini, h, &kind, &name))
                return -1;
            size_t begin = i + 1, end = section_end(ini, begin);
            int rc = 0;
            struct fs_domain *pd = d; /* the principal's domain */
            if (pass >= 2 && (kind == SECTION_GROUP || kind == SECTION_USER) &&
                !(pd = domain_of_principal(ini, d, &name, h->number)))
                return -1;
            if (pass == 0 && kind == SECTION_DOMAIN) {
                if (seen_domain++)
                    return fail(ini, h->number, "a second [domain] section");
                rc = read_domain(ini, d, begin, end, h->number);
            } else if (pass == 1 && kind == SECTION_TRUST) {
                rc = read_trust(ini, d, name, begin, end, h->number);
            } else if (pass == 2 && kind == SECTION_GROUP) {
                rc = read_group(ini, pd, name, begin, end, h->number);
            } else if (pass == 3 && kind == SECTION_GROUP) {
                rc = read_group_nesting(ini, pd, name, begin, end);
            } else if (pass == 4 && kind == SECTION_USER) {
                rc = read_user(ini, pd, name, begin, end, h->number);
            }
            if (rc)
                return -1;
        }
        if (pass == 0 && !seen_domain)
            return fail(ini, 1, "no [domain] section");
    }
    for (size_t i = 0; i < ini->n; i = section_end(ini, i + 1)) {
        enum section kind = SECTION_DOMAIN;
        const char *name = NULL;
        if (classify(ini, &ini->lines[i], &kind, &name))
            return -1;
        size_t begin = i + 1, end = section_end(ini, begin);
        if (kind == SECTION_GROUP && read_group_members(ini, d, name, begin, end, ini->lines[i].number))
            return -1;
    }
    return 0;
}

struct fs_domain *fs_domain_parse(const char *text, const char *source, char *message, size_t cap)
{
    return fs_domain_parse_bytes(text, strlen(text), source, message, cap);
}

struct fs_domain *fs_domain_parse_bytes(const char *text, size_t len, const char *source, char *message, size_t cap)
{
    struct ini ini = {.source = source ? source : "domain", .message = message, .cap = cap};
    struct fs_domain *d = fs_calloc(1, sizeof *d);
    int rc = d ? split_lines(&ini, text, len) : fail(&ini, 0, "out of memory");
    if (rc == 0)
        rc = read_all(&ini, d);
    free(ini.lines);
    if (ini.buffer) /* the text holds every password: wiped before the allocator sees it again */
        explicit_bzero(ini.buffer, ini.buffer_len);
    free(ini.buffer);
    if (rc) {
        fs_domain_free(d);
        return NULL;
    }
    return d;
}
