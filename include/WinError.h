/* Windows code spells this header WinError.h; it is winerror.h. */
#include "winerror.h"
