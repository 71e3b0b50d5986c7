/* ACLs and ACEs: validation, reading, inserting and deleting in Windows' byte layout (MS-DTYP 2.4.4, 2.4.5). */
#include <string.h>

#include "acl.h"
#include "sid.h"

static uint16_t get16(const void *p, size_t at)
{
    uint16_t v;
    memcpy(&v, (const uint8_t *)p + at, 2);
    return v;
}

static void put16(void *p, size_t at, uint16_t v)
{
    memcpy((uint8_t *)p + at, &v, 2);
}

uint8_t fs_acl_revision(const void *acl) { return ((const uint8_t *)acl)[0]; }
uint16_t fs_acl_size(const void *acl) { return get16(acl, 2); }
uint16_t fs_acl_count(const void *acl) { return get16(acl, 4); }

static int ace_has_sid(uint8_t type)
{
    return type == FS_ACE_ALLOWED || type == FS_ACE_DENIED || type == FS_ACE_AUDIT || type == FS_ACE_ALARM ||
           type == FS_ACE_MANDATORY_LABEL;
}

/* Walks the ACEs; returns the end offset of the last one, or 0 when one does not fit. */
static size_t walk(const void *acl)
{
    const uint8_t *p = acl;
    size_t size = fs_acl_size(acl), at = FS_ACL_HEADER_SIZE;
    if (size < FS_ACL_HEADER_SIZE)
        return 0;
    for (unsigned i = 0; i < fs_acl_count(acl); i++) {
        if (size - at < FS_ACE_HEADER_SIZE)
            return 0;
        uint16_t ace_size = get16(p, at + 2);
        if (ace_size < FS_ACE_HEADER_SIZE || ace_size > size - at)
            return 0;
        if (ace_has_sid(p[at])) {
            if (ace_size < FS_ACE_SID_OFFSET + 8 || !fs_sid_is_valid(p + at + FS_ACE_SID_OFFSET))
                return 0;
            if (FS_ACE_SID_OFFSET + 8 + 4u * p[at + FS_ACE_SID_OFFSET + 1] > ace_size)
                return 0;
        }
        at += ace_size;
    }
    return at;
}

int fs_acl_is_valid(const void *acl)
{
    if (!acl)
        return 0;
    uint8_t rev = fs_acl_revision(acl);
    return rev >= FS_ACL_REVISION && rev <= FS_ACL_REVISION_DS && walk(acl) != 0;
}

size_t fs_acl_bytes_in_use(const void *acl)
{
    return walk(acl);
}

fs_err fs_acl_init(void *acl, uint32_t len, uint32_t revision)
{
    if (len < FS_ACL_HEADER_SIZE)
        return FS_E_INSUFFICIENT_BUFFER;
    if (revision < FS_ACL_REVISION || revision > FS_ACL_REVISION_DS || len > 0xFFFF)
        return FS_E_INVALID_PARAMETER;
    uint8_t *p = acl;
    memset(p, 0, FS_ACL_HEADER_SIZE);
    p[0] = (uint8_t)revision;
    put16(p, 2, (uint16_t)len);
    return FS_OK;
}

/* Offset of the index-th ACE (index == count gives the end of the last). */
static size_t offset_of(const void *acl, uint32_t index)
{
    size_t at = FS_ACL_HEADER_SIZE;
    for (uint32_t i = 0; i < index; i++)
        at += get16(acl, at + 2);
    return at;
}

fs_err fs_acl_get(const void *acl, uint32_t index, struct fs_ace *out)
{
    if (!fs_acl_is_valid(acl))
        return FS_E_INVALID_ACL;
    if (index >= fs_acl_count(acl))
        return FS_E_INVALID_PARAMETER;
    const uint8_t *ace = (const uint8_t *)acl + offset_of(acl, index);
    out->raw = ace;
    out->type = ace[0];
    out->flags = ace[1];
    out->size = get16(ace, 2);
    out->mask = 0;
    out->sid = NULL;
    if (out->size >= FS_ACE_SID_OFFSET)
        memcpy(&out->mask, ace + 4, 4);
    if (ace_has_sid(out->type))
        out->sid = ace + FS_ACE_SID_OFFSET;
    return FS_OK;
}

