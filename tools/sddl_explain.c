/* sddl-explain: a security descriptor, given as SDDL or as the bytes of a self-relative descriptor, explained
 * ACE by ACE: who each ACE names, what it allows or denies, who inherits it, and the traps AccessCheck sets
 * for the reader (a NULL or empty DACL, a deny after an allow, the owner's implicit rights). The descriptor is
 * parsed by the library's own ConvertStringSecurityDescriptorToSecurityDescriptorA and read back through the
 * Win32 accessors, so the explanation is of what Windows code would get. */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "account_name.h"
#include "core/flagnames.h"
#include "security/guid.h"
#include "security/security_descriptor.h"
#include "windows.h"
#include "sddl.h"

enum object_kind { OBJECT_FILE, OBJECT_KEY, OBJECT_GENERIC };

/* The composite rights of an object kind, largest first, for "= FILE_GENERIC_READ|FILE_GENERIC_EXECUTE". */
struct composite {
    ACCESS_MASK mask;
    const char *name;
};
static const struct composite file_composites[] = {
    {FILE_ALL_ACCESS, "FILE_ALL_ACCESS"},      {FILE_GENERIC_WRITE, "FILE_GENERIC_WRITE"},
    {FILE_GENERIC_READ, "FILE_GENERIC_READ"}, {FILE_GENERIC_EXECUTE, "FILE_GENERIC_EXECUTE"},
};
static const struct composite key_composites[] = {
    {KEY_ALL_ACCESS, "KEY_ALL_ACCESS"}, {KEY_READ, "KEY_READ"}, {KEY_WRITE, "KEY_WRITE"},
};

