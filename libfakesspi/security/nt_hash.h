/* An account's NT hash (MD4 of the UTF-16LE password): what Active Directory keeps instead of the
 * password, and the key NTLM and RC4 Kerberos start from. */
#ifndef FS_SECURITY_NT_HASH_H
#define FS_SECURITY_NT_HASH_H

#include <stdint.h>

#include "core/error.h"

#define FS_NT_HASH_SIZE 16

/* FS_E_NO_UNICODE_TRANSLATION for a password that is not UTF-8; FS_E_NOMEM. */
FS_MUST_CHECK fs_err fs_nt_hash(const char *password, uint8_t out[FS_NT_HASH_SIZE]);

#endif
