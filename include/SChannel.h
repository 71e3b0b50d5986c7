/* Windows code spells this header SChannel.h; it is schannel.h. */
#include "schannel.h"
