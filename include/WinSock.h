/* Windows code spells this header WinSock.h; it is winsock.h. */
#include "winsock.h"
