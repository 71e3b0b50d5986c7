/* An account's msDS-SupportedEncryptionTypes: which Kerberos encryption types the KDC may use for it. */
#ifndef FS_SECURITY_ENCTYPES_H
#define FS_SECURITY_ENCTYPES_H

#include <stdint.h>

/* The attribute's bits (MS-KILE 2.2.7) */
#define FS_ENCTYPE_RC4 0x4u
#define FS_ENCTYPE_AES128 0x8u
#define FS_ENCTYPE_AES256 0x10u
#define FS_ENCTYPES_KNOWN (FS_ENCTYPE_RC4 | FS_ENCTYPE_AES128 | FS_ENCTYPE_AES256)
/* An account whose domain file says nothing: AES only, as the emulation has always issued (doc/semantics.md §53). */
#define FS_ENCTYPES_DEFAULT (FS_ENCTYPE_AES128 | FS_ENCTYPE_AES256)

/* "0x1c", "28", or names joined by commas or spaces ("aes256, rc4"; also the MIT names aes256-cts-hmac-sha1-96,
 * aes128-cts-hmac-sha1-96, rc4-hmac and arcfour-hmac). The bits are in *out; -1 for anything else or a value
 * with none of the three bits above. Other bits of the attribute (DES, AES-SK, FAST, claims) are kept and
 * change nothing: DES is not emulated. */
int fs_enctypes_parse(const char *text, uint32_t *out);

#endif
