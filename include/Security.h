/* Windows code spells this header Security.h; it is security.h. */
#include "security.h"
