/* The access check algorithm of MS-DTYP 2.5.3.2 over our tokens: privileges, the mandatory label, owner
 * rights, then the DACL in order, deny and allow each taking only bits not yet decided. */
#include <string.h>

#include "access_check.h"
#include "acl.h"
#include "privileges.h"
#include "security_descriptor.h"
#include "sid.h"
#include "wellknown.h"
#include "winnt.h"

uint32_t fs_map_generic(uint32_t mask, const struct fs_generic_mapping *m)
{
    if (mask & GENERIC_READ)
        mask |= m->read;
    if (mask & GENERIC_WRITE)
        mask |= m->write;
    if (mask & GENERIC_EXECUTE)
        mask |= m->execute;
    if (mask & GENERIC_ALL)
        mask |= m->all;
    return mask & ~(uint32_t)(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
}

/* Whose SIDs one walk of the DACL matches: the token's user and groups, or (the second walk a restricted
 * token gets) its restricting SIDs alone (MS-DTYP 2.5.3.2, doc/semantics.md §45). */
struct sid_set {
    const struct fs_token *t;
    int restricting;
    const struct fs_sid *principal_self; /* what an ACE naming PRINCIPAL_SELF (S-1-5-10) stands for; may be NULL */
};

/* Allow ACEs match the user and enabled groups; deny ACEs also match deny-only ones, the user included
 * (MS-DTYP 2.5.3.2). Restricting SIDs are all enabled. The caller holds the token state lock. */
static int sid_matches(const struct sid_set *set, const void *raw, int for_deny)
{
    const struct fs_token *t = set->t;
    struct fs_sid sid;
    fs_sid_copy_in(&sid, raw);
    static const struct fs_sid principal_self = {1, 1, {0, 0, 0, 0, 0, 5}, {SECURITY_PRINCIPAL_SELF_RID}};
    if (set->principal_self && fs_sid_equal(&sid, &principal_self))
        sid = *set->principal_self;
    if (set->restricting)
        return fs_token_has_restricted_sid(t, &sid);
    if (fs_sid_equal(&sid, &t->user))
        return for_deny || !(t->user_attributes & SE_GROUP_USE_FOR_DENY_ONLY);
    for (size_t i = 0; i < t->ngroups; i++) {
        const struct fs_token_group *g = &t->groups[i];
        if (!fs_sid_equal(&g->sid, &sid) || (g->attributes & SE_GROUP_INTEGRITY))
            continue;
        if ((g->attributes & SE_GROUP_ENABLED) && !(g->attributes & SE_GROUP_USE_FOR_DENY_ONLY))
            return 1;
        if (for_deny && (g->attributes & SE_GROUP_USE_FOR_DENY_ONLY))
            return 1;
    }
    return 0;
}

static uint32_t integrity_rid(const void *raw)
{
    const uint8_t *p = raw;
    uint32_t rid = 0;
    if (p[1])
        memcpy(&rid, p + 8 + 4u * (p[1] - 1u), 4);
    return rid;
}

/* Rights the mandatory label takes away from a token below the object's level (no-write-up by default,
 * an object without a label being medium). */
static uint32_t label_denies(const void *sacl, const struct fs_token *t, const struct fs_generic_mapping *m)
{
    uint32_t object_level = SECURITY_MANDATORY_MEDIUM_RID, policy = SYSTEM_MANDATORY_LABEL_NO_WRITE_UP;
    if (sacl)
        for (uint32_t i = 0; i < fs_acl_count(sacl); i++) {
            struct fs_ace ace;
            if (fs_acl_get(sacl, i, &ace) != FS_OK || ace.type != SYSTEM_MANDATORY_LABEL_ACE_TYPE ||
                (ace.flags & INHERIT_ONLY_ACE))
                continue;
            object_level = integrity_rid(ace.sid);
            policy = ace.mask;
            break;
        }
    uint32_t token_level = t->label_group >= 0 ? integrity_rid(&t->groups[t->label_group].sid)
                                               : SECURITY_MANDATORY_MEDIUM_RID;
    if (token_level >= object_level)
        return 0;
    uint32_t denied = 0;
    if (policy & SYSTEM_MANDATORY_LABEL_NO_WRITE_UP)
        denied |= m->write & ~(uint32_t)READ_CONTROL;
    if (policy & SYSTEM_MANDATORY_LABEL_NO_READ_UP)
        denied |= m->read & ~(uint32_t)READ_CONTROL;
    if (policy & SYSTEM_MANDATORY_LABEL_NO_EXECUTE_UP)
        denied |= m->execute & ~(uint32_t)READ_CONTROL;
    return denied;
}

static int is_owner_rights(const void *raw)
{
    static const uint8_t owner_rights[] = {1, 1, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0}; /* S-1-3-4 */
    return !memcmp(raw, owner_rights, sizeof owner_rights);
}

static int has_owner_rights_ace(const void *dacl)
{
    for (uint32_t i = 0; i < fs_acl_count(dacl); i++) {
        struct fs_ace ace;
        if (fs_acl_get(dacl, i, &ace) == FS_OK && ace.sid && !(ace.flags & INHERIT_ONLY_ACE) &&
            is_owner_rights(ace.sid))
            return 1;
    }
    return 0;
}

/* Records a decision that changed something: the trace says which step granted or denied which bits. */
static void step(struct fs_access_result *out, enum fs_access_source source, int allow, uint32_t bits, uint32_t ace,
                 const void *sid, int restricting)
{
    if (!bits)
        return;
    if (out->nsteps == FS_ACCESS_MAX_STEPS) {
        out->steps_left_out++;
        return;
    }
    out->steps[out->nsteps++] = (struct fs_access_step){source, allow, bits, ace, sid, restricting};
}

/* One walk of the DACL for one set of SIDs: the rights it grants, starting from those already granted
 * (privileges) and never granting what the label denies. */
static uint32_t dacl_grants(const struct fs_sd *v, const struct sid_set *set, uint32_t wanted, int maximum,
                            uint32_t granted, uint32_t denied, const struct fs_generic_mapping *m, int map,
                            struct fs_access_result *out)
{
    if (!v->dacl) { /* no DACL, or a NULL one: everything but what the label and privileges decide */
        uint32_t all = (maximum ? m->all : wanted & ~(uint32_t)ACCESS_SYSTEM_SECURITY) & ~denied;
        step(out, FS_ACCESS_NO_DACL, 1, all & ~granted, 0, NULL, set->restricting);
        return granted | all;
    }
    int owner = v->owner && sid_matches(set, v->owner, 0);
    if (owner && !has_owner_rights_ace(v->dacl)) {
        uint32_t implicit = (READ_CONTROL | WRITE_DAC) & ~denied;
        step(out, FS_ACCESS_OWNER, 1, implicit & ~granted, 0, NULL, set->restricting);
        granted |= implicit;
    }
    for (uint32_t i = 0; i < fs_acl_count(v->dacl); i++) {
        struct fs_ace ace;
        if (fs_acl_get(v->dacl, i, &ace) != FS_OK || !ace.sid || (ace.flags & INHERIT_ONLY_ACE))
            continue;
        uint32_t mask = (map ? fs_map_generic(ace.mask, m) : ace.mask) & ~(uint32_t)ACCESS_SYSTEM_SECURITY;
        /* OWNER RIGHTS stands for whoever owns the object. */
        int owns = owner && is_owner_rights(ace.sid);
        if (ace.type == ACCESS_ALLOWED_ACE_TYPE && (owns || sid_matches(set, ace.sid, 0))) {
            step(out, FS_ACCESS_ACE, 1, mask & ~denied & ~granted, i, ace.sid, set->restricting);
            granted |= mask & ~denied;
        } else if (ace.type == ACCESS_DENIED_ACE_TYPE && (owns || sid_matches(set, ace.sid, 1))) {
            step(out, FS_ACCESS_ACE, 0, mask & ~granted & ~denied, i, ace.sid, set->restricting);
            denied |= mask & ~granted;
        }
        if (!maximum && (wanted & ~granted) == 0)
            break;
    }
    return granted;
}

void fs_access_check(const void *sd, const struct fs_token *t, uint32_t desired, const struct fs_generic_mapping *m,
                     struct fs_access_result *out)
{
    fs_access_check_self(sd, t, desired, m, NULL, out);
}

void fs_access_check_self(const void *sd, const struct fs_token *t, uint32_t desired,
                          const struct fs_generic_mapping *m, const struct fs_sid *principal_self,
                          struct fs_access_result *out)
{
    memset(out, 0, sizeof *out);
    /* No mapping: the ACEs' bits as they are, and "everything" (a missing DACL under MAXIMUM_ALLOWED) is every
     * standard and specific right, what an unmapped mask can name (doc/semantics.md §56). */
    static const struct fs_generic_mapping unmapped = {0, 0, 0, STANDARD_RIGHTS_ALL | SPECIFIC_RIGHTS_ALL};
    int map = m != NULL;
    if (!m)
        m = &unmapped;
    struct fs_sd v;
    if (fs_sd_read(sd, &v) != FS_OK)
        return;
    int maximum = (desired & MAXIMUM_ALLOWED) != 0;
    uint32_t wanted = desired & ~(uint32_t)MAXIMUM_ALLOWED;
    uint32_t granted = 0;

    /* Privileges first: they grant what they stand for whatever the DACL says. */
    uint32_t security = fs_privilege_luid("SeSecurityPrivilege");
    uint32_t take = fs_privilege_luid("SeTakeOwnershipPrivilege");
    if (wanted & ACCESS_SYSTEM_SECURITY) {
        if (!fs_token_has_enabled_privilege(t, security)) {
            out->privilege_missing = 1; /* STATUS_PRIVILEGE_NOT_HELD, whatever the DACL says */
            return;
        }
        granted |= ACCESS_SYSTEM_SECURITY;
        out->privileges[out->nprivileges++] = security;
        step(out, FS_ACCESS_PRIVILEGE, 1, ACCESS_SYSTEM_SECURITY, 0, NULL, 0);
    }
    if ((wanted & WRITE_OWNER) && fs_token_has_enabled_privilege(t, take)) {
        granted |= WRITE_OWNER;
        out->privileges[out->nprivileges++] = take;
        step(out, FS_ACCESS_PRIVILEGE, 1, WRITE_OWNER, 0, NULL, 0);
    }

    /* Group attributes may change under AdjustTokenGroups: both walks see one state. */
    fs_token_state_lock();
    uint32_t denied = label_denies(v.sacl, t, m);
    step(out, FS_ACCESS_LABEL, 0, denied & (maximum ? ~0u : wanted), 0, NULL, 0);
    struct sid_set normal = {t, 0, principal_self}, restricting = {t, 1, principal_self};
    uint32_t dacl = dacl_grants(&v, &normal, wanted, maximum, granted, denied, m, map, out);
    /* A restricted token gets only what its restricting SIDs are granted too; a write-restricted one has
     * them limit the write rights only (doc/semantics.md §45). */
    if (t->restricted) {
        uint32_t limit = dacl_grants(&v, &restricting, wanted, maximum, granted, denied, m, map, out);
        if (t->write_restricted)
            limit |= ~m->write;
        dacl &= limit;
    }
    fs_token_state_unlock();
    granted = dacl;
    wanted &= ~granted; /* with MAXIMUM_ALLOWED, what was asked besides it must still be granted */
    out->allowed = wanted == 0 && (maximum ? granted != 0 : 1);
    out->granted = out->allowed ? (maximum ? granted : desired) : 0;
    if (!out->allowed)
        out->nprivileges = 0;
}
