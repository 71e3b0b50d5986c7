/* Windows code spells this header Winsock.h; it is winsock.h. */
#include "winsock.h"
