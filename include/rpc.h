/* <rpc.h>: as on Windows, it brings rpcdce.h's constants. */
#ifndef FAKESSPI_RPC_H
#define FAKESSPI_RPC_H

#include "windef.h"
#include "winerror.h"
#include "rpcdce.h"

#endif
