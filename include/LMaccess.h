/* Windows code spells this header LMaccess.h; it is lmaccess.h. */
#include "lmaccess.h"
