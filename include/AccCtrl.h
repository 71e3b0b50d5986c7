/* Windows code spells this header AccCtrl.h; it is accctrl.h. */
#include "accctrl.h"
