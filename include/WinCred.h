/* Windows code spells this header WinCred.h; it is wincred.h. */
#include "wincred.h"
