/* The only source of randomness: a seeded ChaCha stream (nettle), or the kernel's on request. */
#ifndef FS_CORE_RNG_H
#define FS_CORE_RNG_H

#include <stddef.h>
#include <stdint.h>

void fs_rng_seed(uint64_t seed);
/* The seed last given to fs_rng_seed (0 until one is). */
uint64_t fs_rng_seed_in_use(void);
/* FAKESSPI_SEED=random: a seed from getrandom(), to be given to fs_rng_seed and told to the user so
 * that the run can be replayed. */
uint64_t fs_rng_draw_seed(void);
void fs_rng_bytes(void *out, size_t len);
uint64_t fs_rng_u64(void);

#endif
