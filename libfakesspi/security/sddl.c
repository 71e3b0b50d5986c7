/* SDDL both ways: text to a self-relative security descriptor and back ([MS-DTYP] 2.5.1), with every
 * SID alias accounts.c knows and the rights mnemonics of 2.5.1.1. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "acl.h"
#include "guid.h"
#include "sddl.h"
#include "security_descriptor.h"
#include "sid.h"
#include "winnt.h"

static const struct {
    const char *name;
    uint8_t type;
} ace_types[] = {
    {"A", ACCESS_ALLOWED_ACE_TYPE},         {"D", ACCESS_DENIED_ACE_TYPE},
    {"AU", SYSTEM_AUDIT_ACE_TYPE},          {"AL", SYSTEM_ALARM_ACE_TYPE},
    {"ML", SYSTEM_MANDATORY_LABEL_ACE_TYPE}, {"OA", ACCESS_ALLOWED_OBJECT_ACE_TYPE},
    {"OD", ACCESS_DENIED_OBJECT_ACE_TYPE},   {"OU", SYSTEM_AUDIT_OBJECT_ACE_TYPE},
    {"OL", SYSTEM_ALARM_OBJECT_ACE_TYPE},
};

static int is_object_type(int type)
{
    return type >= ACCESS_MIN_MS_OBJECT_ACE_TYPE && type <= ACCESS_MAX_MS_OBJECT_ACE_TYPE;
}

/* In the order Windows writes them. */
static const struct {
    const char *name;
    uint8_t flag;
} ace_flags[] = {
    {"OI", OBJECT_INHERIT_ACE}, {"CI", CONTAINER_INHERIT_ACE}, {"NP", NO_PROPAGATE_INHERIT_ACE},
    {"IO", INHERIT_ONLY_ACE},   {"ID", INHERITED_ACE},         {"SA", SUCCESSFUL_ACCESS_ACE_FLAG},
    {"FA", FAILED_ACCESS_ACE_FLAG},
};

/* Whole-mask names, tried first when writing; KX is KR's value and is read only. */
static const struct {
    const char *name;
    uint32_t mask;
} whole_rights[] = {
    {"FA", FILE_ALL_ACCESS}, {"FR", FILE_GENERIC_READ}, {"FW", FILE_GENERIC_WRITE}, {"FX", FILE_GENERIC_EXECUTE},
    {"KA", KEY_ALL_ACCESS},  {"KR", KEY_READ},          {"KW", KEY_WRITE},          {"KX", KEY_EXECUTE},
};

/* One bit each, in the order Windows writes them. */
static const struct {
    const char *name;
    uint32_t bit;
} bit_rights[] = {
    {"GA", GENERIC_ALL}, {"GR", GENERIC_READ}, {"GW", GENERIC_WRITE}, {"GX", GENERIC_EXECUTE},
    {"CC", 0x1},         {"DC", 0x2},          {"LC", 0x4},           {"SW", 0x8},
    {"RP", 0x10},        {"WP", 0x20},         {"DT", 0x40},          {"LO", 0x80},
    {"CR", 0x100},       {"SD", DELETE},       {"RC", READ_CONTROL},  {"WD", WRITE_DAC},
    {"WO", WRITE_OWNER},
};

/* The mandatory label's policy bits (SYSTEM_MANDATORY_LABEL_NO_*_UP). */
static const struct {
    const char *name;
    uint32_t bit;
} label_rights[] = {
    {"NW", SYSTEM_MANDATORY_LABEL_NO_WRITE_UP},
    {"NR", SYSTEM_MANDATORY_LABEL_NO_READ_UP},
    {"NX", SYSTEM_MANDATORY_LABEL_NO_EXECUTE_UP},
};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* ---- parsing ---- */

static int two(const char *p, size_t len, const char *name)
{
    return len >= 2 && p[0] == name[0] && p[1] == name[1];
}

static fs_err parse_rights(const char *p, size_t len, uint32_t *mask)
{
    *mask = 0;
    if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        char digits[16];
        if (len - 2 == 0 || len - 2 > 8)
            return FS_E_INVALID_ACL;
        memcpy(digits, p + 2, len - 2);
        digits[len - 2] = '\0';
        char *end;
        unsigned long v = strtoul(digits, &end, 16);
        if (*end)
            return FS_E_INVALID_ACL;
        *mask = (uint32_t)v;
        return FS_OK;
    }
    while (len) {
        int found = 0;
        for (size_t i = 0; i < COUNT(whole_rights) && !found; i++)
            if (two(p, len, whole_rights[i].name))
                *mask |= whole_rights[i].mask, found = 1;
        for (size_t i = 0; i < COUNT(bit_rights) && !found; i++)
            if (two(p, len, bit_rights[i].name))
                *mask |= bit_rights[i].bit, found = 1;
        for (size_t i = 0; i < COUNT(label_rights) && !found; i++)
            if (two(p, len, label_rights[i].name))
                *mask |= label_rights[i].bit, found = 1;
        if (!found)
            return FS_E_INVALID_ACL;
        p += 2;
        len -= 2;
    }
    return FS_OK;
}

