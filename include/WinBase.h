/* Windows code spells this header WinBase.h; it is winbase.h. */
#include "winbase.h"
