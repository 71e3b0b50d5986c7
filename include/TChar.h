/* Windows code spells this header TChar.h; it is tchar.h. */
#include "tchar.h"
