/* Windows code spells this header WinTernl.h; it is winternl.h. */
#include "winternl.h"
