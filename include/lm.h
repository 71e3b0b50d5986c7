/* <lm.h>: the LAN Manager headers that authentication code uses. */
#ifndef FAKESSPI_LM_H
#define FAKESSPI_LM_H

#include "lmcons.h"
#include "lmerr.h"
#include "lmaccess.h"
#include "lmapibuf.h"

#endif
