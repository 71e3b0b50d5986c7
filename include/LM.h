/* Windows code spells this header LM.h; it is lm.h. */
#include "lm.h"
