/* The export table as data, from exports.def: the functions of the entry shape that fault injection
 * may fail, each with the kind of failure it reports. */
#include "exports.h"

#include "core/fault.h"

enum { HANDSHAKE = 2, SSPI = 1, WIN32 = 0, RUNTIME = -1, CONTROL = -2 };

static const struct {
    const char *name;
    int shape;
} exports[] = {
#define X(name, shape) {#name, shape},
#include "exports.def"
#undef X
};
#define NEXPORTS (sizeof exports / sizeof exports[0])

static struct fs_fault_function faultable[NEXPORTS];

void fs_exports_register_faults(void)
{
    size_t n = 0;
    for (size_t i = 0; i < NEXPORTS; i++)
        if (exports[i].shape >= WIN32)
            faultable[n++] = (struct fs_fault_function){exports[i].name, exports[i].shape != WIN32,
                                                        exports[i].shape == HANDSHAKE};
    fs_fault_set_functions(faultable, n);
}
