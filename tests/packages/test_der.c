/* The DER codec: exact encodings (X.690 examples and Kerberos shapes) and strict refusals. */
#include "testutil.h"
#include "packages/der.h"

static void expect_bytes(struct fs_writer *w, const char *hex)
{
    ck_assert(!w->failed);
    ck_assert_hex(w->data, w->len, hex);
    fs_writer_free(w);
}

START_TEST(integers_are_written_in_their_shortest_twos_complement_form)
{
    static const struct {
        int64_t v;
        const char *hex;
    } cases[] = {
        {0, "020100"},          {127, "02017f"},       {128, "02020080"},     {256, "02020100"},
        {-1, "0201ff"},         {-128, "020180"},      {-129, "0202ff7f"},    {0x7fffffff, "02047fffffff"},
        {4294967295ll, "020500ffffffff"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fs_writer w;
        fs_writer_init(&w);
        der_put_int(&w, cases[i].v);
        ck_assert_hex(w.data, w.len, cases[i].hex);
        struct der_error e;
        struct der d;
        der_init(&d, w.data, w.len, &e);
        ck_assert_int_eq(der_read_int(&d), cases[i].v);
        der_expect_end(&d);
        ck_assert(der_ok(&d));
        fs_writer_free(&w);
    }
}
END_TEST

START_TEST(long_lengths_use_the_fewest_bytes)
{
    uint8_t big[300] = {0};
    struct fs_writer w;
    fs_writer_init(&w);
    size_t m = der_open(&w, DER_SEQUENCE);
    der_put_octets(&w, big, 200);
    der_close(&w, m);
    /* 30 81 cb | 04 81 c8 | 200 zeros */
    ck_assert_uint_eq(w.len, 3 + 3 + 200);
    ck_assert_hex(w.data, 6, "3081cb0481c8");
    fs_writer_free(&w);

    fs_writer_init(&w);
    der_put_octets(&w, big, 300);
    ck_assert_hex(w.data, 4, "0482012c");
    fs_writer_free(&w);
}
END_TEST

START_TEST(kerberos_time_flags_and_strings_encode_as_rfc4120_says)
{
    struct fs_writer w;
    fs_writer_init(&w);
    der_put_time(&w, 133801632000000000ull); /* 2025-01-01T00:00:00Z */
    expect_bytes(&w, "180f32303235303130313030303030305a");
    fs_writer_init(&w);
    der_put_flags(&w, 0x40810010); /* forwardable renewable ok-as-delegate... as bits */
    expect_bytes(&w, "03050040810010");
    fs_writer_init(&w);
    der_put_string(&w, "EXAMPLE.TEST");
    expect_bytes(&w, "1b0c4558414d504c452e54455354");
    fs_writer_init(&w);
    static const uint8_t krb5_oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};
    der_put_oid(&w, krb5_oid, sizeof krb5_oid);
    expect_bytes(&w, "06092a864886f712010202");
}
END_TEST

START_TEST(times_round_trip_and_impossible_dates_are_refused)
{
    char text[16];
    uint64_t t;
    ck_assert_int_eq(der_time_format(133801632000000000ull + 10000000ull * 86399, text), 0);
    ck_assert_str_eq(text, "20250101235959Z");
    ck_assert_int_eq(der_time_parse(text, 15, &t), 0);
    ck_assert_uint_eq(t, 133801632000000000ull + 10000000ull * 86399);
    ck_assert_int_eq(der_time_parse("20240229120000Z", 15, &t), 0); /* leap day */
    ck_assert_int_eq(der_time_parse("20250229120000Z", 15, &t), -1);
    ck_assert_int_eq(der_time_parse("20251301000000Z", 15, &t), -1);
    /* Dates that do not exist are refused, not carried into the next day or month. */
    ck_assert_int_eq(der_time_parse("20250230120000Z", 15, &t), -1);
    ck_assert_int_eq(der_time_parse("21000229120000Z", 15, &t), -1); /* not a leap year */
    ck_assert_int_eq(der_time_parse("20000229120000Z", 15, &t), 0);  /* a leap year */
    ck_assert_int_eq(der_time_parse("20250101240000Z", 15, &t), -1);
    ck_assert_int_eq(der_time_parse("20250101235960Z", 15, &t), -1);
    ck_assert_int_eq(der_time_parse("20250101000000", 14, &t), -1);
    ck_assert_int_eq(der_time_parse("20250101000000.5Z", 17, &t), -1);
    ck_assert_int_eq(der_time_parse("2025010100000aZ", 15, &t), -1);
}
END_TEST

/* A virtual clock before 1970 or an end time past 9999 gave SEC_E_INSUFFICIENT_MEMORY (the encoder failed):
 * KerberosTime's four-digit years cover 1601 to 9999, and later times write as the last second of 9999. */
