/* The package list, in Windows' enumeration order. */
#include <stdint.h>
#include <string.h>

#include "core/utf.h"
#include "package.h"

static const struct fs_package *const packages[] = {&fs_negotiate_package, &fs_kerberos_package, &fs_ntlm_package};

#define COUNT (sizeof packages / sizeof packages[0])

size_t fs_package_count(void) { return COUNT; }

const struct fs_package *fs_package_at(size_t index) { return index < COUNT ? packages[index] : NULL; }

const struct fs_package *fs_package_find(const char *name)
{
    for (size_t i = 0; name && i < COUNT; i++)
        if (!fs_ascii_casecmp(name, packages[i]->name))
            return packages[i];
    return NULL;
}

size_t fs_package_index(const struct fs_package *pkg)
{
    for (size_t i = 0; i < COUNT; i++)
        if (packages[i] == pkg)
            return i;
    return SIZE_MAX;
}

void fs_packages_reset(void) { fs_kerberos_reset(); }

const struct fs_package *fs_package_effective(const struct fs_package *pkg, const void *state)
{
    const struct fs_package *chosen = pkg->selected && state ? pkg->selected(state) : NULL;
    return chosen ? chosen : pkg;
}

int fs_package_list_allows(const char *list, const char *package)
{
    if (!list || !*list)
        return 1;
    int any_positive = 0, named = 0;
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > start && end[-1] == ' ')
            end--;
        int negated = start < end && *start == '!';
        if (negated)
            start++;
        size_t len = (size_t)(end - start);
        char name[32];
        if (!len || len >= sizeof name)
            continue;
        memcpy(name, start, len);
        name[len] = '\0';
        int match = !fs_ascii_casecmp(name, package);
        if (negated && match)
            return 0;
        if (!negated) {
            any_positive = 1;
            named |= match;
        }
    }
    return !any_positive || named;
}
