/* Principals' long-term keys: the SPN registry lookup and a small cache of derived keys. */
#include "krb_keys.h"

#include <nettle/memops.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf.h"

void krb_realm(const struct fs_domain *d, char *out, size_t cap)
{
    size_t i = 0;
    for (; d->dns[i] && i + 1 < cap; i++)
        out[i] = (char)(d->dns[i] >= 'a' && d->dns[i] <= 'z' ? d->dns[i] - 32 : d->dns[i]);
    out[i] = '\0';
}

/* The account an SPN names: SPNs are matched case-insensitively (the domain's SPN index), an optional
 * "@REALM" ignored when it names our realm. */
const struct fs_user *krb_find_service(const struct fs_domain *d, const char *spn)
{
    const char *at = strchr(spn, '@');
    size_t len = at ? (size_t)(at - spn) : strlen(spn);
    if (at) {
        char realm[256];
        krb_realm(d, realm, sizeof realm);
        if (fs_ascii_casecmp(at + 1, realm))
            return NULL; /* another realm: no trust in the fake domain */
    }
    char name[FS_DOMAIN_KEY_MAX];
    if (len >= sizeof name)
        return NULL;
    memcpy(name, spn, len);
    name[len] = '\0';
    const struct fs_user *u = fs_domain_find_spn(d, name);
    if (u)
        return u;
    /* Active Directory also issues tickets to an account by its own name ("svc_server@REALM"). */
    u = strchr(name, '/') ? NULL : fs_domain_find_user(d, name);
    return u && u->nspns ? u : NULL;
}

#define CACHE_SLOTS 32

struct cached_key {
    int32_t etype;
    char *salt;
    char *password;
    struct krb_key key;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cached_key cache[CACHE_SLOTS];
static size_t cache_next; /* round-robin replacement */

static void forget(struct cached_key *c)
{
    free(c->salt);
    if (c->password) {
        explicit_bzero(c->password, strlen(c->password));
        free(c->password);
    }
    explicit_bzero(c, sizeof *c);
}

void krb_keys_reset(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        forget(&cache[i]);
    cache_next = 0;
    pthread_mutex_unlock(&cache_lock);
}

void krb_account_salt(const struct fs_domain *d, const char *name, char *out, size_t cap)
{
    char realm[256];
    krb_realm(d, realm, sizeof realm);
    size_t name_len = strlen(name);
    if (name_len < 2 || name[name_len - 1] != '$') {
        snprintf(out, cap, "%s%s", realm, name);
        return;
    }
    /* A computer account (MS-KILE 3.1.1.2): "host", its name in lower case without the "$", ".", the realm in
     * lower case; the salt MIT's default gives the principal host/name.realm. */
    int n = snprintf(out, cap, "%shost%.*s.%s", realm, (int)(name_len - 1), name, realm);
    size_t len = strlen(realm);
    for (size_t i = len; n > 0 && i < cap && out[i]; i++)
        if (out[i] >= 'A' && out[i] <= 'Z')
            out[i] = (char)(out[i] + 32);
}

fs_err krb_user_key(const struct fs_domain *d, const struct fs_user *u, int32_t etype, struct krb_key *out)
{
    if (!krb_etype_supported(etype))
        return FS_E_NOT_SUPPORTED;
    if (u->nt_hash_given) { /* its one key, RC4-HMAC's, which is the NT hash (doc/semantics.md §73) */
        if (etype != KRB_ETYPE_RC4)
            return FS_E_NOT_SUPPORTED;
        *out = (struct krb_key){.etype = KRB_ETYPE_RC4, .len = 16};
        return fs_domain_user_nt_hash(d, u, out->bytes) ? FS_OK : FS_E_NOT_SUPPORTED;
    }
    const char *password = u->password ? u->password : "";
    char salt[512];
    krb_account_salt(d, u->name, salt, sizeof salt);

    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        struct cached_key *c = &cache[i];
        if (c->salt && c->etype == etype && !strcmp(c->salt, salt) && !strcmp(c->password, password)) {
            *out = c->key;
            pthread_mutex_unlock(&cache_lock);
            return FS_OK;
        }
    }
    pthread_mutex_unlock(&cache_lock);

    /* PBKDF2 runs outside the lock: two threads may both derive the same key, which is harmless. */
    fs_err err = krb_string_to_key(etype, password, (const uint8_t *)salt, strlen(salt), 0, out);
    if (err != FS_OK)
        return err;
    char *salt_copy = fs_strdup(salt), *password_copy = fs_strdup(password);
    if (!salt_copy || !password_copy) { /* the key is right; it only goes uncached */
        free(salt_copy);
        if (password_copy)
            explicit_bzero(password_copy, strlen(password_copy));
        free(password_copy);
        return FS_OK;
    }
    pthread_mutex_lock(&cache_lock);
    struct cached_key *slot = &cache[cache_next];
    cache_next = (cache_next + 1) % CACHE_SLOTS;
    forget(slot);
    *slot = (struct cached_key){etype, salt_copy, password_copy, *out};
    pthread_mutex_unlock(&cache_lock);
    return FS_OK;
}

fs_err krb_kdc_key(const struct fs_domain *d, int32_t etype, struct krb_key *out)
{
    const struct fs_user *krbtgt = fs_domain_find_user(d, "krbtgt");
    /* A krbtgt given by its NT hash has an RC4 key only, which the KDC then uses whatever it asked, as a KDC whose
     * krbtgt has no AES keys does (doc/semantics.md §73). */
    if (krbtgt && krbtgt->nt_hash_given)
        return krb_user_key(d, krbtgt, KRB_ETYPE_RC4, out);
    if (krbtgt && krbtgt->password)
        return krb_user_key(d, krbtgt, etype, out);
    char password[8 + FS_SID_STRING_MAX] = "krbtgt:";
    fs_sid_format(&d->sid, password + 7, sizeof password - 7);
    char name[] = "krbtgt";
    struct fs_user stand_in = {.name = name, .password = password};
    return krb_user_key(d, &stand_in, etype, out);
}
