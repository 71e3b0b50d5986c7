/* ACLs and ACEs in Windows' byte layout, in caller memory (MS-DTYP 2.4.4, 2.4.5). */
#ifndef FS_SECURITY_ACL_H
#define FS_SECURITY_ACL_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

#define FS_ACL_HEADER_SIZE 8
#define FS_ACL_REVISION 2
#define FS_ACL_REVISION_DS 4
#define FS_ACE_HEADER_SIZE 4
/* Header, mask, then the SID (MS-DTYP 2.4.4.2). */
#define FS_ACE_SID_OFFSET 8

/* The ACE types with a mask and a SID right after it. */
#define FS_ACE_ALLOWED 0x0
#define FS_ACE_DENIED 0x1
#define FS_ACE_AUDIT 0x2
#define FS_ACE_ALARM 0x3
#define FS_ACE_MANDATORY_LABEL 0x11
/* The object ACE types: mask, object flags, up to two GUIDs, then the SID (MS-DTYP 2.4.4.3). */
#define FS_ACE_ALLOWED_OBJECT 0x5
#define FS_ACE_DENIED_OBJECT 0x6
#define FS_ACE_AUDIT_OBJECT 0x7
#define FS_ACE_ALARM_OBJECT 0x8
#define FS_ACE_OBJECT_TYPE_PRESENT 0x1
#define FS_ACE_INHERITED_OBJECT_TYPE_PRESENT 0x2
#define FS_GUID_SIZE 16

/* One ACE, read through: pointers are into the ACL. */
struct fs_ace {
    uint8_t type;
    uint8_t flags;
    uint16_t size;
    uint32_t mask;
    const void *sid;  /* NULL for ACE types without a SID */
    const uint8_t *raw;
    int object;                           /* one of the object ACE types */
    const uint8_t *object_type;           /* its ObjectType GUID (16 bytes as stored), or NULL */
    const uint8_t *inherited_object_type; /* its InheritedObjectType GUID, or NULL */
};

/* Revision 2..4, the ACEs fit AclSize, and every SID-carrying ACE holds a valid SID that fits. */
int fs_acl_is_valid(const void *acl);
uint16_t fs_acl_size(const void *acl);
uint16_t fs_acl_count(const void *acl);
uint8_t fs_acl_revision(const void *acl);
/* Bytes from the ACL's start to the end of its last ACE (a valid ACL). */
size_t fs_acl_bytes_in_use(const void *acl);

/* InitializeAcl: FS_E_INSUFFICIENT_BUFFER below 8 bytes, FS_E_INVALID_PARAMETER for a bad revision
 * or a length above 0xFFFF. */
FS_MUST_CHECK fs_err fs_acl_init(void *acl, uint32_t len, uint32_t revision);
/* The index-th ACE of a valid ACL; FS_E_INVALID_PARAMETER past the end. */
FS_MUST_CHECK fs_err fs_acl_get(const void *acl, uint32_t index, struct fs_ace *out);
/* AddAce: inserts the ACEs in list (len bytes of whole ACEs) before index (past the end appends). */
FS_MUST_CHECK fs_err fs_acl_insert(void *acl, uint32_t revision, uint32_t index, const void *list, uint32_t len);
FS_MUST_CHECK fs_err fs_acl_delete(void *acl, uint32_t index);
/* AddAccessAllowedAce(Ex) and its kin: appends {type, flags, mask, sid}. */
FS_MUST_CHECK fs_err fs_acl_append(void *acl, uint32_t revision, uint8_t type, uint8_t flags, uint32_t mask,
                                   const void *sid);
/* AddAccessAllowedObjectAce and its kin: appends an object ACE with the GUIDs given (each may be NULL); the
 * ACL becomes ACL_REVISION_DS, the revision object ACEs need (doc/semantics.md §59). */
FS_MUST_CHECK fs_err fs_acl_append_object(void *acl, uint32_t revision, uint8_t type, uint8_t flags, uint32_t mask,
                                          const uint8_t *object_type, const uint8_t *inherited_object_type,
                                          const void *sid);

#endif
