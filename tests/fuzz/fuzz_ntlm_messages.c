/* libFuzzer: every NTLM message parser and the AV pair reader, on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "packages/ntlm/ntlm_messages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t flags;
    struct ntlm_challenge ch;
    struct ntlm_authenticate a;
    ntlm_parse_negotiate(data, size, &flags);
    if (ntlm_parse_challenge(data, size, &ch) == 0 && ch.target_info_len) {
        const uint8_t *v;
        uint16_t n;
        for (uint16_t id = 0; id <= 10; id++)
            ntlm_av_find(ch.target_info, ch.target_info_len, id, &v, &n);
    }
    if (ntlm_parse_authenticate(data, size, &a) == 0)
        ntlm_authenticate_clear(&a);
    ntlm_av_well_formed(data, size);
    return 0;
}
