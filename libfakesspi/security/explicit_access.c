/* SetEntriesInAcl's merge rules over a working list of ACEs, trustee resolution, and effective rights
 * through the access check (doc/semantics.md §42). */
#include <stdlib.h>
#include <string.h>

#include "explicit_access.h"
#include "access_check.h"
#include "accounts.h"
#include "acl.h"
#include "domain_current.h"
#include "identity.h"
#include "logon.h"
#include "security_descriptor.h"
#include "core/alloc.h"
#include "core/memtrack.h"
#include "accctrl.h"

fs_err fs_trustee_sid(const struct fs_trustee *t, struct fs_sid *out)
{
    if (t->form == TRUSTEE_IS_SID) {
        /* The multiple-trustee fields are not read for a SID trustee (doc/semantics.md §42). */
        if (!t->sid)
            return FS_E_INVALID_PARAMETER;
        if (!fs_sid_is_valid(t->sid))
            return FS_E_INVALID_SID;
        fs_sid_copy_in(out, t->sid);
        return FS_OK;
    }
    if (t->form != TRUSTEE_IS_NAME || t->operation != NO_MULTIPLE_TRUSTEE || !t->name)
        return FS_E_INVALID_PARAMETER;
    if (!strcmp(t->name, "CURRENT_USER")) {
        struct fs_token *me = fs_process_token();
        if (!me)
            return FS_E_NONE_MAPPED;
        *out = me->user;
        fs_token_unref(me);
        return FS_OK;
    }
    struct fs_account a;
    fs_err err = fs_account_by_name(t->name, &a);
    if (err == FS_OK)
        *out = a.sid;
    return err;
}

/* One ACE of the working list. */
struct work_ace {
    uint8_t type, flags;
    uint32_t mask;
    struct fs_sid sid;
    int fresh;            /* added by this call: it goes before the old ACEs of its group */
    const uint8_t *raw;   /* an old ACE the merge does not read (no SID at offset 8): copied as is */
    uint16_t raw_size;
};

struct work {
    struct work_ace *aces;
    size_t n, cap;
};

/* The most ACEs an ACL's 16-bit size can hold (each at least 16 bytes): past it the result could not be
 * written anyway, and the merge's scans stay bounded whatever count the caller passes. */
#define MAX_ACES ((0xFFFC - FS_ACL_HEADER_SIZE) / 16)

static fs_err push(struct work *w, struct work_ace a)
{
    if (w->n >= MAX_ACES)
        return FS_E_INVALID_PARAMETER; /* as write_acl says of an ACL too large */
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        struct work_ace *p = fs_realloc(w->aces, cap * sizeof *p);
        if (!p)
            return FS_E_NOMEM;
        w->aces = p;
        w->cap = cap;
    }
    w->aces[w->n++] = a;
    return FS_OK;
}

static int is_explicit_for(const struct work_ace *a, const struct fs_sid *sid)
{
    return !a->raw && !(a->flags & INHERITED_ACE) && fs_sid_equal(&a->sid, sid);
}

/* SET_ACCESS and REVOKE_ACCESS take away every explicit ACE of the trustee; inherited ACEs stay. */
static void remove_trustee(struct work *w, const struct fs_sid *sid)
{
    size_t k = 0;
    for (size_t i = 0; i < w->n; i++)
        if (!is_explicit_for(&w->aces[i], sid))
            w->aces[k++] = w->aces[i];
    w->n = k;
}

/* GRANT_ACCESS and DENY_ACCESS add their rights to an explicit ACE of the same type, trustee and
 * inheritance when there is one, else a new ACE. */
static fs_err combine(struct work *w, uint8_t type, uint8_t flags, uint32_t mask, const struct fs_sid *sid)
{
    for (size_t i = 0; i < w->n; i++) {
        struct work_ace *a = &w->aces[i];
        if (a->type == type && a->flags == flags && is_explicit_for(a, sid)) {
            a->mask |= mask;
            return FS_OK;
        }
    }
    return push(w, (struct work_ace){type, flags, mask, *sid, 1, NULL, 0});
}

