/* Kerberos across the domain file's trust: realms to domains, SPNs of the trusted domain, inter-realm keys
 * (doc/semantics.md §76). */
#include "krb_trust.h"

#include <stdio.h>

#include "core/utf.h"
#include "krb_keys.h"

const struct fs_domain *krb_domain_of_realm(const struct fs_domain *d, const char *realm)
{
    char own[256];
    krb_realm(d, own, sizeof own);
    if (realm && !fs_ascii_casecmp(realm, own))
        return d;
    const struct fs_trust *t = realm ? fs_domain_find_trust(d, realm) : NULL;
    return t ? t->domain : NULL;
}

const struct fs_trust *krb_trust_for_service(const struct fs_domain *d, const char *spn, const struct fs_user **service)
{
    for (size_t i = 0; i < d->ntrusts; i++) {
        const struct fs_user *u = krb_find_service(d->trusts[i].domain, spn);
        if (u) {
            *service = u;
            return &d->trusts[i];
        }
    }
    return NULL;
}

fs_err krb_trust_key(const struct fs_domain *from, const struct fs_domain *to, const struct fs_trust *t,
                     struct krb_key *out)
{
    char to_realm[256], name[300];
    krb_realm(to, to_realm, sizeof to_realm);
    snprintf(name, sizeof name, "krbtgt%s", to_realm); /* with from's realm in front: the salt */
    struct fs_user stand_in = {.name = name, .password = t->password};
    return krb_user_key(from, &stand_in, KRB_TRUST_ETYPE, out);
}
