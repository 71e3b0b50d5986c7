/* Windows code spells this header Strsafe.h; it is strsafe.h. */
#include "strsafe.h"
