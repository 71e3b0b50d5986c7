/* Windows code spells this header Tchar.h; it is tchar.h. */
#include "tchar.h"
