/* test_snapshot.c: the identity a snapshot carries (who the figures were
 * read as): its deep copy and free, and the label the title bar and
 * `check` show: "ACCOUNT NAME", the account alone, "identity unknown". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/snapshot.h"
#include "common/xalloc.h"

static void test_label(void **state) {
    (void)state;
    assert_null(snapshot_identity_label(NULL)); /* the local lake: no account */
    snapshot_identity id = {.account = "123456789012", .name = "ops-readonly", .profile = "ops"};
    char *label = snapshot_identity_label(&id);
    assert_string_equal(label, "123456789012 ops-readonly");
    free(label);
    id.name = NULL;
    label = snapshot_identity_label(&id);
    assert_string_equal(label, "123456789012");
    free(label);
    id.account = NULL;
    id.error = "STS GetCallerIdentity: AccessDenied";
    label = snapshot_identity_label(&id);
    assert_string_equal(label, "identity unknown");
    free(label);
}

static void test_copy_is_deep(void **state) {
    (void)state;
    assert_null(snapshot_identity_copy(NULL));
    snapshot_identity_free(NULL);
    char account[] = "210987654321";
    snapshot_identity id = {.account = account,
                            .arn = "arn:aws:iam::210987654321:user/alice",
                            .name = "alice",
                            .profile = "staging",
                            .region = "eu-west-1",
                            .credentials = "profile"};
    snapshot_identity *copy = snapshot_identity_copy(&id);
    account[0] = 'X';
    assert_string_equal(copy->account, "210987654321");
    assert_string_equal(copy->arn, "arn:aws:iam::210987654321:user/alice");
    assert_string_equal(copy->name, "alice");
    assert_string_equal(copy->profile, "staging");
    assert_string_equal(copy->region, "eu-west-1");
    assert_string_equal(copy->credentials, "profile");
    assert_null(copy->error);
    /* a snapshot frees the identity it holds */
    lake_snapshot *s = snapshot_new("aws:staging@eu-west-1");
    s->identity = copy;
    snapshot_release(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label),
        cmocka_unit_test(test_copy_is_deep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
