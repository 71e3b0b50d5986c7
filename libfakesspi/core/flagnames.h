/* Names of SSPI flag bits and enumerated values, from one table (flag_table.def). */
#ifndef FS_CORE_FLAGNAMES_H
#define FS_CORE_FLAGNAMES_H

#include <stddef.h>
#include <stdint.h>

enum fs_names {
    FS_NAMES_ISC_REQ,
    FS_NAMES_ISC_RET,
    FS_NAMES_ASC_REQ,
    FS_NAMES_ASC_RET,
    FS_NAMES_SECBUFFER,   /* values, not bits */
    FS_NAMES_SECPKG_ATTR, /* values, not bits, from here on */
    FS_NAMES_SECPKG_CRED,
    FS_NAMES_SECPKG_CRED_ATTR,
    FS_NAMES_TOKEN_INFORMATION_CLASS,
    FS_NAMES_EXTENDED_NAME_FORMAT,
    FS_NAMES_SID_NAME_USE,
    FS_NAMES_IMPERSONATION_LEVEL,
    FS_NAMES_TOKEN_TYPE,
    FS_NAMES_LOGON_TYPE,
    FS_NAMES_COMPUTER_NAME_FORMAT,
    FS_NAMES_ACE_TYPE,
    FS_NAMES_ACE_FLAGS,    /* bits again, from here on */
    FS_NAMES_SD_CONTROL,
    FS_NAMES_ACCESS,       /* standard, generic and special access bits */
    FS_NAMES_FILE_ACCESS,  /* the specific bits of files and directories */
    FS_NAMES_KEY_ACCESS,   /* the specific bits of registry keys */
    FS_NAMES_COUNT
};

/* "ISC_REQ_CONFIDENTIALITY|ISC_REQ_CONNECTION|0x80000000" (bits without a name in hex), "0" for none. */
void fs_flags_format(enum fs_names table, uint32_t value, char *buf, size_t cap);
/* The name of a value in a value table, or NULL. */
const char *fs_value_name(enum fs_names table, uint32_t value);

#endif
