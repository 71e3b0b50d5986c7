/* getaddrinfo and friends come from <netdb.h> through winsock2.h, under their Windows names too. */
#ifndef FAKESSPI_WS2TCPIP_H
#define FAKESSPI_WS2TCPIP_H

#include "winsock2.h"

#endif
