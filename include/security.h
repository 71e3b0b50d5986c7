/* The SSPI umbrella header, as Windows code includes it (after #define SECURITY_WIN32). */
#ifndef FAKESSPI_SECURITY_H
#define FAKESSPI_SECURITY_H

#include "sspi.h"
#include "secext.h"

#endif
