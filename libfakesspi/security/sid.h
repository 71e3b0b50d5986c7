/* SIDs in Windows' own byte layout, their text form, and comparisons. */
#ifndef FS_SECURITY_SID_H
#define FS_SECURITY_SID_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

#define FS_SID_MAX_SUB 15

/* Same bytes as Windows' SID with room for the maximum count; copy GetLengthSid() bytes of it. */
struct fs_sid {
    uint8_t revision;
    uint8_t count;
    uint8_t authority[6]; /* big-endian 48-bit */
    uint32_t sub[FS_SID_MAX_SUB];
};

void fs_sid_init(struct fs_sid *sid, uint64_t authority, uint8_t count, const uint32_t *subs);
/* sid = base with one more sub-authority (a RID) appended. */
void fs_sid_append(struct fs_sid *sid, const struct fs_sid *base, uint32_t rid);
uint64_t fs_sid_authority(const struct fs_sid *sid);
size_t fs_sid_length(const struct fs_sid *sid);
/* Revision 1 and at most 15 sub-authorities. */
int fs_sid_is_valid(const void *sid);
/* Copies a caller's SID, already checked with fs_sid_is_valid(), into *out. */
void fs_sid_copy_in(struct fs_sid *out, const void *sid);
int fs_sid_equal(const struct fs_sid *a, const struct fs_sid *b);
/* base is a prefix of sid with exactly one more sub-authority: sid is a RID in domain base. */
int fs_sid_is_in_domain(const struct fs_sid *sid, const struct fs_sid *base, uint32_t *rid);

/* "S-1-5-21-..." (authorities of 2^32 and above in 0x hex, as Windows writes them).
 * Returns the length; the text is cut at cap-1. 192 bytes always suffice. */
#define FS_SID_STRING_MAX 192
size_t fs_sid_format(const struct fs_sid *sid, char *buf, size_t cap);
/* Parses "S-1-..." only (no aliases). FS_E_INVALID_SID on any malformation. */
FS_MUST_CHECK fs_err fs_sid_parse(const char *text, struct fs_sid *out);
/* For SID texts written in the source (FS_SID_BUILTIN, the well-known table): they cannot fail, and a
 * typo in one is a bug of ours, so it aborts instead of being ignored. */
void fs_sid_parse_known(const char *text, struct fs_sid *out);

#endif
