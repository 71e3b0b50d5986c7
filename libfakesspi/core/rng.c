/* Deterministic randomness: the same seed gives the same bytes in the same order. */
#include "rng.h"

#include <nettle/chacha.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/random.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct chacha_ctx stream;
static atomic_int keyed;
static atomic_uint generation; /* moves at every keying: pools from an earlier stream are not used */
static int explicit_seed; /* FAKESSPI_SEED or fakesspi_set_seed named the stream */
static uint64_t process_salt;
static uint64_t seed_in_use;
/* nettle's chacha_crypt wants whole 64-byte blocks between calls, so bytes come from a pool: one per thread,
 * filled a block at a time under the lock, so that threads share the lock once per 64 bytes rather than at
 * every draw. One thread draws exactly the bytes it drew with one shared pool. */
static _Thread_local uint8_t pool[CHACHA_BLOCK_SIZE];
static _Thread_local size_t pool_used = CHACHA_BLOCK_SIZE;
static _Thread_local unsigned pool_generation;

static void key_stream(const uint8_t key[CHACHA_KEY_SIZE])
{
    static const uint8_t nonce[CHACHA_NONCE_SIZE] = {0};
    chacha_set_key(&stream, key);
    chacha_set_nonce(&stream, nonce);
    atomic_fetch_add(&generation, 1);
    atomic_store(&keyed, 1);
}

void fs_rng_seed(uint64_t seed)
{
    /* The key is a hash of the seed, so nearby seeds give unrelated streams. */
    static const char label[] = "libfakesspi seed";
    uint8_t le[8], key[SHA256_DIGEST_SIZE];
    for (int i = 0; i < 8; i++)
        le[i] = (uint8_t)(seed >> (8 * i));
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, sizeof label - 1, (const uint8_t *)label);
    sha256_update(&h, sizeof le, le);
    sha256_digest(&h, sizeof key, key);
    pthread_mutex_lock(&lock);
    key_stream(key);
    explicit_seed = 1;
    seed_in_use = seed;
    pthread_mutex_unlock(&lock);
}

void fs_rng_seed_default(void)
{
    fs_rng_seed(0);
    pthread_mutex_lock(&lock);
    explicit_seed = 0;
    pthread_mutex_unlock(&lock);
}

static void kernel_bytes(uint8_t *out, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(out + got, len - got, 0);
        if (n > 0)
            got += (size_t)n;
    }
}

uint64_t fs_rng_process_salt(void)
{
    pthread_mutex_lock(&lock);
    uint64_t salt = 0;
    if (!explicit_seed) {
        while (!process_salt) {
            uint8_t b[8];
            kernel_bytes(b, sizeof b);
            for (int i = 0; i < 8; i++)
                process_salt = process_salt << 8 | b[i];
        }
        salt = process_salt;
    }
    pthread_mutex_unlock(&lock);
    return salt;
}

uint64_t fs_rng_seed_in_use(void)
{
    pthread_mutex_lock(&lock);
    uint64_t seed = seed_in_use;
    pthread_mutex_unlock(&lock);
    return seed;
}

uint64_t fs_rng_draw_seed(void)
{
    uint8_t b[8];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n > 0)
            got += (size_t)n;
    }
    uint64_t seed = 0;
    for (int i = 0; i < 8; i++)
        seed |= (uint64_t)b[i] << (8 * i);
    return seed;
}

void fs_rng_bytes(void *out, size_t len)
{
    if (!atomic_load(&keyed))
        fs_rng_seed(0);
    uint8_t *dst = out;
    while (len > 0) {
        if (pool_used == sizeof pool || pool_generation != atomic_load(&generation)) {
            pthread_mutex_lock(&lock);
            memset(pool, 0, sizeof pool);
            chacha_crypt(&stream, sizeof pool, pool, pool);
            pool_generation = atomic_load(&generation);
            pthread_mutex_unlock(&lock);
            pool_used = 0;
        }
        size_t n = sizeof pool - pool_used < len ? sizeof pool - pool_used : len;
        memcpy(dst, pool + pool_used, n);
        pool_used += n;
        dst += n;
        len -= n;
    }
}

uint64_t fs_rng_u64(void)
{
    uint8_t b[8];
    uint64_t v = 0;
    fs_rng_bytes(b, sizeof b);
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}
