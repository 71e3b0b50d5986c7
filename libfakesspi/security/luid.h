/* Locally unique identifiers, handed out in sequence from a seeded start. */
#ifndef FS_SECURITY_LUID_H
#define FS_SECURITY_LUID_H

#include <stdint.h>

/* The LUID of the SYSTEM logon session, which originates every logon here. */
#define FS_LUID_SYSTEM 0x3e7u

uint64_t fs_luid_next(void);
/* Restarts the sequence at a value drawn from the seeded generator. */
void fs_luid_reset(void);

#endif
