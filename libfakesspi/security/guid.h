/* GUIDs as Windows lays them out in memory (Data1..Data3 little-endian, MS-DTYP 2.3.4) and as SDDL and the
 * trace write them ("bf967aba-0de6-11d0-a285-00aa003049e2"). */
#ifndef FS_SECURITY_GUID_H
#define FS_SECURITY_GUID_H

#include <stddef.h>
#include <stdint.h>

#define FS_GUID_TEXT_MAX 37

/* len characters of text, no braces; 0 on success, -1 when it is not a GUID. */
int fs_guid_parse(const char *text, size_t len, uint8_t out[16]);
void fs_guid_format(const uint8_t guid[16], char out[FS_GUID_TEXT_MAX]);

#endif
