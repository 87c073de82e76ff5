/* test_widgets.c: text laid out by display width (no curses needed): CJK
 * takes two cells, combining marks none; controls, bidi controls and invalid
 * UTF-8 are shown escaped; text that does not fit ends in an ellipsis within
 * the width; padding by cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "tui/widgets.h"

/* What widget_text would draw of `text` in `width` cells; *cells its width. */
static char *fit(const char *text, int width, int *cells) {
    strbuf out = {0};
    *cells = widget_text_fit(&out, text, width);
    return strbuf_take(&out);
}

static void expect_fit(const char *text, int width, const char *want, int want_cells) {
    int cells;
    char *got = fit(text, width, &cells);
    assert_string_equal(got, want);
    assert_int_equal(cells, want_cells);
    free(got);
}

static void test_width(void **state) {
    (void)state;
    assert_int_equal(widget_text_width("orders"), 6);
    assert_int_equal(widget_text_width("表格"), 4);       /* two cells each */
    assert_int_equal(widget_text_width("cafe\u0301"), 4); /* a combining acute: none */
    assert_int_equal(widget_text_width("caf\u00e9"), 4);  /* precomposed */
    assert_int_equal(widget_text_width("한국어"), 6);     /* Hangul: wide */
    assert_int_equal(widget_text_width("a\u202eb"), 8);   /* shown as a\u202eb */
    assert_int_equal(widget_text_width("a\x1b[2Jb"), 9);  /* a\x1b[2Jb */
    assert_int_equal(widget_text_width("\xff"), 4);       /* \xff */
    assert_int_equal(widget_text_width("\u0301x"), 1);    /* a mark with no base: dropped */
    assert_int_equal(widget_text_width(""), 0);
    assert_int_equal(widget_text_width(NULL), 0);
}

static void test_fit(void **state) {
    (void)state;
    expect_fit("orders", 10, "orders", 6);
    expect_fit("orders", 6, "orders", 6);
    expect_fit("orders", 5, "orde…", 5);
    expect_fit("orders", 1, "…", 1);
    expect_fit("orders", 0, "", 0);
    /* wide characters are never split: the ellipsis takes the odd cell */
    expect_fit("表格数据", 8, "表格数据", 8);
    expect_fit("表格数据", 7, "表格数…", 7);
    expect_fit("表格数据", 6, "表格…", 5);
    expect_fit("表格数据", 2, "…", 1);
    /* a mark stays with its letter */
    expect_fit("e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301e\u0301", 3);
    expect_fit("e\u0301e\u0301e\u0301", 2, "e\u0301…", 2);
    /* bidi controls and terminal controls never reach the terminal raw */
    expect_fit("abc\u202edef", 20, "abc\\u202edef", 12);
    expect_fit("x\u2066y\u200fz\u061c", 40, "x\\u2066y\\u200fz\\u061c", 21);
    expect_fit("a\x1b]52;c;eA==\x07", 40, "a\\x1b]52;c;eA==\\x07", 19);
    expect_fit("new\nline", 20, "new\\nline", 9);
    expect_fit("back\\slash", 20, "back\\\\slash", 11);
    expect_fit("cut\xe8\xa1", 20, "cut\\xe8\\xa1", 11); /* a sequence cut short */
    /* an escape is not split either */
    expect_fit("ab\u202e", 6, "ab…", 3);
}

/* The raw cut: the bytes of the text that fit, escaped later (once) by
 * widget_text. */
static void test_cut(void **state) {
    (void)state;
    strbuf out = {0};
    assert_int_equal(widget_text_cut(&out, "表格数据", 5), 5);
    assert_string_equal(out.data, "表格…");
    strbuf_free(&out);
    assert_int_equal(widget_text_cut(&out, "ab\u202ecd", 20), 10);
    assert_string_equal(out.data, "ab\u202ecd"); /* the control itself: drawn escaped */
    strbuf_free(&out);
    assert_int_equal(widget_text_cut(&out, "ab\u202ecdefgh", 9), 9);
    assert_string_equal(out.data, "ab\u202e…");
    assert_int_equal(widget_text_width(out.data), 9);
    strbuf_free(&out);
}

