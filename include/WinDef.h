/* Windows code spells this header WinDef.h; it is windef.h. */
#include "windef.h"
