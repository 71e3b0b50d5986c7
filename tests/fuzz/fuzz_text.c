/* libFuzzer: the text parsers: SID strings (with SDDL aliases) and domain INI files, NUL bytes and all; a
 * domain that loads is then looked up through its indexes (every user by name, upper-cased, by SID and
 * UPN, its nested groups expanded), and the raw text is upper-cased as names are. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "windows.h"
#include "sddl.h"
#include "core/utf.h"
#include "security/domain_ini.h"
#include "security/sid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct fs_sid sid;
    if (fs_sid_parse(text, &sid) == FS_OK) {
        char back[FS_SID_STRING_MAX];
        fs_sid_format(&sid, back, sizeof back);
    }
    PSID s;
    if (ConvertStringSidToSidA(text, &s))
        LocalFree(s);
    char message[256], key[FS_DOMAIN_KEY_MAX];
    size_t len;
    if (fs_utf8_upcase(text, key, sizeof key, &len) == FS_OK && len >= sizeof key)
        abort(); /* said it fitted, and did not */
    struct fs_domain *d = fs_domain_parse_bytes((const char *)data, size, "fuzz", message, sizeof message);
    for (size_t i = 0; d && i < d->nusers; i++) {
        const struct fs_user *u = &d->users[i];
        if (fs_domain_key(u->name, key, &len) == 0 && fs_domain_find_user(d, key) != u)
            abort(); /* an account not found by its own name in upper case */
        if (fs_domain_find_user_by_sid(d, &u->sid) != u || fs_domain_find_user(d, u->upn) != u)
            abort();
        struct fs_sid *all = NULL;
        size_t n = 0;
        if (fs_domain_expand_groups(d, u->groups, u->ngroups, &all, &n) == FS_OK && n < u->ngroups)
            abort();
        free(all);
        for (size_t k = 0; k < u->nspns; k++)
            if (fs_domain_find_spn(d, u->spns[k]) != u)
                abort();
    }
    fs_domain_free(d);
    free(text);
    return 0;
}
