/* Windows code spells this header BaseTsd.h; it is basetsd.h. */
#include "basetsd.h"
