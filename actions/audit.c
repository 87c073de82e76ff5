/* audit.c: JSON lines of who did what to which lake, and how it ended. */
#include "actions/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/redact.h"
#include "common/xalloc.h"

/* The user's name, from the password database (getpwuid_r: audit_log runs
 * on job threads, getpwuid's static result is shared), else $USER, else
 * "?". Malloc'd. */
static char *audit_user(void) {
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    if (size <= 0)
        size = 16384; /* "no limit": glibc's own first guess is far smaller */
    struct passwd pw, *found = NULL;
    char *user = NULL;
    for (; !user && size <= 1 << 20; size *= 2) { /* ERANGE: a bigger buffer */
        char *buf = xmalloc((size_t)size);
        int rc = getpwuid_r(getuid(), &pw, buf, (size_t)size, &found);
        if (rc == 0 && found && found->pw_name)
            user = xstrdup(found->pw_name);
        free(buf);
        if (rc != ERANGE)
            break;
    }
    if (!user) {
        const char *env = getenv("USER");
        user = xstrdup(env && *env ? env : "?");
    }
    return user;
}

void audit_log(const action_report *report, const char *source, const char *action,
               const char *target, const char *result) {
    char *dir = fs_xdg_laketop("STATE", "");
    if (!dir)
        return;
    char *error = NULL;
    if (!fs_mkdirs(dir, &error)) {
        action_note(report, "audit log: %s", error);
        free(error);
        free(dir);
        return;
    }
    char *path = xasprintf("%saudit.log", dir);
    char when[32];
    fmt_iso8601(clock_now(), when, sizeof when);
    char *user = audit_user();
    json_object *o = json_object_new_object();
    json_object_object_add(o, "time", json_object_new_string(when));
    json_object_object_add(o, "user", json_object_new_string(user));
    free(user);
    json_object_object_add(o, "source", json_object_new_string(source));
    json_object_object_add(o, "action", json_object_new_string(action));
    /* an error may quote what was signed: never a secret in the log */
    char *safe_target = redact_dup(target), *safe_result = redact_dup(result);
    json_object_object_add(o, "target", json_object_new_string(safe_target));
    json_object_object_add(o, "result", json_object_new_string(safe_result));
    free(safe_target);
    free(safe_result);
    char *line = xasprintf("%s\n", json_object_to_json_string_ext(
                                       o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, line, strlen(line)) != (ssize_t)strlen(line))
        action_note(report, "audit log %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    free(line);
    free(path);
    free(dir);
}
