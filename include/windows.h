/* The subset of <windows.h> that ported Windows authentication code needs. */
#ifndef FAKESSPI_WINDOWS_H
#define FAKESSPI_WINDOWS_H

#include "windef.h"
#include "winnt.h"
#include "winerror.h"
#include "winbase.h"

#endif
