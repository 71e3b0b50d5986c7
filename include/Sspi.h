/* Windows code spells this header Sspi.h; it is sspi.h. */
#include "sspi.h"
