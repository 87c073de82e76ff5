/* test_hash.c: the hash against values computed outside laketop (Python:
 * h = 1469598103934665603; for each byte h = ((h ^ b) * 0x100000001b3) mod
 * 2^64; see hash.h for its start), and the pieces agreeing with the whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/hash.h"

static void test_vectors(void **state) {
    (void)state;
    assert_true(hash_fnv1a("") == 0x14650fb0739d0383ULL);
    assert_true(hash_fnv1a("a") == 0x44bd8ad473cd9906ULL);
    assert_true(hash_fnv1a("foobar") == 0x88fad7c0a8ff07f2ULL);
}

static void test_pieces(void **state) {
    (void)state;
    assert_true(hash_fnv1a_more(hash_fnv1a("foo"), "bar") == hash_fnv1a("foobar"));
    assert_true(hash_fnv1a_byte(hash_fnv1a("fooba"), 'r') == hash_fnv1a("foobar"));
    assert_true(hash_fnv1a_more(HASH_FNV1A_START, "x") == hash_fnv1a("x"));
    /* bytes above 127 are hashed as unsigned */
    assert_true(hash_fnv1a("\xff") == hash_fnv1a_byte(HASH_FNV1A_START, 0xff));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