/* An ACL takes the highest revision of what is put in it (ACL_REVISION_DS once an object ACE is). */
static fs_err check_revision(void *acl, uint32_t revision)
{
    if (revision < FS_ACL_REVISION || revision > FS_ACL_REVISION_DS)
        return FS_E_UNKNOWN_REVISION;
    if (revision > fs_acl_revision(acl))
        ((uint8_t *)acl)[0] = (uint8_t)revision;
    return FS_OK;
}

fs_err fs_acl_insert(void *acl, uint32_t revision, uint32_t index, const void *list, uint32_t len)
{
    if (!fs_acl_is_valid(acl))
        return FS_E_INVALID_ACL;
    if (!list)
        return FS_E_INVALID_PARAMETER;
    /* The list must be whole ACEs. */
    uint32_t n = 0, at = 0;
    while (at < len) {
        if (len - at < FS_ACE_HEADER_SIZE)
            return FS_E_INVALID_PARAMETER;
        uint16_t s = get16(list, at + 2);
        if (s < FS_ACE_HEADER_SIZE || s > len - at)
            return FS_E_INVALID_PARAMETER;
        at += s;
        n++;
    }
    size_t used = fs_acl_bytes_in_use(acl);
    if (used + len > fs_acl_size(acl))
        return FS_E_INSUFFICIENT_BUFFER;
    if (fs_acl_count(acl) + n > 0xFFFF)
        return FS_E_INVALID_PARAMETER;
    fs_err err = check_revision(acl, revision);
    if (err != FS_OK)
        return err;
    uint16_t count = fs_acl_count(acl);
    size_t where = offset_of(acl, index < count ? index : count);
    uint8_t *p = acl;
    memmove(p + where + len, p + where, used - where);
    memcpy(p + where, list, len);
    put16(p, 4, (uint16_t)(count + n));
    return FS_OK;
}

fs_err fs_acl_delete(void *acl, uint32_t index)
{
    if (!fs_acl_is_valid(acl))
        return FS_E_INVALID_ACL;
    uint16_t count = fs_acl_count(acl);
    if (index >= count)
        return FS_E_INVALID_PARAMETER;
    uint8_t *p = acl;
    size_t used = fs_acl_bytes_in_use(acl), where = offset_of(acl, index);
    uint16_t s = get16(p, where + 2);
    memmove(p + where, p + where + s, used - where - s);
    memset(p + used - s, 0, s);
    put16(p, 4, (uint16_t)(count - 1));
    return FS_OK;
}

fs_err fs_acl_append(void *acl, uint32_t revision, uint8_t type, uint8_t flags, uint32_t mask, const void *sid)
{
    if (!fs_sid_is_valid(sid))
        return FS_E_INVALID_SID;
    if (!fs_acl_is_valid(acl))
        return FS_E_INVALID_ACL;
    if (revision < FS_ACL_REVISION || revision > FS_ACL_REVISION_DS)
        return FS_E_REVISION_MISMATCH;
    size_t sid_len = 8 + 4u * ((const uint8_t *)sid)[1];
    size_t size = FS_ACE_SID_OFFSET + sid_len, used = fs_acl_bytes_in_use(acl);
    if (used + size > fs_acl_size(acl))
        return FS_E_ALLOTTED_SPACE_EXCEEDED;
    fs_err err = check_revision(acl, revision);
    if (err != FS_OK)
        return err;
    uint8_t *ace = (uint8_t *)acl + used;
    ace[0] = type;
    ace[1] = flags;
    put16(ace, 2, (uint16_t)size);
    memcpy(ace + 4, &mask, 4);
    memcpy(ace + FS_ACE_SID_OFFSET, sid, sid_len);
    put16(acl, 4, (uint16_t)(fs_acl_count(acl) + 1));
    return FS_OK;
}
