/* Windows code spells this header NTSecAPI.h; it is ntsecapi.h. */
#include "ntsecapi.h"