static void field(const char *name, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void field(const char *name, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    printf("  %-22s ", name);
    vprintf(format, ap);
    putchar('\n');
    va_end(ap);
}

/* "S-1-5-18 NT AUTHORITY\SYSTEM", or "S-1-5-21-...-9999 (no account of the domain)". */
static void sid_text(PSID sid, char *out, size_t cap)
{
    char *str = NULL, name[520];
    if (!ConvertSidToStringSidA(sid, &str)) {
        snprintf(out, cap, "(an invalid SID)");
        return;
    }
    account_name(sid, name, sizeof name);
    if (strcmp(name, str))
        snprintf(out, cap, "%s %s", str, name);
    else
        snprintf(out, cap, "%s (no account of the domain)", str);
    LocalFree(str);
}

/* The specific bits by the object kind's names; the rest by the names every kind shares. */
static void rights_text(ACCESS_MASK mask, enum object_kind kind, char *out, size_t cap)
{
    char common[512] = "", specific[512] = "";
    fs_flags_format(FS_NAMES_ACCESS, mask & 0xFFFF0000u, common, sizeof common);
    if (mask & 0xFFFF) {
        if (kind == OBJECT_GENERIC)
            snprintf(specific, sizeof specific, "specific %#x", mask & 0xFFFF);
        else
            fs_flags_format(kind == OBJECT_FILE ? FS_NAMES_FILE_ACCESS : FS_NAMES_KEY_ACCESS, mask & 0xFFFF, specific,
                            sizeof specific);
    }
    snprintf(out, cap, "%s%s%s", mask & 0xFFFF0000u ? common : "", (mask & 0xFFFF0000u) && *specific ? "|" : "",
             specific);
}

/* "FILE_GENERIC_READ|FILE_GENERIC_EXECUTE" when the composites of the kind cover the mask exactly, else "". */
static void composites_text(ACCESS_MASK mask, enum object_kind kind, char *out, size_t cap)
{
    const struct composite *c = kind == OBJECT_FILE ? file_composites : key_composites;
    size_t n = kind == OBJECT_FILE ? sizeof file_composites / sizeof *c
               : kind == OBJECT_KEY ? sizeof key_composites / sizeof *c
                                    : 0;
    ACCESS_MASK covered = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((mask & c[i].mask) == c[i].mask && (covered & c[i].mask) != c[i].mask) {
            size_t used = strlen(out);
            snprintf(out + used, cap - used, "%s%s", used ? "|" : "", c[i].name);
            covered |= c[i].mask;
        }
    if (covered != mask)
        out[0] = '\0';
}

/* Who inherits the ACE, in the object kind's nouns: files and folders, subkeys, child objects and containers. */
static void inheritance_words(BYTE flags, enum object_kind kind, char *out, size_t cap)
{
    const char *objects = kind == OBJECT_FILE ? "files" : kind == OBJECT_KEY ? "non-container children" : "child objects";
    const char *containers = kind == OBJECT_FILE ? "folders" : kind == OBJECT_KEY ? "subkeys" : "child containers";
    BYTE oc = flags & (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE);
    const char *depth = flags & NO_PROPAGATE_INHERIT_ACE ? " directly inside inherit it, nothing further down"
                                                         : " below inherit it";
    if (!oc)
        snprintf(out, cap, "no child inherits it");
    else if (oc == (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE))
        snprintf(out, cap, "%s and %s%s", objects, containers, depth);
    else if (oc == CONTAINER_INHERIT_ACE)
        snprintf(out, cap, "%s%s", containers, depth);
    else
        snprintf(out, cap, "%s%s%s", objects, depth,
                 flags & NO_PROPAGATE_INHERIT_ACE ? "" : " (containers pass it on without applying it)");
}

/* One ACE: its header, rights and trustee, and a sentence. Returns 1 for an allow, 2 for a deny, 0 else. */
static int explain_ace(int index, int count, const char *list, void *ace, enum object_kind kind)
{
    ACE_HEADER *h = ace;
    printf("\nACE %d of %d in the %s\n", index, count, list);
    const char *type = fs_value_name(FS_NAMES_ACE_TYPE, h->AceType);
    int object = h->AceType >= ACCESS_MIN_MS_OBJECT_ACE_TYPE && h->AceType <= ACCESS_MAX_MS_OBJECT_ACE_TYPE;
    int allow = h->AceType == ACCESS_ALLOWED_ACE_TYPE || h->AceType == ACCESS_ALLOWED_OBJECT_ACE_TYPE;
    int deny = h->AceType == ACCESS_DENIED_ACE_TYPE || h->AceType == ACCESS_DENIED_OBJECT_ACE_TYPE;
    int label = h->AceType == SYSTEM_MANDATORY_LABEL_ACE_TYPE;
    int audit = h->AceType == SYSTEM_AUDIT_ACE_TYPE || h->AceType == SYSTEM_AUDIT_OBJECT_ACE_TYPE;
    field("type", "%s%s", type ? type : "an unknown type",
          allow ? ": allows" : deny ? ": denies" : label ? ": the integrity label" : audit ? ": audits" : "");
    char flags[256];
    fs_flags_format(FS_NAMES_ACE_FLAGS, h->AceFlags, flags, sizeof flags);
    char inherit[200];
    inheritance_words(h->AceFlags, kind, inherit, sizeof inherit);
    field("flags", "%s: %s%s%s", h->AceFlags ? flags : "none", inherit,
          h->AceFlags & INHERIT_ONLY_ACE ? "; inherit-only: it does not apply to this object itself" : "",
          h->AceFlags & INHERITED_ACE ? "; it was itself inherited from a parent" : "");
    if (!(allow || deny || label || audit)) {
        field("size", "%u bytes, not explained further", h->AceSize);
        return 0;
    }
    ACCESS_ALLOWED_ACE *a = ace; /* allow, deny, audit and label ACEs share this layout */
    void *sid_start = &a->SidStart;
    char part[FS_GUID_TEXT_MAX + 80] = "";
    if (object) { /* the GUIDs its flags announce come first, then the SID (MS-DTYP 2.4.4.3) */
        ACCESS_ALLOWED_OBJECT_ACE *o = ace;
        BYTE *at = (BYTE *)&o->ObjectType;
        char guid[FS_GUID_TEXT_MAX];
        if (o->Flags & ACE_OBJECT_TYPE_PRESENT) {
            fs_guid_format(at, guid);
            field("object type", "%s", guid);
            snprintf(part, sizeof part, " on the part %s of the object and what is below it", guid);
            at += sizeof(GUID);
        } else {
            field("object type", "none: the ACE is for the whole object");
        }
        if (o->Flags & ACE_INHERITED_OBJECT_TYPE_PRESENT) {
            fs_guid_format(at, guid);
            field("inherited by", "child objects of type %s only", guid);
            at += sizeof(GUID);
        }
        sid_start = at;
    }
    char sid[700], rights[600], composite[200];
    sid_text(sid_start, sid, sizeof sid);
    if (label) {
        char policy[100] = "";
        snprintf(policy, sizeof policy, "%s%s%s", a->Mask & SYSTEM_MANDATORY_LABEL_NO_WRITE_UP ? "no write up " : "",
                 a->Mask & SYSTEM_MANDATORY_LABEL_NO_READ_UP ? "no read up " : "",
                 a->Mask & SYSTEM_MANDATORY_LABEL_NO_EXECUTE_UP ? "no execute up" : "");
        field("policy", "%#x %s", a->Mask, policy);
        field("level", "%s", sid);
        field("in words", "a token of a lower integrity level than this may not %s the object",
              a->Mask & SYSTEM_MANDATORY_LABEL_NO_READ_UP ? "read or write" : "write");
        return 0;
    }
    rights_text(a->Mask, kind, rights, sizeof rights);
    composites_text(a->Mask, kind, composite, sizeof composite);
    field("rights", "%#010x %s%s%s", a->Mask, *composite ? "= " : "", composite, *composite ? "" : rights);
    if (*composite)
        field("", "%s", rights);
    field("trustee", "%s", sid);
    char who[520];
    account_name(sid_start, who, sizeof who);
    if (audit)
        field("in words", "%s of %s by %s is written to the security log", h->AceFlags & FAILED_ACCESS_ACE_FLAG
              ? (h->AceFlags & SUCCESSFUL_ACCESS_ACE_FLAG ? "every use or refused attempt" : "a refused attempt")
              : "every use", *composite ? composite : rights, who);
    else
        field("in words", "%s is %s %s%s%s", who, allow ? "allowed" : "denied", *composite ? composite : rights, part,
              h->AceFlags & INHERIT_ONLY_ACE ? " on the objects that inherit it" : "");
    return allow ? 1 : deny ? 2 : 0;
}

static void explain_acl(const char *list, PACL acl, BOOL present, enum object_kind kind)
{
    if (!present) {
        field(list, "absent");
        return;
    }
    if (!acl) {
        field(list, "NULL: %s", !strcmp(list, "DACL") ? "no DACL at all, so everyone may do everything to the object"
                                                       : "nothing is audited");
        return;
    }
    ACL_SIZE_INFORMATION info;
    GetAclInformation(acl, &info, sizeof info, AclSizeInformation);
    if (info.AceCount == 0) {
        field(list, "empty: %s", !strcmp(list, "DACL") ? "nobody is allowed anything, except the owner's implicit "
                                                          "READ_CONTROL|WRITE_DAC"
                                                        : "nothing is audited");
        return;
    }
    field(list, "%lu ACE%s, revision %u", (unsigned long)info.AceCount, info.AceCount == 1 ? "" : "s",
          acl->AclRevision);
    int seen_allow = 0, late_deny = 0;
    for (DWORD i = 0; i < info.AceCount; i++) {
        void *ace;
        if (!GetAce(acl, i, &ace))
            break;
        int kind_of = explain_ace((int)i + 1, (int)info.AceCount, list, ace, kind);
        int inherited = ((ACE_HEADER *)ace)->AceFlags & INHERITED_ACE;
        seen_allow |= kind_of == 1 && !inherited;
        late_deny |= kind_of == 2 && seen_allow && !inherited;
    }
    if (late_deny)
        printf("\nThe %s is not in canonical order: a deny ACE follows an allow ACE. AccessCheck walks the ACEs in\n"
               "order and stops once every bit asked for is granted, so the deny comes too late for bits already\n"
               "allowed. Windows' editors put explicit denies first.\n", list);
}

/* len: the bytes a descriptor read from input may use (0: made by the library, trusted). */
static int explain(PSECURITY_DESCRIPTOR sd, size_t len, enum object_kind kind)
{
    if (len ? !fs_sd_relative_is_valid(sd, len) : !IsValidSecurityDescriptor(sd)) {
        fprintf(stderr, "sddl-explain: not a valid security descriptor\n");
        return 1;
    }
    char *sddl = NULL;
    SECURITY_INFORMATION all = OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION |
                               SACL_SECURITY_INFORMATION | LABEL_SECURITY_INFORMATION;
    printf("Security descriptor, %lu bytes self-relative\n", (unsigned long)GetSecurityDescriptorLength(sd));
    if (ConvertSecurityDescriptorToStringSecurityDescriptorA(sd, SDDL_REVISION_1, all, &sddl, NULL)) {
        field("SDDL", "%s", sddl);
        LocalFree(sddl);
    }
    SECURITY_DESCRIPTOR_CONTROL control;
    DWORD revision;
    GetSecurityDescriptorControl(sd, &control, &revision);
    char text[700];
    fs_flags_format(FS_NAMES_SD_CONTROL, control, text, sizeof text);
    field("control", "%s", text);
    if (control & SE_DACL_PROTECTED)
        field("", "SE_DACL_PROTECTED (P): the DACL inherits nothing from the parent");
    PSID owner = NULL, group = NULL;
    BOOL defaulted, dacl_present = FALSE, sacl_present = FALSE;
    GetSecurityDescriptorOwner(sd, &owner, &defaulted);
    GetSecurityDescriptorGroup(sd, &group, &defaulted);
    if (owner) {
        sid_text(owner, text, sizeof text);
        field("owner", "%s: may always read and change the DACL (READ_CONTROL|WRITE_DAC) unless an OWNER RIGHTS "
                       "(S-1-3-4) ACE says otherwise", text);
    } else {
        field("owner", "none");
    }
    if (group) {
        sid_text(group, text, sizeof text);
        field("group", "%s (used by POSIX subsystems only; AccessCheck ignores it)", text);
    }
    PACL dacl = NULL, sacl = NULL;
    GetSecurityDescriptorDacl(sd, &dacl_present, &dacl, &defaulted);
    GetSecurityDescriptorSacl(sd, &sacl_present, &sacl, &defaulted);
    explain_acl("DACL", dacl, dacl_present, kind);
    if (sacl_present)
        explain_acl("SACL", sacl, sacl_present, kind);
    return 0;
}

/* Hex digits (spaces and newlines between them allowed) into bytes; 0 when the text is not hex. */
static size_t from_hex(const char *text, unsigned char *out, size_t cap)
{
    size_t n = 0;
    int half = -1;
    for (const char *p = text; *p; p++) {
        if (isspace((unsigned char)*p))
            continue;
        if (!isxdigit((unsigned char)*p) || n == cap)
            return 0;
        int v = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;
        if (half < 0) {
            half = v;
        } else {
            out[n++] = (unsigned char)(half << 4 | v);
            half = -1;
        }
    }
    return half < 0 ? n : 0;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: sddl-explain [--object file|key|generic] INPUT\n"
            "INPUT is an SDDL string ('O:BAG:SYD:(A;OICI;FA;;;SY)(A;;FR;;;BU)'), the bytes of a self-relative\n"
            "security descriptor as hex (spaces and newlines allowed), or a file holding either or the raw\n"
            "bytes. Explains the owner, the group, the control bits, and every ACE of the DACL and SACL: its\n"
            "type, who inherits it, its rights bit by bit (and as FILE_GENERIC_READ-style composites), the\n"
            "trustee by name in the fake domain, and a sentence; warns of a NULL or empty DACL and of a deny\n"
            "ACE after an allow (not canonical order).\n"
            "  --object KIND   names the specific rights as a file's or directory's (file, the default), a\n"
            "                  registry key's (key), or leaves them as numbers (generic)\n"
            "  --version, -h/--help\n"
            "Exit status: 0 explained, 1 not a security descriptor, 2 bad usage.\n");
}