static fs_err parse_sid(const char *p, size_t len, struct fs_sid *sid)
{
    char text[FS_SID_STRING_MAX];
    if (len == 0 || len >= sizeof text)
        return FS_E_INVALID_SID;
    memcpy(text, p, len);
    text[len] = '\0';
    return fs_sid_from_sddl(text, sid);
}

/* One "(type;flags;rights;object;inherited object;sid)", p just past '(' and len up to ')'. */
static fs_err parse_ace(const char *p, size_t len, struct fs_writer *acl)
{
    const char *field[6];
    size_t flen[6];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && p[i] != ';')
            continue;
        if (n == 6)
            return FS_E_INVALID_ACL;
        field[n] = p + start;
        flen[n++] = i - start;
        start = i + 1;
    }
    if (n != 6)
        return FS_E_INVALID_ACL;
    int type = -1;
    for (size_t i = 0; i < COUNT(ace_types); i++)
        if (strlen(ace_types[i].name) == flen[0] && !memcmp(field[0], ace_types[i].name, flen[0]))
            type = ace_types[i].type;
    if (type < 0)
        return FS_E_INVALID_ACL;
    /* Only object ACEs name an object type and an inherited object type, each optional (MS-DTYP 2.5.1). */
    uint8_t guids[2][16];
    uint32_t object_flags = 0;
    for (int g = 0; g < 2; g++) {
        if (!flen[3 + g])
            continue;
        if (!is_object_type(type) || fs_guid_parse(field[3 + g], flen[3 + g], guids[g]) != 0)
            return FS_E_INVALID_ACL;
        object_flags |= g ? ACE_INHERITED_OBJECT_TYPE_PRESENT : ACE_OBJECT_TYPE_PRESENT;
    }
    uint8_t flags = 0;
    for (const char *f = field[1]; f < field[1] + flen[1]; f += 2) {
        int found = 0;
        for (size_t i = 0; i < COUNT(ace_flags) && !found; i++)
            if (two(f, (size_t)(field[1] + flen[1] - f), ace_flags[i].name))
                flags |= ace_flags[i].flag, found = 1;
        if (!found)
            return FS_E_INVALID_ACL;
    }
    uint32_t mask;
    fs_err err = parse_rights(field[2], flen[2], &mask);
    if (err != FS_OK)
        return err;
    struct fs_sid sid;
    err = parse_sid(field[5], flen[5], &sid);
    if (err != FS_OK)
        return err;
    size_t sid_len = fs_sid_length(&sid);
    size_t object_len = is_object_type(type) ? 4 + 16u * (size_t)(!!flen[3] + !!flen[4]) : 0;
    fs_write_u8(acl, (uint8_t)type);
    fs_write_u8(acl, flags);
    fs_write_u16le(acl, (uint16_t)(FS_ACE_SID_OFFSET + object_len + sid_len));
    fs_write_u32le(acl, mask);
    if (is_object_type(type)) {
        fs_write_u32le(acl, object_flags);
        for (int g = 0; g < 2; g++)
            if (flen[3 + g])
                fs_write_bytes(acl, guids[g], 16);
    }
    fs_write_bytes(acl, &sid, sid_len);
    return FS_OK;
}

struct parsed {
    struct fs_sid owner, group;
    int has_owner, has_group;
    uint16_t control;
    struct fs_writer dacl, sacl; /* header placeholder then ACEs */
    int null_dacl;
};

