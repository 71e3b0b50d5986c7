/* Windows code spells this header NTStatus.h; it is ntstatus.h. */
#include "ntstatus.h"
