/* The pseudo-handles of Windows: GetCurrentProcess() (-1), GetCurrentThread() (-2) and the token
 * pseudo-handles GetCurrentProcessToken() (-4), GetCurrentThreadToken() (-5) and
 * GetCurrentThreadEffectiveToken() (-6), resolved for core's one lookup. */
#ifndef FS_SECURITY_PSEUDO_HANDLES_H
#define FS_SECURITY_PSEUDO_HANDLES_H

#include <stdint.h>
#include "core/object.h"

#define FS_PSEUDO_PROCESS ((uintptr_t)-1)
#define FS_PSEUDO_THREAD ((uintptr_t)-2)
#define FS_PSEUDO_PROCESS_TOKEN ((uintptr_t)-4)
#define FS_PSEUDO_THREAD_TOKEN ((uintptr_t)-5)
#define FS_PSEUDO_EFFECTIVE_TOKEN ((uintptr_t)-6)

/* The kinds behind GetCurrentProcess() and GetCurrentThread(): immortal objects, never in the
 * table, only ever reached through their pseudo-handles. */
extern const struct fs_object_ops fs_process_ops;
extern const struct fs_object_ops fs_thread_ops;

/* Is value one of the five pseudo-handles? */
static inline int fs_is_pseudo_handle(uintptr_t value)
{
    return value == FS_PSEUDO_PROCESS || value == FS_PSEUDO_THREAD || value == FS_PSEUDO_PROCESS_TOKEN ||
           value == FS_PSEUDO_THREAD_TOKEN || value == FS_PSEUDO_EFFECTIVE_TOKEN;
}

/* Registers the resolver with core/handles (idempotent). */
void fs_pseudo_handles_register(void);

#endif
