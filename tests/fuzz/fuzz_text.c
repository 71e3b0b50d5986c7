/* libFuzzer: the text parsers: SID strings (with SDDL aliases) and domain INI files. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "windows.h"
#include "sddl.h"
#include "security/domain_ini.h"
#include "security/sid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct fs_sid sid;
    if (fs_sid_parse(text, &sid) == FS_OK) {
        char back[FS_SID_STRING_MAX];
        fs_sid_format(&sid, back, sizeof back);
    }
    PSID s;
    if (ConvertStringSidToSidA(text, &s))
        LocalFree(s);
    char message[256];
    struct fs_domain *d = fs_domain_parse(text, "fuzz", message, sizeof message);
    fs_domain_free(d);
    free(text);
    return 0;
}
