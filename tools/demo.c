/* demo.c: `laketop demo DIR`: writes the deterministic demo lake (zones, a
 * Glue-shaped catalog, seeded history) into a new or empty directory, and
 * the helpers through which every part of it writes (demo_internal.h). */
#include "tools/demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tools/demo_internal.h"

#define DEMO_DEFAULT_DAYS 90
#define DEMO_TODAY_WINDOW (2 * 3600) /* today's files land in the last 2 hours */

bool demo_fail(demo_ctx *c, const char *fmt, ...) {
    if (c->error)
        return false;
    va_list ap;
    va_start(ap, fmt);
    c->error = xvasprintf(fmt, ap);
    va_end(ap);
    return false;
}

/* Today's files are squeezed into the last DEMO_TODAY_WINDOW seconds before
 * `now` (never after it, never before midnight), keeping their order. */
int64_t demo_time(const demo_ctx *c, int32_t day, int64_t sod) {
    if (sod < 0)
        sod = 0;
    if (sod > 86399)
        sod = 86399;
    int64_t start = (int64_t)day * 86400;
    if (day < c->today)
        return start + sod;
    int64_t t = c->now - (86399 - sod) * DEMO_TODAY_WINDOW / 86400;
    return t < start ? start : t;
}

bool demo_write_file(demo_ctx *c, const char *path, const void *data, size_t len, int64_t mtime,
                     bool replace) {
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL), 0644);
    if (fd < 0)
        return demo_fail(c, "cannot create %s: %s", path, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t put = write(fd, p, len);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0) {
            int err = put < 0 ? errno : EIO;
            close(fd);
            return demo_fail(c, "cannot write %s: %s", path, strerror(err));
        }
        p += put;
        len -= (size_t)put;
    }
    struct timespec times[2] = {{.tv_sec = (time_t)mtime}, {.tv_sec = (time_t)mtime}};
    if (futimens(fd, times) != 0) {
        int err = errno;
        close(fd);
        return demo_fail(c, "cannot set the time of %s: %s", path, strerror(err));
    }
    if (close(fd) != 0)
        return demo_fail(c, "cannot write %s: %s", path, strerror(errno));
    return true;
}

bool demo_mkdirs(demo_ctx *c, const char *path) {
    char *error = NULL;
    if (fs_mkdirs(path, &error))
        return true;
    demo_fail(c, "cannot create %s", error);
    free(error);
    return false;
}

/* A new or empty directory only: the demo never mixes with other files. */
static bool demo_prepare_dir(demo_ctx *c, const char *dir) {
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT)
            return demo_fail(c, "%s: %s", dir, strerror(errno));
        return demo_mkdirs(c, dir);
    }
    if (!S_ISDIR(st.st_mode))
        return demo_fail(c, "%s exists and is not a directory", dir);
    DIR *d = opendir(dir);
    if (!d)
        return demo_fail(c, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    bool empty = true;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = false;
            break;
        }
    }
    closedir(d);
    if (!empty)
        return demo_fail(c, "%s is not empty (the demo lake needs a new or empty directory)", dir);
    return true;
}

void demo_progress_line(void *ctx, const char *database, const char *table, int done, int total) {
    fprintf(stderr, "\rlaketop: writing the demo lake to %s: %d of %d tables (%s.%s)\033[K",
            (const char *)ctx, done, total, database, table);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

bool demo_write(const char *dir, const demo_options *options, char **error) {
    demo_options defaults = {.now = clock_now(), .days = DEMO_DEFAULT_DAYS};
    const demo_options *o = options ? options : &defaults;
    demo_ctx c = {
        .dir = dir, .now = o->now, .days = o->days > 0 ? o->days : DEMO_DEFAULT_DAYS, .options = o};
    c.tables_total = demo_plan_tables() + (o->extra_tables > 0 ? o->extra_tables : 0);
    c.today = fmt_day_of(c.now);
    c.first_day = c.today - (c.days - 1);
    c.scale = c.days > DEMO_DEFAULT_DAYS ? (double)DEMO_DEFAULT_DAYS / c.days : 1.0;
    c.history = history_store_new();

    bool ok = demo_prepare_dir(&c, dir) && demo_plan_write(&c) && demo_files_write_orders_old(&c) &&
              demo_history_write_queries(&c) && demo_config_write(&c) && demo_jobs_write(&c);
    if (ok && o->extra_tables > 0)
        ok = demo_plan_write_bench(&c, o->extra_tables, o->extra_files);
    if (ok)
        ok = demo_history_save(&c);
    history_store_free(c.history);
    strbuf_free(&c.buf);
    if (!ok)
        *error = c.error ? c.error : xstrdup("cannot write the demo lake");
    else
        free(c.error);
    return ok;
}
