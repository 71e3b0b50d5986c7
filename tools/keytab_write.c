/* An MIT keytab: a 16-bit version, then entries each prefixed with its 32-bit size, all big-endian
 * (MIT krb5's "keytab file format" document). */
#include "keytab_write.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/bytes.h"
#include "packages/kerberos/krb_etypes.h"
#include "packages/kerberos/krb_keys.h"
#include "security/domain_current.h"
#include "security/enctypes.h"

#define KEYTAB_TIMESTAMP 1735689600u /* 2025-01-01T00:00:00Z, the fake domain's clock at its start */

static void put_counted(struct fs_writer *w, const char *s, size_t n)
{
    fs_write_u16be(w, (uint16_t)n);
    fs_write_bytes(w, s, n);
}

/* One entry: the principal spn@realm (its components split at '/', type KRB_NT_SRV_INST) and one key. */
static void put_entry(struct fs_writer *w, const char *realm, const char *spn, const struct krb_key *k)
{
    struct fs_writer e;
    fs_writer_init(&e);
    uint16_t components = 1;
    for (const char *p = spn; *p; p++)
        components += *p == '/';
    fs_write_u16be(&e, components);
    put_counted(&e, realm, strlen(realm));
    for (const char *p = spn;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        put_counted(&e, p, n);
        if (!slash)
            break;
        p = slash + 1;
    }
    fs_write_u32be(&e, 2); /* KRB_NT_SRV_INST */
    fs_write_u32be(&e, KEYTAB_TIMESTAMP);
    fs_write_u8(&e, KRB_KVNO);
    fs_write_u16be(&e, (uint16_t)k->etype);
    fs_write_u16be(&e, (uint16_t)k->len);
    fs_write_bytes(&e, k->bytes, k->len);
    fs_write_u32be(&e, KRB_KVNO); /* the 32-bit kvno, which MIT reads when present */
    if (e.failed) {
        w->failed = 1;
    } else {
        fs_write_u32be(w, (uint32_t)e.len);
        fs_write_bytes(w, e.data, e.len);
    }
    fs_writer_free(&e);
}

/* Every key of one account under one of its SPNs: both AES keys, and the RC4 key (the NT hash) of an account whose
 * supported_enctypes has RC4 (doc/semantics.md §53). */
static void put_account(struct fs_writer *w, const struct fs_domain *d, const char *realm, const struct fs_user *u,
                        const char *spn)
{
    static const int32_t etypes[] = {KRB_ETYPE_AES256, KRB_ETYPE_AES128, KRB_ETYPE_RC4};
    for (size_t i = 0; i < sizeof etypes / sizeof *etypes && !w->failed; i++) {
        if (etypes[i] == KRB_ETYPE_RC4 && !(krb_account_enctypes(u) & FS_ENCTYPE_RC4))
            continue;
        struct krb_key k;
        if (krb_user_key(d, u, etypes[i], &k) != FS_OK) {
            w->failed = 1;
            break;
        }
        put_entry(w, realm, spn, &k);
        explicit_bzero(&k, sizeof k);
    }
}

static int write_file(const char *path, const struct fs_writer *w)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int rc = fwrite(w->data, 1, w->len, f) == w->len ? 0 : -1;
    if (fclose(f))
        rc = -1;
    return rc;
}

int keytab_write(const char *path, const char *spn, char *why, size_t cap)
{
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *service = d && spn ? krb_find_service(d, spn) : NULL;
    if (!d || (spn && !service)) {
        fs_domain_release();
        if (spn)
            snprintf(why, cap, "no account of the domain registers %s", spn);
        else
            snprintf(why, cap, "no domain is loaded");
        return -1;
    }
    char realm[256];
    krb_realm(d, realm, sizeof realm);
    struct fs_writer w;
    fs_writer_init(&w);
    fs_write_u16be(&w, 0x0502);
    size_t entries = 0;
    if (spn) {
        put_account(&w, d, realm, service, spn);
        entries++;
    } else {
        for (size_t i = 0; i < d->nusers; i++)
            for (size_t j = 0; j < d->users[i].nspns; j++, entries++)
                put_account(&w, d, realm, &d->users[i], d->users[i].spns[j]);
    }
    fs_domain_release();
    int rc = -1;
    if (w.failed)
        snprintf(why, cap, "out of memory");
    else if (entries == 0)
        snprintf(why, cap, "no account of the domain registers an SPN");
    else if ((rc = write_file(path, &w)))
        snprintf(why, cap, "%s: %s", path, strerror(errno));
    fs_writer_free(&w);
    return rc;
}
