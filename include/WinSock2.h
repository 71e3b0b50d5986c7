/* Windows code spells it WinSock2.h; this file system is case-sensitive. */
#include "winsock2.h"
