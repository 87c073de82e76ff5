/* test_text_safe.c: text made safe for a terminal and for Prometheus label
 * values: each class of control escaped, valid multibyte text untouched,
 * invalid UTF-8 byte by byte, backslashes escaped so the output reads back. */
#include <setjmp.h>
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text_safe.h"

typedef struct text_case {
    const char *in, *out;
} text_case;

static void check_cases(const text_case *cases, size_t n, text_safe_style style) {
    for (size_t i = 0; i < n; i++) {
        char *got = text_safe_dup(cases[i].in, style);
        if (strcmp(got, cases[i].out) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, got, cases[i].out);
        free(got);
    }
}

static void test_untouched(void **state) {
    (void)state;
    static const text_case cases[] = {
        {"", ""},
        {"sales_orders 2025", "sales_orders 2025"},
        {"say \"hi\"", "say \"hi\""},
        {"café", "café"},
        {"売上テーブル", "売上テーブル"},
        {"Ελληνικά", "Ελληνικά"},
        {"emoji \xf0\x9f\x98\x80", "emoji \xf0\x9f\x98\x80"},
        {"\xc2\xa0nbsp", "\xc2\xa0nbsp"},                                   /* U+00A0: after C1 */
        {"\xe2\x80\x8d zwj \xe2\x80\xa9", "\xe2\x80\x8d zwj \xe2\x80\xa9"}, /* not bidi */
        {"\xef\xbf\xbd", "\xef\xbf\xbd"},                                   /* U+FFFD itself */
        {"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"},                           /* U+10FFFF */
    };
    check_cases(cases, sizeof cases / sizeof cases[0], TEXT_SAFE_TERMINAL);
    assert_null(text_safe_dup(NULL, TEXT_SAFE_TERMINAL));
}

static void test_c0_and_del(void **state) {
    (void)state;
    static const text_case cases[] = {
        {"a\x1b[2Jb", "a\\x1b[2Jb"},   {"\x1b]52;c;SGVsbG8=\x07", "\\x1b]52;c;SGVsbG8=\\x07"},
        {"two\nlines", "two\\nlines"}, {"cr\rhere", "cr\\rhere"},
        {"tab\there", "tab\\there"},   {"\x01\x1f", "\\x01\\x1f"},
        {"del\x7f", "del\\x7f"},       {"back\\slash", "back\\\\slash"},
        {"\\x1b", "\\\\x1b"}, /* the text "\x1b" differs from an ESC */
    };
    check_cases(cases, sizeof cases / sizeof cases[0], TEXT_SAFE_TERMINAL);
}

static void test_c1_and_bidi(void **state) {
    (void)state;
    static const text_case cases[] = {
        {"\xc2\x80", "\\u0080"},
        {"csi\xc2\x9b"
         "2J",
         "csi\\u009b2J"},
        {"osc\xc2\x9d"
         "0;t\xc2\x9c",
         "osc\\u009d0;t\\u009c"},
        {"\xc2\x9f", "\\u009f"},
        {"abc\xe2\x80\xaetxt.exe", "abc\\u202etxt.exe"}, /* RLO */
        {"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d"},
        {"\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069"},
        {"\xe2\x80\x8e\xe2\x80\x8f", "\\u200e\\u200f"},
        {"\xd8\x9c", "\\u061c"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0], TEXT_SAFE_TERMINAL);
}

static void test_invalid_utf8(void **state) {
    (void)state;
    static const text_case cases[] = {
        {"\x9b"
         "2J",
         "\\x9b2J"}, /* a lone C1 byte (8-bit CSI) */
        {"\xff\xfe", "\\xff\\xfe"},
        {"caf\xe9", "caf\\xe9"}, /* Latin-1 */
        {"\xc3", "\\xc3"},       /* cut short at the end */
        {"\xe2\x80", "\\xe2\\x80"},
        {"\xe2\x80x", "\\xe2\\x80x"}, /* cut short before ASCII */
        {"\xc0\x9b", "\\xc0\\x9b"},   /* overlong: not a hidden CSI */
        {"\xc1\xbf", "\\xc1\\xbf"},
        {"\xe0\x80\x9b", "\\xe0\\x80\\x9b"},
        {"\xed\xa0\x80", "\\xed\\xa0\\x80"},          /* a surrogate */
        {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"}, /* past U+10FFFF */
        {"\xf8\x88\x80\x80\x80", "\\xf8\\x88\\x80\\x80\\x80"},
        {"ok\xc3\xa9\xc3", "ok\xc3\xa9\\xc3"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0], TEXT_SAFE_TERMINAL);
}

/* every byte value alone, and every output holds printable ASCII or valid
 * UTF-8 that is not a control */
static void test_no_control_survives(void **state) {
    (void)state;
    for (int b = 1; b < 256; b++) {
        char in[2] = {(char)b, 0};
        char *got = text_safe_dup(in, TEXT_SAFE_TERMINAL);
        for (const unsigned char *p = (const unsigned char *)got; *p; p++)
            if (*p < 0x20 || *p >= 0x7f)
                fail_msg("byte 0x%02x gave a raw byte 0x%02x", b, *p);
        free(got);
    }
}

static void test_prometheus(void **state) {
    (void)state;
    static const text_case cases[] = {
        {"plain_name", "plain_name"},
        {"café 売上", "café 売上"},
        {"b\"q", "b\\\"q"},
        {"back\\slash", "back\\\\slash"},
        {"two\nlines", "two\\nlines"},
        /* no escape in the format: the text escape, its backslash doubled */
        {"\x1b]52;c;SGVsbG8=\x07", "\\\\x1b]52;c;SGVsbG8=\\\\x07"},
        {"tab\t", "tab\\\\t"},
        {"\xe2\x80\xae", "\\\\u202e"},
        {"\xc2\x9b", "\\\\u009b"},
        {"\xff", "\\\\xff"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0], TEXT_SAFE_PROMETHEUS);
}

static void test_write(void **state) {
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    text_safe_write(fp,
                    "a\x1b"
                    "b",
                    TEXT_SAFE_TERMINAL);
    text_safe_write(fp, NULL, TEXT_SAFE_TERMINAL);
    fclose(fp);
    assert_string_equal(buf, "a\\x1bb");
    free(buf);
}

/* Display width: CJK two columns, a combining mark none, ASCII one; in a
 * locale with no multibyte characters a byte is one. */
static void test_width(void **state) {
    (void)state;
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        fail_msg("C.UTF-8 locale missing");
    assert_int_equal(text_safe_width("plain"), 5);
    assert_int_equal(text_safe_width("\xe8\xa1\xa8\xe6\xa0\xbc"), 4); /* 表格 */
    assert_int_equal(text_safe_width("e\xcc\x81"), 1);                /* e + U+0301 */
    assert_int_equal(text_safe_width("caf\xc3\xa9"), 4);              /* café */
    assert_int_equal(text_safe_width("\xff!"), 2);                    /* no character: 1 */
    assert_int_equal(text_safe_width(""), 0);
    assert_int_equal(text_safe_width(NULL), 0);
    setlocale(LC_CTYPE, "C");
    assert_int_equal(text_safe_width("caf\xc3\xa9"), 5);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_untouched),
        cmocka_unit_test(test_c0_and_del),
        cmocka_unit_test(test_c1_and_bidi),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_no_control_survives),
        cmocka_unit_test(test_prometheus),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_width),
    };
    return cmocka_run_group_tests_name("text_safe", tests, NULL, NULL);
}