static fs_err apply(struct work *w, const struct fs_explicit_entry *e)
{
    uint8_t flags = (uint8_t)(e->inheritance & (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE |
                                                NO_PROPAGATE_INHERIT_ACE | INHERIT_ONLY_ACE));
    switch (e->mode) {
    case NOT_USED_ACCESS:
        return FS_OK;
    case GRANT_ACCESS:
        return combine(w, ACCESS_ALLOWED_ACE_TYPE, flags, e->mask, &e->sid);
    case SET_ACCESS:
        remove_trustee(w, &e->sid);
        return push(w, (struct work_ace){ACCESS_ALLOWED_ACE_TYPE, flags, e->mask, e->sid, 1, NULL, 0});
    case DENY_ACCESS:
        return combine(w, ACCESS_DENIED_ACE_TYPE, flags, e->mask, &e->sid);
    case REVOKE_ACCESS:
        remove_trustee(w, &e->sid);
        return FS_OK;
    case SET_AUDIT_SUCCESS:
    case SET_AUDIT_FAILURE: {
        uint8_t audit = e->mode == SET_AUDIT_SUCCESS ? SUCCESSFUL_ACCESS_ACE_FLAG : FAILED_ACCESS_ACE_FLAG;
        return combine(w, SYSTEM_AUDIT_ACE_TYPE, flags | audit, e->mask, &e->sid);
    }
    default:
        return FS_E_INVALID_PARAMETER;
    }
}

/* Canonical order: explicit deny, explicit others, inherited; within a group the new ACEs first. */
static int rank(const struct work_ace *a)
{
    if (a->flags & INHERITED_ACE)
        return 4;
    int group = a->type == ACCESS_DENIED_ACE_TYPE ? 0 : 2;
    return group + (a->fresh ? 0 : 1);
}

static size_t ace_size(const struct work_ace *a)
{
    return a->raw ? a->raw_size : FS_ACE_SID_OFFSET + fs_sid_length(&a->sid);
}

/* Written in scratch memory first, so that a failure frees nothing the caller could see. */
static fs_err write_acl(const struct work *w, uint8_t revision, const char *api, void **out)
{
    size_t total = FS_ACL_HEADER_SIZE;
    for (size_t i = 0; i < w->n; i++)
        total += ace_size(&w->aces[i]);
    if (total > 0xFFFC)
        return FS_E_INVALID_PARAMETER; /* beyond what an ACL's 16-bit size can say */
    uint8_t *scratch = fs_calloc(1, total);
    if (!scratch)
        return FS_E_NOMEM;
    fs_err err = fs_acl_init(scratch, (uint32_t)total, revision);
    for (int r = 0; r <= 4 && err == FS_OK; r++)
        for (size_t i = 0; i < w->n && err == FS_OK; i++) {
            const struct work_ace *a = &w->aces[i];
            if (rank(a) == r)
                err = a->raw ? fs_acl_insert(scratch, revision, 0xFFFFFFFFu, a->raw, a->raw_size)
                             : fs_acl_append(scratch, revision, a->type, a->flags, a->mask, &a->sid);
        }
    uint8_t *acl = err == FS_OK ? fs_mem_alloc(FS_MEM_LOCAL, total, 0, api) : NULL;
    if (err == FS_OK && !acl)
        err = FS_E_NOMEM;
    if (acl) {
        memcpy(acl, scratch, total);
        *out = acl;
    }
    free(scratch);
    return err;
}

static fs_err read_old(const void *old_acl, struct work *w, uint8_t *revision)
{
    if (!fs_acl_is_valid(old_acl))
        return FS_E_INVALID_ACL;
    if (fs_acl_revision(old_acl) > *revision)
        *revision = fs_acl_revision(old_acl);
    for (uint32_t i = 0; i < fs_acl_count(old_acl); i++) {
        struct fs_ace ace;
        fs_err err = fs_acl_get(old_acl, i, &ace);
        if (err != FS_OK)
            return err;
        struct work_ace a = {ace.type, ace.flags, ace.mask, {0}, 0, NULL, 0};
        if (ace.sid && ace.type <= SYSTEM_AUDIT_ACE_TYPE)
            fs_sid_copy_in(&a.sid, ace.sid);
        else {
            a.raw = ace.raw;
            a.raw_size = ace.size;
        }
        err = push(w, a);
        if (err != FS_OK)
            return err;
    }
    return FS_OK;
}

