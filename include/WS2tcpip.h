/* Windows code spells it WS2tcpip.h; this file system is case-sensitive. */
#include "ws2tcpip.h"
