/* Windows code spells it WinCrypt.h; this file system is case-sensitive. */
#include "wincrypt.h"
