/* Scripting (fakesspi_script_call): the next calls of a function return what the test chose, and
 * InitializeSecurityContext/AcceptSecurityContext hand out the token it chose, so a caller's rare
 * branches can be driven without a real peer (as Chromium's MockSSPILibrary does). */
#ifndef FS_CORE_SCRIPT_H
#define FS_CORE_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

/* Queues `count` calls of function (an exported name, or an A/W pair's stem such as
 * "InitializeSecurityContext" for both) after those already queued for it. value: any status for the
 * functions that hand out a token (the only ones that take one), else what fault injection accepts
 * (a failing status, a non-zero error). Returns 0, or -1 with a message naming what is wrong. */
int fs_script_arm(const char *function, uint64_t count, int64_t value, const void *token, size_t len,
                  char *message, size_t cap);
/* Called by every call that fault injection did not choose: 1 when the script chooses this one,
 * with its value, whether that value is a failure, and (if it has one) a copy of its token. */
int fs_script_take(const char *api, int64_t *value, int *fails, struct fs_writer *token);
/* Calls still queued for function (a name or a stem as above; NULL: every function). */
uint64_t fs_script_pending(const char *function);

/* From now on QuerySecurityPackageInfo reports cbMaxToken for the package (a name as the package
 * knows it). */
int fs_script_arm_max_token(const char *package, uint32_t max_token);
/* 1 and *max_token when one is scripted for the package. */
int fs_script_max_token(const char *package, uint32_t *max_token);

void fs_script_clear(void);

#endif
