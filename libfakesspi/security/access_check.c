/* The access check algorithm of MS-DTYP 2.5.3.2 over our tokens: privileges, the mandatory label, owner
 * rights, then the DACL in order, deny and allow each taking only bits not yet decided. */
#include <stdlib.h>
#include <string.h>

#include "access_check.h"
#include "acl.h"
#include "core/alloc.h"
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

/* The object and, with an object type list, its elements: what each has been granted and denied so far.
 * Element 0 is the object; without a list it is the only one. */
struct tree {
    const struct fs_object_type *types; /* NULL: no list */
    size_t n;
    uint32_t *granted, *denied;
};

#define NO_PARENT ((size_t)-1)

static size_t subtree_end(const struct tree *tr, size_t i)
{
    size_t j = i + 1;
    while (tr->types && j < tr->n && tr->types[j].level > tr->types[i].level)
        j++;
    return j;
}

static size_t parent_of(const struct tree *tr, size_t i)
{
    for (size_t j = i; tr->types && j-- > 0;)
        if (tr->types[j].level < tr->types[i].level)
            return j;
    return NO_PARENT;
}

/* An allow reaches the element and everything below it; an element above gets what all of its children now
 * have, so the object is granted a right through object ACEs only when every part of it is. */
static void tree_allow(struct tree *tr, size_t at, uint32_t mask)
{
    for (size_t j = at, end = subtree_end(tr, at); j < end; j++)
        tr->granted[j] |= mask & ~tr->denied[j];
    for (size_t p = parent_of(tr, at); p != NO_PARENT; p = parent_of(tr, p)) {
        uint32_t all_children = ~0u;
        for (size_t c = p + 1, end = subtree_end(tr, p); c < end; c++)
            if (tr->types[c].level == tr->types[p].level + 1)
                all_children &= tr->granted[c];
        tr->granted[p] |= all_children & ~tr->denied[p];
    }
}

/* A deny reaches the element, everything below it and everything above it: a part denied is the whole denied. */
static void tree_deny(struct tree *tr, size_t at, uint32_t mask)
{
    for (size_t j = at, end = subtree_end(tr, at); j < end; j++)
        tr->denied[j] |= mask & ~tr->granted[j];
    for (size_t p = parent_of(tr, at); p != NO_PARENT; p = parent_of(tr, p))
        tr->denied[p] |= mask & ~tr->granted[p];
}

/* Which element an ACE applies to: a plain ACE, or an object ACE without an object type, to the whole object
 * (element 0); an object ACE naming a GUID to that element, and to nothing when no list has it. */
static size_t ace_target(const struct tree *tr, const struct fs_ace *ace)
{
    if (!ace->object || !ace->object_type)
        return 0;
    for (size_t i = 0; tr->types && i < tr->n; i++)
        if (!memcmp(tr->types[i].guid, ace->object_type, 16))
            return i;
    return NO_PARENT;
}

/* One walk of the DACL for one set of SIDs over the tree, whose arrays hold what privileges granted and the
 * label denied. Steps record what changed for the object as a whole (element 0). */
static void dacl_walk(const struct fs_sd *v, const struct sid_set *set, uint32_t wanted, int maximum, struct tree *tr,
                      const struct fs_generic_mapping *m, int map, struct fs_access_result *out)
{
    if (!v->dacl) { /* no DACL, or a NULL one: everything but what the label and privileges decide */
        uint32_t all = (maximum ? m->all : wanted & ~(uint32_t)ACCESS_SYSTEM_SECURITY);
        step(out, FS_ACCESS_NO_DACL, 1, all & ~tr->denied[0] & ~tr->granted[0], 0, NULL, set->restricting);
        tree_allow(tr, 0, all);
        return;
    }
    int owner = v->owner && sid_matches(set, v->owner, 0);
    if (owner && !has_owner_rights_ace(v->dacl)) {
        uint32_t implicit = READ_CONTROL | WRITE_DAC;
        step(out, FS_ACCESS_OWNER, 1, implicit & ~tr->denied[0] & ~tr->granted[0], 0, NULL, set->restricting);
        tree_allow(tr, 0, implicit);
    }
    for (uint32_t i = 0; i < fs_acl_count(v->dacl); i++) {
        struct fs_ace ace;
        if (fs_acl_get(v->dacl, i, &ace) != FS_OK || !ace.sid || (ace.flags & INHERIT_ONLY_ACE))
            continue;
        int allow = ace.type == ACCESS_ALLOWED_ACE_TYPE || ace.type == ACCESS_ALLOWED_OBJECT_ACE_TYPE;
        int deny = ace.type == ACCESS_DENIED_ACE_TYPE || ace.type == ACCESS_DENIED_OBJECT_ACE_TYPE;
        size_t target = ace_target(tr, &ace);
        if ((!allow && !deny) || target == NO_PARENT)
            continue;
        uint32_t mask = (map ? fs_map_generic(ace.mask, m) : ace.mask) & ~(uint32_t)ACCESS_SYSTEM_SECURITY;
        /* OWNER RIGHTS stands for whoever owns the object. */
        int owns = owner && is_owner_rights(ace.sid);
        if (!owns && !sid_matches(set, ace.sid, deny))
            continue;
        uint32_t granted_before = tr->granted[0], denied_before = tr->denied[0];
        if (allow)
            tree_allow(tr, target, mask);
        else
            tree_deny(tr, target, mask);
        step(out, FS_ACCESS_ACE, allow, allow ? tr->granted[0] & ~granted_before : tr->denied[0] & ~denied_before, i,
             ace.sid, set->restricting);
        if (!maximum && (wanted & ~tr->granted[0]) == 0)
            break;
    }
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
    /* Without a list the tree is the object alone, in arrays of one: nothing to allocate, nothing to fail. */
    fs_err err = fs_access_check_by_type(sd, t, desired, m, principal_self, NULL, 0, NULL, out);
    (void)err;
}

