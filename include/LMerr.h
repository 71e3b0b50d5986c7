/* Windows code spells this header LMerr.h; it is lmerr.h. */
#include "lmerr.h"
