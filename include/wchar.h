/* <wchar.h> as Windows code expects it: the system's, then the Microsoft C runtime's extras (fakesspi_crt.h)
 * and, under -fshort-wchar, the 16-bit wide functions (fakesspi_wchar16.h). */
#pragma GCC system_header
#include_next <wchar.h>
#include "fakesspi_crt.h"
