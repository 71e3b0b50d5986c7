/* Windows code spells this header Authz.h; it is authz.h. */
#include "authz.h"
