/* The misuse amplifier (FAKESSPI_STRICT=1): behaviours Windows allows that break careless callers
 * elsewhere, turned on on purpose. A test mode; off by default. */
#ifndef FS_CORE_STRICT_H
#define FS_CORE_STRICT_H

int fs_strict(void);
void fs_strict_set(int on);

/* What strict mode writes into output buffers before the real bytes. */
#define FS_STRICT_GARBAGE 0xCD

#endif
