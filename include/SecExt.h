/* Windows code spells this header SecExt.h; it is secext.h. */
#include "secext.h"