/* The input as text: the argument itself, or the file it names. NULL with *len for raw bytes. */
static char *read_input(const char *arg, size_t *len)
{
    struct stat st;
    if (stat(arg, &st) != 0 || !S_ISREG(st.st_mode)) {
        *len = strlen(arg);
        return strdup(arg);
    }
    FILE *f = fopen(arg, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(65537);
    size_t n = buf ? fread(buf, 1, 65536, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {"object", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    enum object_kind kind = OBJECT_FILE;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return 0;
        case 'V': printf("sddl-explain (libfakesspi) %s\n", VERSION); return 0;
        case 'o':
            if (!strcmp(optarg, "file")) {
                kind = OBJECT_FILE;
            } else if (!strcmp(optarg, "key")) {
                kind = OBJECT_KEY;
            } else if (!strcmp(optarg, "generic")) {
                kind = OBJECT_GENERIC;
            } else {
                fprintf(stderr, "sddl-explain: --object is file, key or generic, not '%s'\n", optarg);
                return 2;
            }
            break;
        default:
            fprintf(stderr, "sddl-explain: option '%s' is unknown or wants a value\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    size_t len;
    char *text = read_input(argv[optind], &len);
    if (!text) {
        fprintf(stderr, "sddl-explain: cannot read %s\n", argv[optind]);
        return 2;
    }
    int rc;
    static unsigned char bytes[65536];
    size_t n;
    PSECURITY_DESCRIPTOR sd = NULL;
    char *start = text;
    while (isspace((unsigned char)*start))
        start++;
    if (len == strlen(text) && (n = from_hex(start, bytes, sizeof bytes)) > 0) {
        rc = explain(bytes, n, kind);
    } else if (len == strlen(text) && ConvertStringSecurityDescriptorToSecurityDescriptorA(
                                          strtok(start, "\r\n"), SDDL_REVISION_1, &sd, NULL)) {
        rc = explain(sd, 0, kind);
        LocalFree(sd);
    } else if (len != strlen(text)) {
        rc = explain(text, len, kind); /* raw bytes: a NUL inside */
    } else {
        fprintf(stderr, "sddl-explain: neither SDDL nor a descriptor's bytes (ConvertStringSecurityDescriptorTo"
                        "SecurityDescriptor: last error %lu)\n", (unsigned long)GetLastError());
        rc = 1;
    }
    free(text);
    return rc;
}
