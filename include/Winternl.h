/* Windows code spells this header Winternl.h; it is winternl.h. */
#include "winternl.h"
