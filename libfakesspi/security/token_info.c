/* GetTokenInformation's layouts: self-contained results whose pointers point into the caller's buffer. */
#include <stddef.h>
#include <string.h>

#include "token.h"
#include "wellknown.h"
#include "winnt.h"

#define TOKEN_MANDATORY_POLICY_VALID 0x3 /* NO_WRITE_UP | NEW_PROCESS_MIN */

/* Copies a SID to buf + *offset, returns its address there and advances *offset. */
static PSID put_sid(unsigned char *buf, size_t *offset, const struct fs_sid *sid)
{
    size_t n = fs_sid_length(sid);
    memcpy(buf + *offset, sid, n);
    PSID at = buf + *offset;
    *offset += n;
    return at;
}

static size_t sids_size(const struct fs_token_group *g, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += fs_sid_length(&g[i].sid);
    return total;
}

static void write_groups(unsigned char *buf, const struct fs_token_group *g, size_t n)
{
    TOKEN_GROUPS *tg = (TOKEN_GROUPS *)buf;
    size_t offset = offsetof(TOKEN_GROUPS, Groups) + n * sizeof(SID_AND_ATTRIBUTES);
    tg->GroupCount = (DWORD)n;
    for (size_t i = 0; i < n; i++) {
        tg->Groups[i].Sid = put_sid(buf, &offset, &g[i].sid);
        tg->Groups[i].Attributes = g[i].attributes;
    }
}

static size_t groups_size(size_t n, size_t sid_bytes)
{
    return offsetof(TOKEN_GROUPS, Groups) + n * sizeof(SID_AND_ATTRIBUTES) + sid_bytes;
}

/* A SID_AND_ATTRIBUTES-headed struct (TOKEN_USER, TOKEN_MANDATORY_LABEL) or a PSID-headed one
 * (TOKEN_OWNER, TOKEN_PRIMARY_GROUP), each followed by its SID. */
static size_t sid_struct_size(size_t head, const struct fs_sid *sid) { return head + fs_sid_length(sid); }

static void write_sid_and_attributes(unsigned char *buf, const struct fs_sid *sid, DWORD attributes)
{
    size_t offset = sizeof(SID_AND_ATTRIBUTES);
    SID_AND_ATTRIBUTES *sa = (SID_AND_ATTRIBUTES *)buf;
    sa->Sid = put_sid(buf, &offset, sid);
    sa->Attributes = attributes;
}

static void write_psid(unsigned char *buf, const struct fs_sid *sid)
{
    size_t offset = sizeof(PSID);
    *(PSID *)buf = put_sid(buf, &offset, sid);
}

static const struct fs_sid *owner_sid(const struct fs_token *t)
{
    return t->owner_group >= 0 ? &t->groups[t->owner_group].sid : &t->user;
}

static size_t dacl_size(const struct fs_token *t, const struct fs_sid *system)
{
    if (t->default_dacl_set)
        return t->default_dacl_len;
    return sizeof(ACL) + 2 * (4 + sizeof(DWORD)) + fs_sid_length(owner_sid(t)) + fs_sid_length(system);
}

/* The default DACL Windows gives a logon: GENERIC_ALL to the owner and to SYSTEM. */
static void write_dacl(unsigned char *buf, const struct fs_token *t, const struct fs_sid *system)
{
    TOKEN_DEFAULT_DACL *dd = (TOKEN_DEFAULT_DACL *)buf;
    ACL *acl = (ACL *)(buf + sizeof *dd);
    if (t->default_dacl_set) { /* set by SetTokenInformation: a copy, or none */
        dd->DefaultDacl = t->default_dacl ? acl : NULL;
        if (t->default_dacl)
            memcpy(acl, t->default_dacl, t->default_dacl_len);
        return;
    }
    dd->DefaultDacl = acl;
    const struct fs_sid *who[2] = {owner_sid(t), system};
    size_t offset = sizeof *acl;
    for (int i = 0; i < 2; i++) {
        unsigned char *ace = (unsigned char *)acl + offset;
        WORD size = (WORD)(4 + sizeof(DWORD) + fs_sid_length(who[i]));
        DWORD mask = GENERIC_ALL;
        ace[0] = ACCESS_ALLOWED_ACE_TYPE;
        ace[1] = 0;
        memcpy(ace + 2, &size, sizeof size);
        memcpy(ace + 4, &mask, sizeof mask);
        memcpy(ace + 8, who[i], fs_sid_length(who[i]));
        offset += size;
    }
    acl->AclRevision = ACL_REVISION;
    acl->Sbz1 = 0;
    acl->AclSize = (WORD)offset;
    acl->AceCount = 2;
    acl->Sbz2 = 0;
}

static LUID to_luid(uint64_t v) { return (LUID){(DWORD)v, (LONG)(v >> 32)}; }

static int logon_sid_index(const struct fs_token *t)
{
    for (size_t i = 0; i < t->ngroups; i++)
        if ((t->groups[i].attributes & SE_GROUP_LOGON_ID) == SE_GROUP_LOGON_ID)
            return (int)i;
    return -1;
}

