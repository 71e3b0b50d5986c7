/* Windows code spells this header LMAccess.h; it is lmaccess.h. */
#include "lmaccess.h"
