/* Windows code spells this header LMCons.h; it is lmcons.h. */
#include "lmcons.h"
