/* Windows code spells this header Rpc.h; it is rpc.h. */
#include "rpc.h"
