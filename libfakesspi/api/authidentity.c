/* Reads a caller's SEC_WINNT_AUTH_IDENTITY(_EX) in its A or W form, for every call that takes one. */
#include "authidentity.h"

#include <string.h>

#include "core/alloc.h"
#include "core/utf.h"

/* ANSI or UNICODE, exactly one: with both, ANSI strings would be read as UTF-16 (twice their length). */
static fs_err charset(ULONG flags, int *unicode)
{
    ULONG set = flags & (SEC_WINNT_AUTH_IDENTITY_ANSI | SEC_WINNT_AUTH_IDENTITY_UNICODE);
    if (set != SEC_WINNT_AUTH_IDENTITY_ANSI && set != SEC_WINNT_AUTH_IDENTITY_UNICODE)
        return FS_E_UNKNOWN_CREDENTIALS;
    *unicode = set == SEC_WINNT_AUTH_IDENTITY_UNICODE;
    return FS_OK;
}

/* The _EX form announces itself by Version; the A and W structures share one layout (pointers and ULONGs), so
 * the W declaration reads both. */
fs_err fs_auth_identity_read(const void *auth, unsigned how, struct fs_auth_identity *out)
{
    ULONG version;
    memcpy(&version, auth, sizeof version);
    struct fs_auth_identity id = {0};
    if (version == SEC_WINNT_AUTH_IDENTITY_VERSION) {
        const SEC_WINNT_AUTH_IDENTITY_EXW *ex = auth;
        if ((how & FS_AUTH_IDENTITY_WHOLE_EX) && ex->Length < sizeof *ex)
            return FS_E_UNKNOWN_CREDENTIALS;
        id.ex = 1;
        id.flags = ex->Flags;
        id.user = (struct fs_auth_string){ex->User, ex->UserLength};
        id.domain = (struct fs_auth_string){ex->Domain, ex->DomainLength};
        id.password = (struct fs_auth_string){ex->Password, ex->PasswordLength};
        id.packages = (struct fs_auth_string){ex->PackageList, ex->PackageListLength};
    } else if (version == SEC_WINNT_AUTH_IDENTITY_VERSION_2 || (how & FS_AUTH_IDENTITY_WHOLE_EX)) {
        return FS_E_UNKNOWN_CREDENTIALS; /* packed _EX2 identities: not emulated */
    } else {
        const SEC_WINNT_AUTH_IDENTITY_W *plain = auth;
        id.flags = plain->Flags;
        id.user = (struct fs_auth_string){plain->User, plain->UserLength};
        id.domain = (struct fs_auth_string){plain->Domain, plain->DomainLength};
        id.password = (struct fs_auth_string){plain->Password, plain->PasswordLength};
    }
    fs_err err = charset(id.flags, &id.unicode);
    if (err == FS_OK)
        *out = id;
    return err;
}

size_t fs_auth_identity_unit(const struct fs_auth_identity *id) { return id->unicode ? sizeof(uint16_t) : 1; }

fs_err fs_auth_string_utf8(const struct fs_auth_string *s, int unicode, char **out)
{
    *out = NULL;
    if (!s->chars)
        return FS_OK;
    int nul = 0;
    if (unicode) {
        const uint16_t *w = s->chars;
        for (ULONG i = 0; i < s->len && !nul; i++)
            nul = w[i] == 0;
    } else {
        nul = memchr(s->chars, '\0', s->len) != NULL;
    }
    if (nul)
        return FS_E_UNKNOWN_CREDENTIALS;
    char *c;
    if (!unicode) {
        c = fs_strndup(s->chars, s->len);
    } else {
        size_t n;
        fs_utf16_to_utf8(s->chars, s->len, NULL, 0, &n, 0);
        if ((c = fs_malloc(n + 1))) {
            fs_utf16_to_utf8(s->chars, s->len, c, n, &n, 0);
            c[n] = '\0';
        }
    }
    if (!c)
        return FS_E_NOMEM;
    *out = c;
    return FS_OK;
}

size_t fs_auth_string_units(const struct fs_auth_string *s, int unicode)
{
    if (!s->chars || unicode)
        return s->chars ? s->len : 0;
    size_t n;
    fs_utf8_to_utf16(s->chars, s->len, NULL, 0, &n, 0);
    return n;
}

void fs_auth_string_put_utf16(const struct fs_auth_string *s, int unicode, uint16_t *out)
{
    if (!s->chars || !s->len)
        return;
    if (unicode) {
        memcpy(out, s->chars, s->len * sizeof(uint16_t));
        return;
    }
    size_t n;
    fs_utf8_to_utf16(s->chars, s->len, out, fs_auth_string_units(s, 0), &n, 0);
}
