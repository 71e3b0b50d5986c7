/* Code that includes the old <winsock.h> gets Winsock 2, which has every name it had. */
#include "winsock2.h"