static void expect_middle(const char *text, int width, const char *want, int cells) {
    strbuf out = {0};
    int got = widget_text_middle(&out, text, width);
    if (strcmp(out.data ? out.data : "", want) != 0 || got != cells)
        fail_msg("middle cut of \"%s\" in %d: \"%s\" (%d cells), expected \"%s\" (%d)", text, width,
                 out.data ? out.data : "", got, want, cells);
    assert_int_equal(widget_text_width(out.data), cells);
    strbuf_free(&out);
}

/* A name too long loses its middle: both ends stay readable. */
static void test_middle(void **state) {
    (void)state;
    expect_middle("orders", 10, "orders", 6); /* fits: whole */
    expect_middle("orders", 6, "orders", 6);
    expect_middle("clickstream_raw_events", 13, "clicks…events", 13);
    expect_middle("clickstream_raw_events", 12, "clicks…vents",
                  12); /* the start gets the odd cell */
    expect_middle("clickstream_raw", 14, "clickst…am_raw", 14);
    /* two-cell characters: never half of one; the cell left goes to the end */
    expect_middle("表格数据表格", 7, "表…表格", 7);
    /* a combining mark stays with its letter, at either end */
    expect_middle("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", 5, "e\u0301e\u0301…e\u0301e\u0301",
                  5);
    /* under three cells there is no middle: the end is cut */
    expect_middle("orders", 2, "o…", 2);
    expect_middle("", 5, "", 0);
    assert_non_null(setlocale(LC_ALL, "C"));
    expect_middle("clickstream_raw", 9, "clic~_raw", 9);
    assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
}

static void expect_squeeze(const char *text, int width, const char *want) {
    strbuf out = {0};
    widget_text_squeeze(&out, text, width);
    assert_string_equal(out.data ? out.data : "", want);
    strbuf_free(&out);
}

/* A message's path loses its middle first: the file's name and the words
 * after it stay in sight. */
static void test_squeeze(void **state) {
    (void)state;
    expect_squeeze("short: fits", 20, "short: fits");
    expect_squeeze("config: /tmp/laketop-tests-abcdef/tmp/typo.ini:4: [table x] names nothing", 60,
                   "config: /tmp/laketop-te…/typo.ini:4: [table x] names nothing");
    /* no path: as it is (the end is cut when drawn) */
    expect_squeeze("a message without any path in it at all", 20,
                   "a message without any path in it at all");
    /* the directories keep 8 cells at least, the file's name whole */
    expect_squeeze("at /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/file: then a long tail of words", 20,
                   "at /aaaaa…/file: then a long tail of words");
}

static void test_pad(void **state) {
    (void)state;
    strbuf out = {0};
    widget_pad(&out, "表", 4);
    strbuf_puts(&out, "|");
    widget_pad(&out, "ab", 4);
    strbuf_puts(&out, "|");
    widget_pad(&out, "longer than four", 4); /* as "%-4s": never cut */
    assert_string_equal(out.data, "表  |ab  |longer than four");
    strbuf_free(&out);
}

static void test_cell(void **state) {
    (void)state;
    widget_cell cell = {0};
    assert_string_equal(widget_cell_text(&cell), "");
    char name[1024];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    widget_cell_printf(&cell, "! %s", name); /* no length limit */
    assert_int_equal(strlen(widget_cell_text(&cell)), 2 + sizeof name - 1);
    widget_cell_printf(&cell, "%s", "short");
    assert_string_equal(widget_cell_text(&cell), "short");
    strbuf_free(&cell.text);
}

static void test_not_utf8(void **state) {
    (void)state;
    assert_non_null(setlocale(LC_ALL, "C"));
    /* a terminal that cannot show them: one '?' a character, '~' to cut */
    expect_fit("表格x", 10, "??x", 3);
    expect_fit("orders", 5, "orde~", 5);
    assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
}

int main(void) {
    if (!setlocale(LC_ALL, "C.UTF-8"))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_width),  cmocka_unit_test(test_fit),
        cmocka_unit_test(test_pad),    cmocka_unit_test(test_cut),
        cmocka_unit_test(test_cell),   cmocka_unit_test(test_not_utf8),
        cmocka_unit_test(test_middle), cmocka_unit_test(test_squeeze),
    };
    return cmocka_run_group_tests_name("widgets", tests, NULL, NULL);
}
