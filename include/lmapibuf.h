/* The Net functions' buffers: freed with NetApiBufferFree. */
#ifndef FAKESSPI_LMAPIBUF_H
#define FAKESSPI_LMAPIBUF_H

#include "lmcons.h"

FAKESSPI_BEGIN_DECLS

FAKESSPI_API NET_API_STATUS NET_API_FUNCTION NetApiBufferAllocate(DWORD ByteCount, LPVOID *Buffer);
FAKESSPI_API NET_API_STATUS NET_API_FUNCTION NetApiBufferFree(LPVOID Buffer);

FAKESSPI_END_DECLS

#endif
