/* Windows code spells this header AclAPI.h; it is aclapi.h. */
#include "aclapi.h"