START_TEST(every_filetime_has_a_kerberos_time)
{
    char text[16];
    uint64_t t;
    ck_assert_int_eq(der_time_format(0, text), 0);
    ck_assert_str_eq(text, "16010101000000Z");
    ck_assert_int_eq(der_time_parse(text, 15, &t), 0);
    ck_assert_uint_eq(t, 0);
    ck_assert_int_eq(der_time_format(10000000ull * 86400 * 365 * 300, text), 0); /* 300 years of 365 days */
    ck_assert_str_eq(text, "19001021000000Z"); /* 72 leap days short of 1901 */
    ck_assert_int_eq(der_time_parse("19691231235959Z", 15, &t), 0);
    ck_assert_uint_eq(t, (11644473600ull - 1) * 10000000ull);
    ck_assert_int_eq(der_time_format(t, text), 0);
    ck_assert_str_eq(text, "19691231235959Z");
    ck_assert_int_eq(der_time_format(UINT64_MAX, text), 0);
    ck_assert_str_eq(text, "99991231235959Z");
    ck_assert_int_eq(der_time_parse(text, 15, &t), 0);
    ck_assert_int_eq(der_time_format(t + 10000000ull * 3600, text), 0);
    ck_assert_str_eq(text, "99991231235959Z");
    ck_assert_int_eq(der_time_parse("16001231235959Z", 15, &t), -1); /* before FILETIME's epoch */
}
END_TEST

START_TEST(nested_reads_follow_the_structure)
{
    /* SEQUENCE { [0] INTEGER 5, [1] GeneralString "host", [3] OCTET STRING 01 02 } */
    uint8_t in[] = {0x30, 0x13, 0xa0, 0x03, 0x02, 0x01, 0x05, 0xa1, 0x06, 0x1b, 0x04, 'h', 'o', 's', 't',
                    0xa3, 0x04, 0x04, 0x02, 0x01, 0x02};
    struct der_error e;
    struct der d;
    der_init(&d, in, sizeof in, &e);
    struct der seq = der_enter(&d, DER_SEQUENCE);
    struct der f0 = der_enter(&seq, DER_CTX(0));
    ck_assert_int_eq(der_read_int(&f0), 5);
    struct der f1 = der_enter(&seq, DER_CTX(1));
    char *s = der_read_string(&f1);
    ck_assert_str_eq(s, "host");
    free(s);
    struct der f2;
    ck_assert_int_eq(der_enter_optional(&seq, DER_CTX(2), &f2), 0); /* absent: nothing consumed */
    ck_assert_int_eq(der_enter_optional(&seq, DER_CTX(3), &f2), 1);
    struct der oct = der_read_octets(&f2);
    ck_assert_uint_eq(oct.len, 2);
    der_expect_end(&seq);
    der_expect_end(&d);
    ck_assert(der_ok(&d));
}
END_TEST

struct bad_case {
    const char *hex;
    const char *what;
    size_t offset;
};

START_TEST(ber_and_damage_are_refused_with_the_reason_and_offset)
{
    static const struct bad_case cases[] = {
        {"3080020100", "indefinite length (BER, not DER)", 0},
        {"30810302 0100", "length not in its shortest form", 0},
        {"3005020100", "length runs past the end", 0},
        {"300302010000", "unexpected bytes after the last element", 5},
        {"3003040100", "unexpected tag", 2},
        {"300402020005", "INTEGER not in its shortest form", 4},
        {"3000", "element missing at end of input", 2},
        {"1f01", "multi-byte tag (none is used here)", 0},
        {"30", "element header cut short", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t in[32];
        char clean[64];
        size_t k = 0;
        for (const char *c = cases[i].hex; *c; c++)
            if (*c != ' ')
                clean[k++] = *c;
        clean[k] = '\0';
        size_t n = unhex(clean, in);
        struct der_error e;
        struct der d;
        der_init(&d, in, n, &e);
        struct der seq = der_enter(&d, DER_SEQUENCE);
        (void)der_read_int(&seq);
        der_expect_end(&seq);
        der_expect_end(&d);
        ck_assert_msg(!der_ok(&d), "case %zu accepted", i);
        ck_assert_msg(!strcmp(e.what, cases[i].what), "case %zu: '%s', expected '%s'", i, e.what, cases[i].what);
        ck_assert_msg(e.offset == cases[i].offset, "case %zu: offset %zu, expected %zu", i, e.offset,
                      cases[i].offset);
    }
}
END_TEST

START_TEST(strings_with_nul_and_short_flags_are_refused)
{
    uint8_t s[] = {0x1b, 0x03, 'a', 0, 'b'};
    struct der_error e;
    struct der d;
    der_init(&d, s, sizeof s, &e);
    ck_assert_ptr_null(der_read_string(&d));
    ck_assert(!der_ok(&d));
    uint8_t f[] = {0x03, 0x02, 0x00, 0x40};
    der_init(&d, f, sizeof f, &e);
    (void)der_read_flags(&d);
    ck_assert_str_eq(e.what, "KerberosFlags shorter than 32 bits");
    uint8_t big[] = {0x02, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00};
    der_init(&d, big, sizeof big, &e);
    (void)der_read_uint32(&d);
    ck_assert_str_eq(e.what, "INTEGER out of range for UInt32");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/der");
    TCase *tc = test_case("der");
    tcase_add_test(tc, integers_are_written_in_their_shortest_twos_complement_form);
    tcase_add_test(tc, long_lengths_use_the_fewest_bytes);
    tcase_add_test(tc, kerberos_time_flags_and_strings_encode_as_rfc4120_says);
    tcase_add_test(tc, times_round_trip_and_impossible_dates_are_refused);
    tcase_add_test(tc, every_filetime_has_a_kerberos_time);
    tcase_add_test(tc, nested_reads_follow_the_structure);
    tcase_add_test(tc, ber_and_damage_are_refused_with_the_reason_and_offset);
    tcase_add_test(tc, strings_with_nul_and_short_flags_are_refused);
    suite_add_tcase(s, tc);
    return test_run(s);
}
