/* SDDL, the Security Descriptor Definition Language, both ways ([MS-DTYP] 2.5.1). */
#ifndef FS_SECURITY_SDDL_H
#define FS_SECURITY_SDDL_H

#include <stdint.h>
#include "core/bytes.h"
#include "core/error.h"

/* Parses text into a self-relative descriptor written to out (an initialised writer).
 * FS_E_INVALID_PARAMETER for bad structure, FS_E_INVALID_ACL for a bad ACE, FS_E_INVALID_SID for an
 * unknown SID or alias, FS_E_NOMEM. */
FS_MUST_CHECK fs_err fs_sddl_parse(const char *text, struct fs_writer *out);
/* The SDDL of the parts of sd selected by info (OWNER_/GROUP_/DACL_/SACL_/LABEL_SECURITY_INFORMATION),
 * NUL-terminated, into out. FS_E_INVALID_SECURITY_DESCR, FS_E_INVALID_ACL, FS_E_NOMEM. */
FS_MUST_CHECK fs_err fs_sddl_format(const void *sd, uint32_t info, struct fs_writer *out);

#endif