static int guid_order(const void *a, const void *b)
{
    return memcmp(a, b, 16);
}

fs_err fs_object_types_check(const struct fs_object_type *types, size_t n)
{
    if (n == 0 || types[0].level != 0)
        return FS_E_INVALID_PARAMETER;
    for (size_t i = 1; i < n; i++)
        if (types[i].level == 0 || types[i].level > 4 || types[i].level > types[i - 1].level + 1)
            return FS_E_INVALID_PARAMETER;
    /* A GUID twice, found by sorting a copy: a caller's list of thousands stays fast. */
    uint8_t (*guids)[16] = fs_malloc(n * sizeof *guids);
    if (!guids)
        return FS_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        memcpy(guids[i], types[i].guid, 16);
    qsort(guids, n, sizeof *guids, guid_order);
    fs_err err = FS_OK;
    for (size_t i = 1; i < n && err == FS_OK; i++)
        if (!memcmp(guids[i], guids[i - 1], 16))
            err = FS_E_INVALID_PARAMETER;
    free(guids);
    return err;
}

/* What a tree's walk leaves for one element: granted only when every right asked is. */
static void conclude(uint32_t granted, uint32_t desired, int maximum, uint32_t *out_granted, int *out_allowed)
{
    uint32_t wanted = desired & ~(uint32_t)MAXIMUM_ALLOWED & ~granted; /* besides MAXIMUM_ALLOWED, still owed */
    *out_allowed = wanted == 0 && (maximum ? granted != 0 : 1);
    *out_granted = *out_allowed ? (maximum ? granted : desired) : 0;
}

fs_err fs_access_check_by_type(const void *sd, const struct fs_token *t, uint32_t desired,
                               const struct fs_generic_mapping *m, const struct fs_sid *principal_self,
                               const struct fs_object_type *types, size_t ntypes,
                               struct fs_access_element *elements, struct fs_access_result *out)
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
        return FS_OK;
    int maximum = (desired & MAXIMUM_ALLOWED) != 0;
    uint32_t wanted = desired & ~(uint32_t)MAXIMUM_ALLOWED;
    uint32_t granted = 0;

    /* Privileges first: they grant what they stand for whatever the DACL says. */
    uint32_t security = fs_privilege_luid("SeSecurityPrivilege");
    uint32_t take = fs_privilege_luid("SeTakeOwnershipPrivilege");
    if (wanted & ACCESS_SYSTEM_SECURITY) {
        if (!fs_token_has_enabled_privilege(t, security)) {
            out->privilege_missing = 1; /* STATUS_PRIVILEGE_NOT_HELD, whatever the DACL says */
            for (size_t i = 0; elements && i < ntypes; i++)
                elements[i] = (struct fs_access_element){0, 0};
            return FS_OK;
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

    /* Four arrays: granted and denied for the token's SIDs, then for a restricted token's restricting SIDs. */
    size_t n = ntypes ? ntypes : 1;
    uint32_t one[4], *arrays = ntypes ? fs_calloc(4 * n, sizeof *arrays) : one;
    if (!arrays)
        return FS_E_NOMEM;
    struct tree normal_tree = {ntypes ? types : NULL, n, arrays, arrays + n};
    struct tree limit_tree = {ntypes ? types : NULL, n, arrays + 2 * n, arrays + 3 * n};

    /* Group attributes may change under AdjustTokenGroups: both walks see one state. */
    fs_token_state_lock();
    uint32_t denied = label_denies(v.sacl, t, m);
    step(out, FS_ACCESS_LABEL, 0, denied & (maximum ? ~0u : wanted), 0, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        normal_tree.granted[i] = limit_tree.granted[i] = granted;
        normal_tree.denied[i] = limit_tree.denied[i] = denied;
    }
    struct sid_set normal = {t, 0, principal_self}, restricting = {t, 1, principal_self};
    dacl_walk(&v, &normal, wanted, maximum, &normal_tree, m, map, out);
    /* A restricted token gets only what its restricting SIDs are granted too; a write-restricted one has
     * them limit the write rights only (doc/semantics.md §45). */
    if (t->restricted) {
        dacl_walk(&v, &restricting, wanted, maximum, &limit_tree, m, map, out);
        for (size_t i = 0; i < n; i++)
            normal_tree.granted[i] &= limit_tree.granted[i] | (t->write_restricted ? ~m->write : 0);
    }
    fs_token_state_unlock();
    conclude(normal_tree.granted[0], desired, maximum, &out->granted, &out->allowed);
    for (size_t i = 0; elements && i < ntypes; i++)
        conclude(normal_tree.granted[i], desired, maximum, &elements[i].granted, &elements[i].allowed);
    if (!out->allowed)
        out->nprivileges = 0;
    if (arrays != one)
        free(arrays);
    return FS_OK;
}
