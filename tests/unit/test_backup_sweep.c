/* test_backup_sweep.c: what killed backups leave, told from what live ones
 * are writing (the whole, with a killed backup, is
 * tests/integration/test_backup_sweep.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "actions/backup_sweep.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

static void test_owner(void **state) {
    (void)state;
    char a[64], b[64];
    backup_sweep_owner(a, sizeof a);
    char *buf = xmalloc(1 << 20); /* the start time is not the memory size */
    memset(buf, 1, 1 << 20);
    backup_sweep_owner(b, sizeof b);
    free(buf);
    assert_string_equal(a, b);
    char pid[32];
    snprintf(pid, sizeof pid, "%ld-", (long)getpid());
    assert_memory_equal(a, pid, strlen(pid));
    assert_true(strtoll(a + strlen(pid), NULL, 10) > 0);
}

static long dead_pid(void) {
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    waitpid(p, NULL, 0);
    return (long)p;
}

static void test_local(void **state) {
    (void)state;
    char tmpl[4096];
    unit_tmp_template(tmpl, sizeof tmpl, "laketop-sweep-test");
    assert_non_null(mkdtemp(tmpl));
    char own[64];
    backup_sweep_owner(own, sizeof own);
    long dead = dead_pid();
    char *names[] = {
        xasprintf(".partial-20260101T000000Z-%s-aaaaaa", own),     /* this process: kept */
        xasprintf(".partial-20260101T000000Z-%ld-1-bbbbbb", dead), /* dead: removed */
        xasprintf(".partial-20260101T000000Z-%ld-cccccc", dead),   /* old format, dead */
        xasprintf(".partial-20260101T000000Z-%ld-99-dddddd", (long)getpid()), /* reused */
        xasprintf(".partial-junk"),                                           /* not ours: kept */
        xasprintf("20250101T000000Z"), /* empty, fresh: kept */
    };
    bool removed[] = {false, true, true, true, false, false};
    size_t n = sizeof names / sizeof names[0];
    for (size_t i = 0; i < n; i++) {
        char *path = fs_join(tmpl, names[i]);
        assert_int_equal(mkdir(path, 0700), 0);
        free(path);
    }
    char *said = NULL;
    assert_int_equal(backup_sweep_local(tmpl, ".partial-", true, time(NULL), &said), 3);
    assert_non_null(said);
    for (size_t i = 0; i < n; i++) {
        char *path = fs_join(tmpl, names[i]);
        if (fs_is_dir(path) == removed[i])
            fail_msg("%s: %s", names[i], removed[i] ? "kept" : "removed");
        if ((strstr(said, names[i]) != NULL) != removed[i])
            fail_msg("%s: the note \"%s\" is wrong about it", names[i], said);
        free(path);
        free(names[i]);
    }
    free(said);
    /* an hour later the empty held name goes too; a live one's partial never */
    assert_int_equal(backup_sweep_local(tmpl, ".partial-", true, time(NULL) + 7200, NULL), 1);
    fs_remove_tree(tmpl);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owner),
        cmocka_unit_test(test_local),
    };
    return cmocka_run_group_tests_name("backup_sweep", tests, NULL, NULL);
}
