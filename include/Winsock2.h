/* Windows code spells this header Winsock2.h; it is winsock2.h. */
#include "winsock2.h"
