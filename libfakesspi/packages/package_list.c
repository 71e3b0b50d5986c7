/* SEC_WINNT_AUTH_IDENTITY_EX's PackageList: a comma-separated list of package names, "!" excluding one
 * (doc/semantics.md §1). */
#include "package_list.h"

#include <string.h>

#include "core/utf.h"

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
