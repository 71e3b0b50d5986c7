/* Security descriptors, absolute and self-relative, read and written in Windows' layout (MS-DTYP 2.4.6). */
#ifndef FS_SECURITY_SECURITY_DESCRIPTOR_H
#define FS_SECURITY_SECURITY_DESCRIPTOR_H

#include <stddef.h>
#include <stdint.h>
#include "core/error.h"

#define FS_SD_REVISION 1
#define FS_SD_RELATIVE_SIZE 20 /* SECURITY_DESCRIPTOR_RELATIVE */
#define FS_SD_ABSOLUTE_SIZE 40 /* SECURITY_DESCRIPTOR on x64 */

/* What a descriptor says, either form: pointers into the caller's memory (BORROWED). */
struct fs_sd {
    uint16_t control; /* SE_*; SE_SELF_RELATIVE says which form it was read from */
    const void *owner, *group, *sacl, *dacl;
};

/* Reads either form; FS_E_UNKNOWN_REVISION unless revision 1. No validation of the parts. */
FS_MUST_CHECK fs_err fs_sd_read(const void *sd, struct fs_sd *out);
/* Revision 1 and every part present is valid (IsValidSecurityDescriptor). */
int fs_sd_is_valid(const void *sd);
/* A self-relative descriptor of len bytes, untrusted: valid as fs_sd_is_valid says, and every part inside the
 * len bytes (what RtlValidRelativeSecurityDescriptor checks; for a tool reading a descriptor from a file). */
int fs_sd_relative_is_valid(const void *sd, size_t len);
/* The self-relative length of what v describes (GetSecurityDescriptorLength, MakeSelfRelativeSD). */
size_t fs_sd_relative_length(const struct fs_sd *v);
/* Writes v self-relative into out (fs_sd_relative_length bytes): the header, then the SACL, the DACL,
 * the owner and the group, in that order, as Windows lays them out. */
void fs_sd_write_relative(const struct fs_sd *v, void *out);
size_t fs_sd_sid_length(const void *sid);

#endif