/* "D:" or "S:" after the colon, up to end: flags, then (ace)(ace)... */
static fs_err parse_acl(const char *p, size_t len, int dacl, struct parsed *out)
{
    struct fs_writer *w = dacl ? &out->dacl : &out->sacl;
    out->control |= dacl ? SE_DACL_PRESENT : SE_SACL_PRESENT;
    fs_write_zeros(w, FS_ACL_HEADER_SIZE);
    size_t i = 0;
    while (i < len && p[i] != '(') {
        if (dacl && len - i >= 17 && !memcmp(p + i, "NO_ACCESS_CONTROL", 17)) {
            out->null_dacl = 1;
            i += 17;
        } else if (p[i] == 'P') {
            out->control |= dacl ? SE_DACL_PROTECTED : SE_SACL_PROTECTED;
            i++;
        } else if (two(p + i, len - i, "AI")) {
            out->control |= dacl ? SE_DACL_AUTO_INHERITED : SE_SACL_AUTO_INHERITED;
            i += 2;
        } else if (two(p + i, len - i, "AR")) {
            out->control |= dacl ? SE_DACL_AUTO_INHERIT_REQ : SE_SACL_AUTO_INHERIT_REQ;
            i += 2;
        } else {
            return FS_E_INVALID_PARAMETER;
        }
    }
    uint16_t count = 0;
    int object_aces = 0;
    while (i < len) {
        if (p[i] != '(')
            return FS_E_INVALID_PARAMETER;
        const char *close = memchr(p + i, ')', len - i);
        if (!close)
            return FS_E_INVALID_PARAMETER;
        size_t start = w->len;
        fs_err err = parse_ace(p + i + 1, (size_t)(close - p - i - 1), w);
        if (err != FS_OK)
            return err;
        if (!w->failed && is_object_type(w->data[start]))
            object_aces = 1;
        count++;
        i = (size_t)(close - p) + 1;
    }
    if (out->null_dacl && count)
        return FS_E_INVALID_PARAMETER;
    if (w->failed)
        return FS_E_NOMEM;
    if (w->len > 0xFFFF)
        return FS_E_INVALID_ACL;
    w->data[0] = object_aces ? FS_ACL_REVISION_DS : FS_ACL_REVISION; /* as InitializeAcl needs for them */
    fs_writer_patch_u16le(w, 2, (uint16_t)w->len);
    fs_writer_patch_u16le(w, 4, count);
    return FS_OK;
}

/* Where the component starting at p ends: at the next "X:" with X one of O G D S outside parentheses. */
static size_t component_end(const char *p)
{
    int depth = 0;
    size_t i = 0;
    for (; p[i]; i++) {
        if (p[i] == '(')
            depth++;
        else if (p[i] == ')')
            depth--;
        else if (!depth && i > 0 && p[i + 1] == ':' && strchr("OGDS", p[i]))
            break;
    }
    return i;
}

static fs_err parse_components(const char *text, struct parsed *out)
{
    const char *p = text;
    while (*p) {
        if (!strchr("OGDS", p[0]) || p[1] != ':')
            return FS_E_INVALID_PARAMETER;
        char which = p[0];
        p += 2;
        size_t len = component_end(p);
        fs_err err;
        if (which == 'O') {
            err = parse_sid(p, len, &out->owner);
            out->has_owner = 1;
        } else if (which == 'G') {
            err = parse_sid(p, len, &out->group);
            out->has_group = 1;
        } else {
            struct fs_writer *w = which == 'D' ? &out->dacl : &out->sacl;
            err = w->len ? FS_E_INVALID_PARAMETER : parse_acl(p, len, which == 'D', out);
        }
        if (err != FS_OK)
            return err;
        p += len;
    }
    return FS_OK;
}

fs_err fs_sddl_parse(const char *text, struct fs_writer *out)
{
    struct parsed d;
    memset(&d, 0, sizeof d);
    fs_writer_init(&d.dacl);
    fs_writer_init(&d.sacl);
    fs_err err = parse_components(text, &d);
    if (err == FS_OK) {
        struct fs_sd v = {d.control, d.has_owner ? &d.owner : NULL, d.has_group ? &d.group : NULL,
                          d.sacl.len ? d.sacl.data : NULL, d.dacl.len && !d.null_dacl ? d.dacl.data : NULL};
        size_t len = fs_sd_relative_length(&v);
        fs_write_zeros(out, len);
        if (out->failed)
            err = FS_E_NOMEM;
        else
            fs_sd_write_relative(&v, out->data + out->len - len);
    }
    fs_writer_free(&d.dacl);
    fs_writer_free(&d.sacl);
    return err;
}

/* ---- writing ---- */

static void put(struct fs_writer *w, const char *s)
{
    fs_write_bytes(w, s, strlen(s));
}

static void put_sid(struct fs_writer *w, const void *sid)
{
    struct fs_sid s;
    char text[FS_SID_STRING_MAX];
    fs_sid_copy_in(&s, sid);
    fs_sid_to_sddl(&s, text, sizeof text);
    put(w, text);
}

