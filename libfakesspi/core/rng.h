/* The only source of randomness: a seeded ChaCha stream (nettle), or the kernel's on request. */
#ifndef FS_CORE_RNG_H
#define FS_CORE_RNG_H

#include <stddef.h>
#include <stdint.h>

void fs_rng_seed(uint64_t seed);
/* FAKESSPI_SEED=random: key the stream from getrandom(). */
void fs_rng_seed_from_kernel(void);
void fs_rng_bytes(void *out, size_t len);
uint64_t fs_rng_u64(void);

#endif