static int is_elevated(const struct fs_token *t)
{
    struct fs_sid admins;
    fs_sid_parse_known(FS_SID_BUILTIN_ADMINISTRATORS, &admins);
    return fs_token_has_enabled_sid(t, &admins);
}

static fs_err query(const struct fs_token *t, int cls, void *out, uint32_t len, uint32_t *needed);

/* Under the state lock: SetTokenInformation and AdjustTokenPrivileges may be changing t. */
fs_err fs_token_query(const struct fs_token *t, int cls, void *out, uint32_t len, uint32_t *needed)
{
    fs_token_state_lock();
    fs_err err = query(t, cls, out, len, needed);
    fs_token_state_unlock();
    return err;
}

static fs_err query(const struct fs_token *t, int cls, void *out, uint32_t len, uint32_t *needed)
{
    unsigned char *buf = out;
    size_t need;
    DWORD dword_value = 0;
    int is_dword = 0;
    struct fs_sid system;
    int logon = -1;
    /* Parsed only for the classes that use them: this function is on the hot path. */
    if (cls == TokenDefaultDacl || cls == TokenStatistics)
        fs_sid_parse_known(FS_SID_SYSTEM, &system);
    if (cls == TokenLogonSid)
        logon = logon_sid_index(t);

    /* First the size each class needs. */
    switch (cls) {
    case TokenUser: need = sid_struct_size(sizeof(TOKEN_USER), &t->user); break;
    case TokenGroups: need = groups_size(t->ngroups, sids_size(t->groups, t->ngroups)); break;
    case TokenPrivileges:
        need = offsetof(TOKEN_PRIVILEGES, Privileges) + t->nprivileges * sizeof(LUID_AND_ATTRIBUTES);
        break;
    case TokenOwner: need = sid_struct_size(sizeof(TOKEN_OWNER), owner_sid(t)); break;
    case TokenPrimaryGroup:
        need = sid_struct_size(sizeof(TOKEN_PRIMARY_GROUP), &t->groups[t->primary_group].sid);
        break;
    case TokenDefaultDacl: need = sizeof(TOKEN_DEFAULT_DACL) + dacl_size(t, &system); break;
    case TokenSource: need = sizeof(TOKEN_SOURCE); break;
    case TokenImpersonationLevel:
        if (t->type != TokenImpersonation)
            return FS_E_INVALID_PARAMETER;
        /* fallthrough */
    case TokenType: case TokenSessionId: case TokenElevationType: case TokenElevation: case TokenHasRestrictions:
    case TokenVirtualizationAllowed: case TokenVirtualizationEnabled: case TokenUIAccess: case TokenMandatoryPolicy:
    case TokenIsAppContainer: case TokenAppContainerNumber: case TokenIsRestricted: case TokenSandBoxInert:
        need = sizeof(DWORD);
        is_dword = 1;
        break;
    case TokenStatistics: need = sizeof(TOKEN_STATISTICS); break;
    case TokenRestrictedSids:
        need = groups_size(t->nrestricted, sids_size(t->restricted_sids, t->nrestricted));
        break;
    case TokenGroupsAndPrivileges:
        need = sizeof(TOKEN_GROUPS_AND_PRIVILEGES) + (t->ngroups + 1 + t->nrestricted) * sizeof(SID_AND_ATTRIBUTES) +
               t->nprivileges * sizeof(LUID_AND_ATTRIBUTES) + fs_sid_length(&t->user) +
               sids_size(t->groups, t->ngroups) + sids_size(t->restricted_sids, t->nrestricted);
        break;
    case TokenOrigin: need = sizeof(TOKEN_ORIGIN); break;
    case TokenLinkedToken:
        /* Only split (UAC) tokens have a linked token; ours are all TokenElevationTypeDefault. */
        return FS_E_NO_SUCH_LOGON_SESSION;
    case TokenIntegrityLevel:
        need = sid_struct_size(sizeof(TOKEN_MANDATORY_LABEL), &t->groups[t->label_group].sid);
        break;
    case TokenLogonSid:
        if (logon < 0)
            return FS_E_NOT_FOUND;
        need = groups_size(1, fs_sid_length(&t->groups[logon].sid));
        break;
    case TokenAppContainerSid: need = sizeof(TOKEN_APPCONTAINER_INFORMATION); break;
    default: return FS_E_INVALID_PARAMETER;
    }
    *needed = (uint32_t)need;
    if (len < need)
        return FS_E_INSUFFICIENT_BUFFER;
    memset(buf, 0, need);

    switch (cls) {
    case TokenUser: write_sid_and_attributes(buf, &t->user, t->user_attributes); break;
    case TokenGroups: write_groups(buf, t->groups, t->ngroups); break;
    case TokenPrivileges: {
        TOKEN_PRIVILEGES *tp = (TOKEN_PRIVILEGES *)buf;
        tp->PrivilegeCount = (DWORD)t->nprivileges;
        for (size_t i = 0; i < t->nprivileges; i++) {
            tp->Privileges[i].Luid = to_luid(t->privileges[i].luid);
            tp->Privileges[i].Attributes = t->privileges[i].attributes;
        }
        break;
    }
    case TokenOwner: write_psid(buf, owner_sid(t)); break;
    case TokenPrimaryGroup: write_psid(buf, &t->groups[t->primary_group].sid); break;
    case TokenDefaultDacl: write_dacl(buf, t, &system); break;
    case TokenSource: {
        TOKEN_SOURCE *ts = (TOKEN_SOURCE *)buf;
        memcpy(ts->SourceName, t->source_name, sizeof ts->SourceName);
        ts->SourceIdentifier = to_luid(t->source_id);
        break;
    }
    case TokenType: dword_value = (DWORD)t->type; break;
    case TokenImpersonationLevel: dword_value = (DWORD)t->level; break;
    case TokenSessionId: dword_value = t->session_id; break;
    case TokenElevationType: dword_value = TokenElevationTypeDefault; break;
    case TokenElevation: dword_value = (DWORD)is_elevated(t); break;
    case TokenMandatoryPolicy: dword_value = TOKEN_MANDATORY_POLICY_VALID; break;
    case TokenIsRestricted: dword_value = (DWORD)t->restricted; break;
    case TokenHasRestrictions: dword_value = (DWORD)t->filtered; break;
    case TokenSandBoxInert: dword_value = (DWORD)t->sandbox_inert; break;
    case TokenStatistics: {
        TOKEN_STATISTICS *st = (TOKEN_STATISTICS *)buf;
        st->TokenId = to_luid(t->token_id);
        st->AuthenticationId = to_luid(t->auth_id);
        st->ExpirationTime.QuadPart = INT64_MAX; /* tokens never expire */
        st->TokenType = (TOKEN_TYPE)t->type;
        st->ImpersonationLevel = (SECURITY_IMPERSONATION_LEVEL)t->level;
        st->DynamicCharged = 4096;
        size_t used = dacl_size(t, &system) + fs_sid_length(&t->groups[t->primary_group].sid);
        st->DynamicAvailable = used < 4096 ? (DWORD)(4096 - used) : 0; /* a big default DACL fills it */
        st->GroupCount = (DWORD)t->ngroups;
        st->PrivilegeCount = (DWORD)t->nprivileges;
        st->ModifiedId = to_luid(t->modified_id);
        break;
    }
    case TokenRestrictedSids: write_groups(buf, t->restricted_sids, t->nrestricted); break;
    case TokenGroupsAndPrivileges: {
        TOKEN_GROUPS_AND_PRIVILEGES *gp = (TOKEN_GROUPS_AND_PRIVILEGES *)buf;
        size_t n = t->ngroups + 1;
        SID_AND_ATTRIBUTES *sids = (SID_AND_ATTRIBUTES *)(buf + sizeof *gp);
        SID_AND_ATTRIBUTES *restricted = sids + n;
        LUID_AND_ATTRIBUTES *privs = (LUID_AND_ATTRIBUTES *)(restricted + t->nrestricted);
        size_t offset = (size_t)((unsigned char *)(privs + t->nprivileges) - buf);
        gp->SidCount = (DWORD)n;
        gp->SidLength = (DWORD)(fs_sid_length(&t->user) + sids_size(t->groups, t->ngroups));
        gp->Sids = sids;
        gp->RestrictedSidCount = (DWORD)t->nrestricted;
        gp->RestrictedSidLength = (DWORD)sids_size(t->restricted_sids, t->nrestricted);
        gp->RestrictedSids = t->nrestricted ? restricted : NULL;
        gp->PrivilegeCount = (DWORD)t->nprivileges;
        gp->PrivilegeLength = (DWORD)(t->nprivileges * sizeof(LUID_AND_ATTRIBUTES));
        gp->Privileges = privs;
        gp->AuthenticationId = to_luid(t->auth_id);
        for (size_t i = 0; i < t->nprivileges; i++)
            privs[i] = (LUID_AND_ATTRIBUTES){to_luid(t->privileges[i].luid), t->privileges[i].attributes};
        sids[0].Sid = put_sid(buf, &offset, &t->user);
        sids[0].Attributes = t->user_attributes;
        for (size_t i = 0; i < t->ngroups; i++) {
            sids[i + 1].Sid = put_sid(buf, &offset, &t->groups[i].sid);
            sids[i + 1].Attributes = t->groups[i].attributes;
        }
        for (size_t i = 0; i < t->nrestricted; i++) {
            restricted[i].Sid = put_sid(buf, &offset, &t->restricted_sids[i].sid);
            restricted[i].Attributes = t->restricted_sids[i].attributes;
        }
        break;
    }
    case TokenOrigin: ((TOKEN_ORIGIN *)buf)->OriginatingLogonSession = to_luid(t->origin); break;
    case TokenIntegrityLevel:
        write_sid_and_attributes(buf, &t->groups[t->label_group].sid, t->groups[t->label_group].attributes);
        break;
    case TokenLogonSid: write_groups(buf, &t->groups[logon], 1); break;
    default: break; /* the remaining classes are zero */
    }
    if (is_dword)
        memcpy(buf, &dword_value, sizeof dword_value);
    return FS_OK;
}