static void put_rights(struct fs_writer *w, uint8_t type, uint32_t mask)
{
    char hex[16];
    if (type == SYSTEM_MANDATORY_LABEL_ACE_TYPE) {
        if (!(mask & ~(uint32_t)SYSTEM_MANDATORY_LABEL_VALID_MASK)) {
            for (size_t i = 0; i < COUNT(label_rights); i++)
                if (mask & label_rights[i].bit)
                    put(w, label_rights[i].name);
            return;
        }
    } else {
        for (size_t i = 0; i < COUNT(whole_rights); i++)
            if (mask == whole_rights[i].mask) {
                put(w, whole_rights[i].name);
                return;
            }
        uint32_t covered = 0;
        for (size_t i = 0; i < COUNT(bit_rights); i++)
            covered |= bit_rights[i].bit;
        if (!(mask & ~covered)) {
            for (size_t i = 0; i < COUNT(bit_rights); i++)
                if (mask & bit_rights[i].bit)
                    put(w, bit_rights[i].name);
            return;
        }
    }
    snprintf(hex, sizeof hex, "0x%x", (unsigned)mask);
    put(w, hex);
}

static fs_err put_acl(struct fs_writer *w, const void *acl, int labels_only)
{
    for (uint32_t i = 0; i < fs_acl_count(acl); i++) {
        struct fs_ace ace;
        fs_err err = fs_acl_get(acl, i, &ace);
        if (err != FS_OK)
            return err;
        if (labels_only && ace.type != SYSTEM_MANDATORY_LABEL_ACE_TYPE)
            continue;
        const char *type = NULL;
        for (size_t t = 0; t < COUNT(ace_types); t++)
            if (ace_types[t].type == ace.type)
                type = ace_types[t].name;
        if (!type || !ace.sid)
            return FS_E_INVALID_ACL;
        put(w, "(");
        put(w, type);
        put(w, ";");
        for (size_t f = 0; f < COUNT(ace_flags); f++)
            if (ace.flags & ace_flags[f].flag)
                put(w, ace_flags[f].name);
        put(w, ";");
        put_rights(w, ace.type, ace.mask);
        char guid[FS_GUID_TEXT_MAX];
        put(w, ";");
        if (ace.object_type) {
            fs_guid_format(ace.object_type, guid);
            put(w, guid);
        }
        put(w, ";");
        if (ace.inherited_object_type) {
            fs_guid_format(ace.inherited_object_type, guid);
            put(w, guid);
        }
        put(w, ";");
        put_sid(w, ace.sid);
        put(w, ")");
    }
    return FS_OK;
}

static void put_acl_flags(struct fs_writer *w, uint16_t control, int dacl)
{
    if (control & (dacl ? SE_DACL_PROTECTED : SE_SACL_PROTECTED))
        put(w, "P");
    if (control & (dacl ? SE_DACL_AUTO_INHERIT_REQ : SE_SACL_AUTO_INHERIT_REQ))
        put(w, "AR");
    if (control & (dacl ? SE_DACL_AUTO_INHERITED : SE_SACL_AUTO_INHERITED))
        put(w, "AI");
}

fs_err fs_sddl_format(const void *sd, uint32_t info, struct fs_writer *w)
{
    if (!fs_sd_is_valid(sd))
        return FS_E_INVALID_SECURITY_DESCR;
    struct fs_sd v;
    fs_err err = fs_sd_read(sd, &v);
    if (err != FS_OK)
        return err;
    if ((info & OWNER_SECURITY_INFORMATION) && v.owner) {
        put(w, "O:");
        put_sid(w, v.owner);
    }
    if ((info & GROUP_SECURITY_INFORMATION) && v.group) {
        put(w, "G:");
        put_sid(w, v.group);
    }
    if ((info & DACL_SECURITY_INFORMATION) && (v.control & SE_DACL_PRESENT)) {
        put(w, "D:");
        put_acl_flags(w, v.control, 1);
        if (!v.dacl)
            put(w, "NO_ACCESS_CONTROL");
        else if ((err = put_acl(w, v.dacl, 0)) != FS_OK)
            return err;
    }
    int sacl = (info & SACL_SECURITY_INFORMATION) != 0, labels = !sacl && (info & LABEL_SECURITY_INFORMATION);
    if ((sacl || labels) && (v.control & SE_SACL_PRESENT) && v.sacl) {
        put(w, "S:");
        put_acl_flags(w, v.control, 0);
        if ((err = put_acl(w, v.sacl, labels)) != FS_OK)
            return err;
    }
    fs_write_u8(w, 0);
    return w->failed ? FS_E_NOMEM : FS_OK;
}
