/* Windows code spells this header StrSafe.h; it is strsafe.h. */
#include "strsafe.h"
