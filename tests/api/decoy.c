/* The decoy of test_interposition: a library exporting every name libfakesspi exports, as libwinpr2 exports the
 * SSPI names. decoy_exports.c (generated from libfakesspi/fakesspi.sym) defines each name over decoy_hit(). */
#include <stdio.h>

#include "decoy.h"

static int calls;
static char last[128];

long decoy_hit(const char *name)
{
    calls++;
    snprintf(last, sizeof last, "%s", name);
    return (long)DECOY_STATUS;
}

int decoy_calls(void)
{
    return calls;
}

const char *decoy_last(void)
{
    return last;
}
