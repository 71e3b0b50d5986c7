/* The table of well-known SIDs (English names, as on an English Windows). */
#include "wellknown.h"

#include <stddef.h>
#include <string.h>

#include "core/utf.h"
#include "winnt.h"

static const struct fs_wellknown table[] = {
    {"S-1-0-0", NULL, "NULL SID", "", SidTypeWellKnownGroup},
    {"S-1-1-0", "WD", "Everyone", "", SidTypeWellKnownGroup},
    {"S-1-2-0", NULL, "LOCAL", "", SidTypeWellKnownGroup},
    {"S-1-2-1", NULL, "CONSOLE LOGON", "", SidTypeWellKnownGroup},
    {"S-1-3-0", "CO", "CREATOR OWNER", "", SidTypeWellKnownGroup},
    {"S-1-3-1", "CG", "CREATOR GROUP", "", SidTypeWellKnownGroup},
    {"S-1-5", NULL, "NT AUTHORITY", "NT AUTHORITY", SidTypeDomain},
    {"S-1-5-1", NULL, "DIALUP", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-2", "NU", "NETWORK", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-3", NULL, "BATCH", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-4", "IU", "INTERACTIVE", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-6", "SU", "SERVICE", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-7", "AN", "ANONYMOUS LOGON", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-9", "ED", "ENTERPRISE DOMAIN CONTROLLERS", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-10", "PS", "SELF", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-11", "AU", "Authenticated Users", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-12", "RC", "RESTRICTED", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-14", NULL, "REMOTE INTERACTIVE LOGON", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-15", NULL, "This Organization", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-18", "SY", "SYSTEM", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-19", "LS", "LOCAL SERVICE", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-20", "NS", "NETWORK SERVICE", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-32", NULL, "BUILTIN", "BUILTIN", SidTypeDomain},
    {"S-1-5-32-544", "BA", "Administrators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-545", "BU", "Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-546", "BG", "Guests", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-547", "PU", "Power Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-551", "BO", "Backup Operators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-555", "RD", "Remote Desktop Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-558", "MU", "Performance Monitor Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-559", "LU", "Performance Log Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-64-10", NULL, "NTLM Authentication", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-64-14", NULL, "SChannel Authentication", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-64-21", NULL, "Digest Authentication", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-16-0", NULL, "Untrusted Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-4096", "LW", "Low Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-8192", "ME", "Medium Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-8448", "MP", "Medium Plus Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-12288", "HI", "High Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-16384", "SI", "System Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-18-1", NULL, "Authentication authority asserted identity", "", SidTypeWellKnownGroup},
};

#define COUNT (sizeof table / sizeof table[0])

void fs_wellknown_sid(const struct fs_wellknown *wk, struct fs_sid *out) { fs_sid_parse_known(wk->sid, out); }

const struct fs_wellknown *fs_wellknown_by_sid(const struct fs_sid *sid)
{
    for (size_t i = 0; i < COUNT; i++) {
        struct fs_sid s;
        fs_wellknown_sid(&table[i], &s);
        if (fs_sid_equal(&s, sid))
            return &table[i];
    }
    return NULL;
}

const struct fs_wellknown *fs_wellknown_by_name(const char *name)
{
    const char *slash = strchr(name, '\\');
    for (size_t i = 0; i < COUNT; i++) {
        const struct fs_wellknown *wk = &table[i];
        if (slash) {
            size_t dlen = (size_t)(slash - name);
            if (strlen(wk->domain) != dlen)
                continue;
            char domain[64];
            if (dlen >= sizeof domain)
                continue;
            memcpy(domain, name, dlen);
            domain[dlen] = '\0';
            if (fs_ascii_casecmp(domain, wk->domain) || fs_ascii_casecmp(slash + 1, wk->name))
                continue;
            return wk;
        }
        /* The first letter rules out nearly every entry without a full comparison. */
        if ((name[0] | 0x20) == (wk->name[0] | 0x20) && !fs_ascii_casecmp(name, wk->name))
            return wk;
    }
    return NULL;
}

const struct fs_wellknown *fs_wellknown_by_alias(const char *alias)
{
    for (size_t i = 0; i < COUNT; i++)
        if (table[i].alias && !strcmp(table[i].alias, alias))
            return &table[i];
    return NULL;
}
