/* Security descriptors: reading either form, validating, and writing the self-relative layout (MS-DTYP 2.4.6). */
#include <string.h>

#include "acl.h"
#include "security_descriptor.h"
#include "sid.h"
#include "winnt.h"

size_t fs_sd_sid_length(const void *sid)
{
    return 8 + 4u * ((const uint8_t *)sid)[1];
}

fs_err fs_sd_read(const void *sd, struct fs_sd *out)
{
    const uint8_t *p = sd;
    if (p[0] != FS_SD_REVISION)
        return FS_E_UNKNOWN_REVISION;
    uint16_t control;
    memcpy(&control, p + 2, 2);
    memset(out, 0, sizeof *out);
    out->control = control;
    if (control & SE_SELF_RELATIVE) {
        SECURITY_DESCRIPTOR_RELATIVE rel;
        memcpy(&rel, sd, sizeof rel);
        out->owner = rel.Owner ? p + rel.Owner : NULL;
        out->group = rel.Group ? p + rel.Group : NULL;
        out->sacl = rel.Sacl && (control & SE_SACL_PRESENT) ? p + rel.Sacl : NULL;
        out->dacl = rel.Dacl && (control & SE_DACL_PRESENT) ? p + rel.Dacl : NULL;
    } else {
        SECURITY_DESCRIPTOR abs;
        memcpy(&abs, sd, sizeof abs);
        out->owner = abs.Owner;
        out->group = abs.Group;
        out->sacl = control & SE_SACL_PRESENT ? abs.Sacl : NULL;
        out->dacl = control & SE_DACL_PRESENT ? abs.Dacl : NULL;
    }
    return FS_OK;
}

int fs_sd_is_valid(const void *sd)
{
    struct fs_sd v;
    if (!sd || fs_sd_read(sd, &v) != FS_OK)
        return 0;
    return (!v.owner || fs_sid_is_valid(v.owner)) && (!v.group || fs_sid_is_valid(v.group)) &&
           (!v.sacl || fs_acl_is_valid(v.sacl)) && (!v.dacl || fs_acl_is_valid(v.dacl));
}

/* A part at offset must lie wholly inside the len bytes: a SID by its sub-authority count, an ACL by its
 * AclSize (whose ACEs fs_acl_is_valid then bounds by that size). */
static int sid_fits(const uint8_t *base, size_t len, DWORD offset)
{
    return !offset || (offset <= len && len - offset >= 8 && len - offset >= fs_sd_sid_length(base + offset));
}

static int acl_fits(const uint8_t *base, size_t len, DWORD offset)
{
    return !offset || (offset <= len && len - offset >= 8 && len - offset >= fs_acl_size(base + offset));
}

int fs_sd_relative_is_valid(const void *sd, size_t len)
{
    const uint8_t *p = sd;
    SECURITY_DESCRIPTOR_RELATIVE rel;
    if (!sd || len < FS_SD_RELATIVE_SIZE)
        return 0;
    memcpy(&rel, sd, sizeof rel);
    if (!(rel.Control & SE_SELF_RELATIVE) || !sid_fits(p, len, rel.Owner) || !sid_fits(p, len, rel.Group) ||
        !acl_fits(p, len, rel.Control & SE_SACL_PRESENT ? rel.Sacl : 0) ||
        !acl_fits(p, len, rel.Control & SE_DACL_PRESENT ? rel.Dacl : 0))
        return 0;
    return fs_sd_is_valid(sd);
}

size_t fs_sd_relative_length(const struct fs_sd *v)
{
    size_t len = FS_SD_RELATIVE_SIZE;
    if (v->sacl)
        len += fs_acl_size(v->sacl);
    if (v->dacl)
        len += fs_acl_size(v->dacl);
    if (v->owner)
        len += fs_sd_sid_length(v->owner);
    if (v->group)
        len += fs_sd_sid_length(v->group);
    return len;
}

static DWORD put(uint8_t *base, size_t *at, const void *part, size_t len)
{
    if (!part)
        return 0;
    DWORD offset = (DWORD)*at;
    memcpy(base + *at, part, len);
    *at += len;
    return offset;
}

void fs_sd_write_relative(const struct fs_sd *v, void *out)
{
    uint8_t *p = out;
    SECURITY_DESCRIPTOR_RELATIVE rel = {0};
    size_t at = FS_SD_RELATIVE_SIZE;
    rel.Revision = FS_SD_REVISION;
    rel.Control = (WORD)(v->control | SE_SELF_RELATIVE);
    rel.Sacl = put(p, &at, v->sacl, v->sacl ? fs_acl_size(v->sacl) : 0);
    rel.Dacl = put(p, &at, v->dacl, v->dacl ? fs_acl_size(v->dacl) : 0);
    rel.Owner = put(p, &at, v->owner, v->owner ? fs_sd_sid_length(v->owner) : 0);
    rel.Group = put(p, &at, v->group, v->group ? fs_sd_sid_length(v->group) : 0);
    memcpy(p, &rel, sizeof rel);
}
