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

static int ace_is_object(uint8_t type)
{
    return type == FS_ACE_ALLOWED_OBJECT || type == FS_ACE_DENIED_OBJECT || type == FS_ACE_AUDIT_OBJECT ||
           type == FS_ACE_ALARM_OBJECT;
}

/* Where an object ACE's SID starts: after the mask, the object flags and the GUIDs those flags announce. */
static size_t object_sid_offset(const uint8_t *ace)
{
    uint32_t object_flags;
    memcpy(&object_flags, ace + 8, 4);
    size_t at = 12;
    if (object_flags & FS_ACE_OBJECT_TYPE_PRESENT)
        at += FS_GUID_SIZE;
    if (object_flags & FS_ACE_INHERITED_OBJECT_TYPE_PRESENT)
        at += FS_GUID_SIZE;
    return at;
}

/* The SID of an ACE that fits in ace_size bytes is whole and valid. */
static int ace_sid_fits(const uint8_t *ace, size_t ace_size, size_t sid_at)
{
    return ace_size >= sid_at + 8 && fs_sid_is_valid(ace + sid_at) && sid_at + 8 + 4u * ace[sid_at + 1] <= ace_size;
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
        if (ace_has_sid(p[at]) && !ace_sid_fits(p + at, ace_size, FS_ACE_SID_OFFSET))
            return 0;
        if (ace_is_object(p[at]) && (ace_size < 12 || !ace_sid_fits(p + at, ace_size, object_sid_offset(p + at))))
            return 0;
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
    out->object = ace_is_object(out->type);
    out->object_type = out->inherited_object_type = NULL;
    if (out->size >= FS_ACE_SID_OFFSET)
        memcpy(&out->mask, ace + 4, 4);
    if (ace_has_sid(out->type))
        out->sid = ace + FS_ACE_SID_OFFSET;
    if (out->object) {
        uint32_t object_flags;
        memcpy(&object_flags, ace + 8, 4);
        const uint8_t *guid = ace + 12;
        if (object_flags & FS_ACE_OBJECT_TYPE_PRESENT)
            out->object_type = guid, guid += FS_GUID_SIZE;
        if (object_flags & FS_ACE_INHERITED_OBJECT_TYPE_PRESENT)
            out->inherited_object_type = guid;
        out->sid = ace + object_sid_offset(ace);
    }
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
    return fs_acl_append_object(acl, revision, type, flags, mask, NULL, NULL, sid);
}

fs_err fs_acl_append_object(void *acl, uint32_t revision, uint8_t type, uint8_t flags, uint32_t mask,
                            const uint8_t *object_type, const uint8_t *inherited_object_type, const void *sid)
{
    if (!fs_sid_is_valid(sid))
        return FS_E_INVALID_SID;
    if (!fs_acl_is_valid(acl))
        return FS_E_INVALID_ACL;
    if (revision < FS_ACL_REVISION || revision > FS_ACL_REVISION_DS)
        return FS_E_REVISION_MISMATCH;
    int object = ace_is_object(type);
    uint32_t object_flags = (object_type ? FS_ACE_OBJECT_TYPE_PRESENT : 0) |
                            (inherited_object_type ? FS_ACE_INHERITED_OBJECT_TYPE_PRESENT : 0);
    size_t sid_len = 8 + 4u * ((const uint8_t *)sid)[1];
    size_t sid_at = object ? 12 + FS_GUID_SIZE * (size_t)(!!object_type + !!inherited_object_type) : FS_ACE_SID_OFFSET;
    size_t size = sid_at + sid_len, used = fs_acl_bytes_in_use(acl);
    if (used + size > fs_acl_size(acl))
        return FS_E_ALLOTTED_SPACE_EXCEEDED;
    fs_err err = check_revision(acl, object ? FS_ACL_REVISION_DS : revision);
    if (err != FS_OK)
        return err;
    uint8_t *ace = (uint8_t *)acl + used;
    ace[0] = type;
    ace[1] = flags;
    put16(ace, 2, (uint16_t)size);
    memcpy(ace + 4, &mask, 4);
    if (object) {
        memcpy(ace + 8, &object_flags, 4);
        uint8_t *guid = ace + 12;
        if (object_type)
            memcpy(guid, object_type, FS_GUID_SIZE), guid += FS_GUID_SIZE;
        if (inherited_object_type)
            memcpy(guid, inherited_object_type, FS_GUID_SIZE);
    }
    memcpy(ace + sid_at, sid, sid_len);
    put16(acl, 4, (uint16_t)(fs_acl_count(acl) + 1));
    return FS_OK;
}
