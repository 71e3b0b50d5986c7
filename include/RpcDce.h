/* Windows code spells this header RpcDce.h; it is rpcdce.h. */
#include "rpcdce.h"