fs_err fs_explicit_merge(const struct fs_explicit_entry *entries, size_t n, const void *old_acl, const char *api,
                         void **out)
{
    *out = NULL;
    if (n == 0 && !old_acl)
        return FS_OK; /* nothing to say: no ACL at all (doc/semantics.md §42) */
    struct work w = {0};
    uint8_t revision = ACL_REVISION;
    fs_err err = old_acl ? read_old(old_acl, &w, &revision) : FS_OK;
    for (size_t i = 0; err == FS_OK && i < n; i++)
        err = apply(&w, &entries[i]);
    if (err == FS_OK)
        err = write_acl(&w, revision, api, out);
    free(w.aces);
    return err;
}

/* SID_NAME_USE to TRUSTEE_TYPE: the same order, but SidTypeUnknown (8) is TRUSTEE_IS_UNKNOWN and
 * SidTypeComputer (9) is TRUSTEE_IS_COMPUTER (8). */
static int trustee_type(const struct fs_sid *sid)
{
    struct fs_account a;
    if (fs_account_by_sid(sid, &a) != FS_OK)
        return TRUSTEE_IS_UNKNOWN;
    if (a.use == SidTypeComputer)
        return TRUSTEE_IS_COMPUTER;
    return a.use >= SidTypeUser && a.use <= SidTypeInvalid ? a.use : TRUSTEE_IS_UNKNOWN;
}

fs_err fs_explicit_entries(const void *acl, struct fs_explicit_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!fs_acl_is_valid(acl))
        return FS_E_INVALID_ACL;
    uint32_t count = fs_acl_count(acl);
    struct fs_explicit_entry *list = count ? fs_calloc(count, sizeof *list) : NULL;
    if (count && !list)
        return FS_E_NOMEM;
    size_t k = 0;
    for (uint32_t i = 0; i < count; i++) {
        struct fs_ace ace;
        if (fs_acl_get(acl, i, &ace) != FS_OK || !ace.sid || ace.type > SYSTEM_AUDIT_ACE_TYPE)
            continue;
        struct fs_explicit_entry *e = &list[k++];
        e->mask = ace.mask;
        e->mode = ace.type == ACCESS_ALLOWED_ACE_TYPE ? GRANT_ACCESS
                  : ace.type == ACCESS_DENIED_ACE_TYPE ? DENY_ACCESS
                  : (ace.flags & FAILED_ACCESS_ACE_FLAG) ? SET_AUDIT_FAILURE
                                                         : SET_AUDIT_SUCCESS;
        e->inheritance = ace.flags & VALID_INHERIT_FLAGS;
        fs_sid_copy_in(&e->sid, ace.sid);
        e->type = trustee_type(&e->sid);
    }
    if (k == 0) {
        free(list);
        list = NULL;
    }
    *out = list;
    *n = k;
    return FS_OK;
}

/* The trustee as a token: a domain user with the groups of a network logon, anyone else alone. */
static fs_err trustee_token(const struct fs_sid *sid, struct fs_token **out)
{
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d ? fs_domain_find_user_by_sid(d, sid) : NULL;
    fs_err err = FS_OK;
    if (u) {
        struct fs_logon_request req = {.logon_type = LOGON32_LOGON_NETWORK, .source = "Authz",
                                       .token_type = TokenImpersonation, .level = SecurityIdentification};
        err = fs_logon_build(d, u, &req, out);
    } else {
        struct fs_token *t = fs_token_new();
        if (t) {
            t->user = *sid;
            t->type = TokenImpersonation;
            t->level = SecurityIdentification;
        }
        *out = t;
        err = t ? FS_OK : FS_E_NOMEM;
    }
    fs_domain_release(); /* acquire took the lock even when it found no domain */
    return err;
}

fs_err fs_effective_rights(const void *acl, const struct fs_sid *sid, uint32_t *out)
{
    if (!fs_acl_is_valid(acl))
        return FS_E_INVALID_ACL;
    struct fs_sd v = {.control = SE_DACL_PRESENT, .dacl = acl};
    void *sd = fs_malloc(fs_sd_relative_length(&v));
    if (!sd)
        return FS_E_NOMEM;
    fs_sd_write_relative(&v, sd);
    struct fs_token *t = NULL;
    fs_err err = trustee_token(sid, &t);
    if (err == FS_OK) {
        struct fs_access_result r;
        fs_access_check(sd, t, MAXIMUM_ALLOWED, NULL, &r); /* NULL mapping: the ACEs' bits as they are */
        *out = r.granted;
    }
    fs_token_unref(t);
    free(sd);
    return err;
}
