/* An account's NT hash (MD4 of the UTF-16LE password): what Active Directory keeps instead of the
 * password, and the key NTLM and RC4 Kerberos start from. */
#ifndef FS_SECURITY_NT_HASH_H
#define FS_SECURITY_NT_HASH_H

#include <stdint.h>

#include "core/error.h"

#define FS_NT_HASH_SIZE 16

/* FS_E_NO_UNICODE_TRANSLATION for a password that is not UTF-8; FS_E_NOMEM. */
FS_MUST_CHECK fs_err fs_nt_hash(const char *password, uint8_t out[FS_NT_HASH_SIZE]);

/* The LM hash, LMOWFv1 (MS-NLMP 3.3.1): DES of "KGS!@#$%" under each half of the upper-cased password, padded
 * to 14 bytes. 0 when made; -1 when the password has none: longer than 14 characters, or not ASCII (Windows
 * converts to the OEM code page, which the emulation does not model: doc/semantics.md §61). */
int fs_lm_hash(const char *password, uint8_t out[FS_NT_HASH_SIZE]);

/* DES of one 8-byte block under a 7-byte key, spread to DES' 8 bytes with parity (MS-NLMP 6, DES(K, D)); nettle's
 * DES. The building block of LMOWFv1 and of NTLMv1's DESL. */
void fs_des7_encrypt(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8]);

#endif
