/* Windows code spells this header LMErr.h; it is lmerr.h. */
#include "lmerr.h"
