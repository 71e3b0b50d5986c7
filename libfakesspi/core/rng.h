/* The only source of randomness: a seeded ChaCha stream (nettle), or the kernel's on request. */
#ifndef FS_CORE_RNG_H
#define FS_CORE_RNG_H

#include <stddef.h>
#include <stdint.h>

/* A seed the user named (FAKESSPI_SEED, fakesspi_set_seed): runs repeat byte for byte. */
void fs_rng_seed(uint64_t seed);
/* No seed named: the stream of seed 0, and fs_rng_process_salt() tells processes apart. */
void fs_rng_seed_default(void);
/* 0 when the seed was named or random; otherwise one nonzero value per process from the kernel, for
 * what must differ between processes run with the defaults (Kerberos authenticators: a server would
 * take a second process's first logon for a replay of the first's): doc/semantics.md §29. */
uint64_t fs_rng_process_salt(void);
/* The seed last given to fs_rng_seed (0 until one is). */
uint64_t fs_rng_seed_in_use(void);
/* FAKESSPI_SEED=random: a seed from getrandom(), to be given to fs_rng_seed and told to the user so
 * that the run can be replayed. */
uint64_t fs_rng_draw_seed(void);
void fs_rng_bytes(void *out, size_t len);
uint64_t fs_rng_u64(void);

#endif
