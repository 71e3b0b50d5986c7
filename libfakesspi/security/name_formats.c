/* Active Directory's name forms for the fake domain's principals. */
#include "name_formats.h"

#include <stdio.h>
#include <string.h>
#include <uuid/uuid.h>

#include "core/utf.h"
#include "secext.h"

static const char *display_of(const struct fs_principal *p)
{
    return p->user ? (p->user->display ? p->user->display : p->user->name) : p->group->name;
}

/* "example.test" -> "DC=example,DC=test" */
static void dc_path(const char *dns, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    const char *label = dns;
    while (label && *label && n < cap) {
        const char *dot = strchr(label, '.');
        size_t len = dot ? (size_t)(dot - label) : strlen(label);
        n += (size_t)snprintf(out + n, cap - n, "%sDC=%.*s", n ? "," : "", (int)len, label);
        label = dot ? dot + 1 : NULL;
    }
}

/* An RDN value escapes , + " \ < > ; as in RFC 4514. */
static void escape_rdn(const char *value, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *c = value; *c && n + 2 < cap; c++) {
        if (strchr(",+\"\\<>;", *c))
            out[n++] = '\\';
        out[n++] = *c;
    }
    out[n] = '\0';
}

fs_err fs_name_render(const struct fs_domain *d, const struct fs_principal *p, int format, char *out, size_t cap)
{
    const char *name = p->user ? p->user->name : p->group->name;
    const uint8_t *guid = p->user ? p->user->guid : p->group->guid;
    char dc[256], rdn[256], text[40];
    switch (format) {
    case NameSamCompatible: snprintf(out, cap, "%s\\%s", d->netbios, name); return FS_OK;
    case NameDisplay: snprintf(out, cap, "%s", display_of(p)); return FS_OK;
    case NameUserPrincipal:
        if (!p->user || !p->user->upn)
            return FS_E_NONE_MAPPED;
        snprintf(out, cap, "%s", p->user->upn);
        return FS_OK;
    case NameFullyQualifiedDN:
        dc_path(d->dns, dc, sizeof dc);
        escape_rdn(display_of(p), rdn, sizeof rdn);
        snprintf(out, cap, "CN=%s,CN=Users,%s", rdn, dc);
        return FS_OK;
    case NameCanonical: snprintf(out, cap, "%s/Users/%s", d->dns, display_of(p)); return FS_OK;
    case NameCanonicalEx: snprintf(out, cap, "%s/Users\n%s", d->dns, display_of(p)); return FS_OK;
    case NameUniqueId:
        uuid_unparse_lower(guid, text);
        snprintf(out, cap, "{%s}", text);
        return FS_OK;
    case NameDnsDomain: snprintf(out, cap, "%s\\%s", d->dns, name); return FS_OK;
    case NameServicePrincipal:
        if (!p->user || !p->user->nspns)
            return FS_E_NONE_MAPPED;
        snprintf(out, cap, "%s", p->user->spns[0]);
        return FS_OK;
    case NameGivenName:
    case NameSurname: {
        const char *v = p->user ? (format == NameGivenName ? p->user->given : p->user->surname) : NULL;
        if (!v)
            return FS_E_NONE_MAPPED;
        snprintf(out, cap, "%s", v);
        return FS_OK;
    }
    default: return FS_E_INVALID_PARAMETER;
    }
}

fs_err fs_name_render_computer(const struct fs_domain *d, int format, char *out, size_t cap)
{
    char dc[256], rdn[256];
    switch (format) {
    case NameSamCompatible: snprintf(out, cap, "%s\\%s$", d->netbios, d->computer); return FS_OK;
    case NameDisplay: snprintf(out, cap, "%s$", d->computer); return FS_OK;
    case NameFullyQualifiedDN:
        dc_path(d->dns, dc, sizeof dc);
        escape_rdn(d->computer, rdn, sizeof rdn);
        snprintf(out, cap, "CN=%s,CN=Computers,%s", rdn, dc);
        return FS_OK;
    case NameCanonical: snprintf(out, cap, "%s/Computers/%s", d->dns, d->computer); return FS_OK;
    case NameCanonicalEx: snprintf(out, cap, "%s/Computers\n%s", d->dns, d->computer); return FS_OK;
    case NameDnsDomain: snprintf(out, cap, "%s\\%s$", d->dns, d->computer); return FS_OK;
    case NameUserPrincipal: case NameUniqueId: case NameServicePrincipal: case NameGivenName: case NameSurname:
        return FS_E_NONE_MAPPED;
    default: return FS_E_INVALID_PARAMETER;
    }
}

static const int every_format[] = {NameSamCompatible, NameUserPrincipal, NameFullyQualifiedDN, NameUniqueId,
                                   NameCanonical,     NameCanonicalEx,   NameDnsDomain,        NameServicePrincipal,
                                   NameDisplay};

static int matches(const struct fs_domain *d, const struct fs_principal *p, int format, const char *name)
{
    char rendered[768];
    if (fs_name_render(d, p, format, rendered, sizeof rendered) != FS_OK)
        return 0;
    if (format == NameServicePrincipal && p->user) {
        for (size_t i = 0; i < p->user->nspns; i++)
            if (!fs_ascii_casecmp(name, p->user->spns[i]))
                return 1;
        return 0;
    }
    return !fs_ascii_casecmp(rendered, name);
}

fs_err fs_name_resolve(const struct fs_domain *d, const char *name, int format, struct fs_principal *out)
{
    int known = format == NameUnknown;
    for (size_t i = 0; i < sizeof every_format / sizeof *every_format; i++)
        known |= every_format[i] == format;
    if (!known)
        return FS_E_INVALID_PARAMETER;
    for (size_t f = 0; f < sizeof every_format / sizeof *every_format; f++) {
        int fmt = every_format[f];
        if (format != NameUnknown && fmt != format)
            continue;
        for (size_t i = 0; i < d->nusers; i++) {
            struct fs_principal p = {&d->users[i], NULL};
            if (matches(d, &p, fmt, name)) {
                *out = p;
                return FS_OK;
            }
        }
        for (size_t i = 0; i < d->ngroups; i++) {
            struct fs_principal p = {NULL, &d->groups[i]};
            if (matches(d, &p, fmt, name)) {
                *out = p;
                return FS_OK;
            }
        }
    }
    return FS_E_NONE_MAPPED;
}
