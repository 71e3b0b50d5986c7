/* Windows code spells this header WinNT.h; it is winnt.h. */
#include "winnt.h"
