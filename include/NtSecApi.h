/* Windows code spells this header NtSecApi.h; it is ntsecapi.h. */
#include "ntsecapi.h"
