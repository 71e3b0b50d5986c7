/* bench/naive_crypto: the cryptography a naive NTLMv2 handshake performs on both sides, and nothing
 * else, as nettle calls in a loop: 2 MD4 (the NT hash, client and server), 10 HMAC-MD5 (NTOWFv2 twice,
 * NTProofStr twice, session base key twice, the MIC twice, two signing-key checks), 8 MD5 (four signing
 * and sealing keys per side) and 6 RC4 key setups (the exchanged key on both sides, and two sealing
 * handles per side, counted as four). The floor a handshake's own crypto sets, for bench/handshake to be
 * compared with (the performance issue's yardstick).
 *   naive_crypto [SECONDS] */
#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t sink[16];

static void one_handshake(void)
{
    /* "Passw0rd!" in UTF-16LE, a 200-byte NTLMv2 blob, and three messages of typical sizes. */
    static const uint8_t password[18] = {'P', 0, 'a', 0, 's', 0, 's', 0, 'w', 0, '0', 0, 'r', 0, 'd', 0, '!', 0};
    static uint8_t blob[200], messages[40 + 218 + 410], user_domain[24];
    uint8_t nt[16], v2[16], out[16];
    for (int side = 0; side < 2; side++) {
        struct md4_ctx md4;
        md4_init(&md4);
        md4_update(&md4, sizeof password, password);
        md4_digest(&md4, 16, nt);
        struct hmac_md5_ctx h;
        hmac_md5_set_key(&h, 16, nt);
        hmac_md5_update(&h, sizeof user_domain, user_domain);
        hmac_md5_digest(&h, 16, v2); /* NTOWFv2 */
        hmac_md5_set_key(&h, 16, v2);
        hmac_md5_update(&h, sizeof blob, blob);
        hmac_md5_digest(&h, 16, out); /* NTProofStr */
        hmac_md5_set_key(&h, 16, v2);
        hmac_md5_update(&h, 16, out);
        hmac_md5_digest(&h, 16, out); /* session base key */
        hmac_md5_set_key(&h, 16, out);
        hmac_md5_update(&h, sizeof messages, messages);
        hmac_md5_digest(&h, 16, out); /* MIC */
        hmac_md5_set_key(&h, 16, out);
        hmac_md5_update(&h, 16, out);
        hmac_md5_digest(&h, 16, out); /* a signature over the first message */
        for (int k = 0; k < 4; k++) { /* signing and sealing keys, both directions */
            struct md5_ctx m;
            md5_init(&m);
            md5_update(&m, 16, out);
            md5_update(&m, 59, (const uint8_t *)"session key to client-to-server signing key magic constant");
            md5_digest(&m, 16, out);
        }
        struct arcfour_ctx rc4;
        for (int k = 0; k < 3; k++) {
            arcfour_set_key(&rc4, 16, out);
            arcfour_crypt(&rc4, 16, out, out);
        }
    }
    memcpy(sink, out, 16);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    for (int i = 0; i < 1000; i++)
        one_handshake();
    long n = 0;
    double start = now(), end = start + seconds;
    while (now() < end)
        for (int i = 0; i < 100; i++, n++)
            one_handshake();
    printf("nettle naive_crypto_loop %.0f per_second\n", (double)n / (now() - start));
    return sink[0] == 0x5a && sink[1] == 0x5a ? 3 : 0; /* keeps the work observable */
}
