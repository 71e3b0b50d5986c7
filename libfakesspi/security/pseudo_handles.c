/* Resolves the pseudo-handles for core's one lookup: only this process and the calling thread exist,
 * as immortal objects; the token pseudo-handles name the tokens of security/identity. */
#include "pseudo_handles.h"

#include "core/handles.h"
#include "identity.h"
#include "winnt.h"

const struct fs_object_ops fs_process_ops = {.name = "process", .leak_name = "HANDLE"};
const struct fs_object_ops fs_thread_ops = {.name = "thread", .leak_name = "HANDLE"};

static struct fs_object process_object = {.refs = 1, .ops = &fs_process_ops};
static struct fs_object thread_object = {.refs = 1, .ops = &fs_thread_ops};

/* Token pseudo-handles grant only query access, as on Windows; the process and thread ones all. */
#define PSEUDO_TOKEN_ACCESS (TOKEN_QUERY | TOKEN_QUERY_SOURCE)
#define PSEUDO_OBJECT_ACCESS 0x1FFFFFu /* PROCESS_ALL_ACCESS / THREAD_ALL_ACCESS */

static int token_result(struct fs_token *t, fs_err missing, struct fs_object **obj, uint32_t *access, fs_err *err)
{
    *obj = t ? &t->base : NULL;
    *access = PSEUDO_TOKEN_ACCESS;
    *err = t ? FS_OK : missing;
    return 1;
}

static int resolve(uintptr_t value, struct fs_object **obj, uint32_t *access, fs_err *err)
{
    switch (value) {
    case FS_PSEUDO_PROCESS:
    case FS_PSEUDO_THREAD:
        *obj = value == FS_PSEUDO_PROCESS ? &process_object : &thread_object;
        *access = PSEUDO_OBJECT_ACCESS;
        *err = FS_OK;
        return 1;
    case FS_PSEUDO_PROCESS_TOKEN:
        return token_result(fs_process_token(), FS_E_NO_SUCH_LOGON_SESSION, obj, access, err);
    case FS_PSEUDO_THREAD_TOKEN:
        return token_result(fs_thread_token(), FS_E_NO_TOKEN, obj, access, err);
    case FS_PSEUDO_EFFECTIVE_TOKEN:
        return token_result(fs_effective_token(), FS_E_NO_SUCH_LOGON_SESSION, obj, access, err);
    default:
        return 0;
    }
}

void fs_pseudo_handles_register(void) { fs_handle_set_pseudo_resolver(resolve); }
