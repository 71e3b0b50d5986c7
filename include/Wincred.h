/* Windows code spells this header Wincred.h; it is wincred.h. */
#include "wincred.h"
