/* Privilege names and their fixed Windows LUIDs. */
#ifndef FS_SECURITY_PRIVILEGES_H
#define FS_SECURITY_PRIVILEGES_H

#include <stdint.h>

/* 0 if the name is unknown. */
uint32_t fs_privilege_luid(const char *name);
/* The English display name of a known LUID ("" for an unknown one). */
const char *fs_privilege_display_name(uint32_t luid);
/* NULL if the LUID is unknown. */
const char *fs_privilege_name(uint32_t luid);

#endif
