/* The decoy library's own three functions (tests/api/decoy.c); it declares none of libfakesspi's. */
#ifndef FS_DECOY_H
#define FS_DECOY_H

/* What every decoy function returns: a code in SSPI's facility that no function returns. */
#define DECOY_STATUS 0x8009DEC0u

long decoy_hit(const char *name);
int decoy_calls(void);
const char *decoy_last(void);

#endif
