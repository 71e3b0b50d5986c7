/* Windows code spells this header Windows.h; it is windows.h. */
#include "windows.h"
