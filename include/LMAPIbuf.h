/* Windows code spells this header LMAPIbuf.h; it is lmapibuf.h. */
#include "lmapibuf.h"
