/* The export table as data, from exports.def: the functions of the entry shape that fault injection
 * may fail, each with the family of failure it reports (Win32 last error, SECURITY_STATUS, NTSTATUS), and every export's address by name (what
 * GetProcAddress hands out). */
#include <string.h>

#include "exports.h"

/* Every public header, so that each row of exports.def names a declared function: a row without one
 * does not compile. */
#include "windows.h"
#include "security.h"
#include "sddl.h"
#include "aclapi.h"
#include "authz.h"
#include "ntsecapi.h"
#include "lm.h"
#include "fakesspi.h"
#include "fakesspi_crt.h"
#include "core/fault.h"

enum { HANDSHAKE = 2, SSPI = 1, WIN32 = 0, RUNTIME = -1, CONTROL = -2, NT = -3 };

static const struct {
    const char *name;
    int shape;
    fs_export_fn address;
} exports[] = {
#define X(name, shape) {#name, shape, (fs_export_fn)name},
#include "exports.def"
#undef X
};
#define NEXPORTS (sizeof exports / sizeof exports[0])

static struct fs_fault_function faultable[NEXPORTS];

void fs_exports_register_faults(void)
{
    size_t n = 0;
    for (size_t i = 0; i < NEXPORTS; i++) {
        int shape = exports[i].shape;
        if (shape >= WIN32 || shape == NT)
            faultable[n++] = (struct fs_fault_function){
                exports[i].name, shape == NT ? FS_FAULT_NT : shape == WIN32 ? FS_FAULT_WIN32 : FS_FAULT_SSPI,
                shape == HANDSHAKE};
    }
    fs_fault_add_functions(faultable, n);
}

fs_export_fn fs_export_address(const char *name)
{
    for (size_t i = 0; i < NEXPORTS; i++)
        if (strcmp(name, exports[i].name) == 0)
            return exports[i].address;
    return NULL;
}

const char *fs_export_name(size_t i) { return i < NEXPORTS ? exports[i].name : NULL; }
