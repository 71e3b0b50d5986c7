/* The one channel-binding hash both NTLM and Kerberos put on the wire. */
#ifndef FS_PACKAGES_BINDINGS_H
#define FS_PACKAGES_BINDINGS_H

#include <stddef.h>
#include <stdint.h>

/* MD5 of a SEC_CHANNEL_BINDINGS structure and its data; -1 if its offsets leave the buffer. */
int fs_bindings_hash(const uint8_t *bindings, size_t len, uint8_t out[16]);

#endif
