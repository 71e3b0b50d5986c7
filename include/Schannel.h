/* Windows code spells this header Schannel.h; it is schannel.h. */
#include "schannel.h"
