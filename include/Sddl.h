/* Windows code spells this header Sddl.h; it is sddl.h. */
#include "sddl.h"
