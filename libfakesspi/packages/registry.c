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

void fs_packages_reset(void)
{
    for (size_t i = 0; i < COUNT; i++)
        if (packages[i]->reset)
            packages[i]->reset();
}

void fs_packages_session_ended(uint64_t logon_id)
{
    for (size_t i = 0; i < COUNT; i++)
        if (packages[i]->session_ended)
            packages[i]->session_ended(logon_id);
}

/* The package a negotiating one chose, with its state in *chosen_state; NULL while there is none. */
static const struct fs_package *chosen_of(const struct fs_package *pkg, const void *state, const void **chosen_state)
{
    *chosen_state = NULL;
    return pkg->selected && state ? pkg->selected(state, chosen_state) : NULL;
}

const struct fs_package *fs_package_effective(const struct fs_package *pkg, const void *state)
{
    const void *chosen_state;
    const struct fs_package *chosen = chosen_of(pkg, state, &chosen_state);
    return chosen ? chosen : pkg;
}

const void *fs_package_effective_state(const struct fs_package *pkg, const void *state)
{
    const void *chosen_state;
    return chosen_of(pkg, state, &chosen_state) ? chosen_state : state;
}
