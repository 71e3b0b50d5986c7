/* The EXTENDED_NAME_FORMAT renderings of a principal (GetUserNameEx, TranslateName). */
#ifndef FS_SECURITY_NAME_FORMATS_H
#define FS_SECURITY_NAME_FORMATS_H

#include <stddef.h>
#include "core/error.h"
#include "domain.h"

struct fs_principal {
    const struct fs_user *user;   /* exactly one of user and group is set */
    const struct fs_group *group;
};

/* Writes p in format (NameSamCompatible, ...); FS_E_NONE_MAPPED when p has no such name,
 * FS_E_INVALID_PARAMETER for a format that does not exist. */
FS_MUST_CHECK fs_err fs_name_render(const struct fs_domain *d, const struct fs_principal *p, int format, char *out, size_t cap);
/* Writes the fake host's machine account (d->computer + "$", in CN=Computers) in format: as
 * fs_name_render, FS_E_NONE_MAPPED for the forms a computer object has none of (UPN, SPN, GUID, names). */
FS_MUST_CHECK fs_err fs_name_render_computer(const struct fs_domain *d, int format, char *out, size_t cap);
/* Finds the principal that name is in format; NameUnknown tries every format. */
FS_MUST_CHECK fs_err fs_name_resolve(const struct fs_domain *d, const char *name, int format, struct fs_principal *out);

#endif
