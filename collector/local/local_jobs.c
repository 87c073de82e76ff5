/* local_jobs.c: the local lake's run log, jobs.jsonl (see local_jobs.h):
 * its parser, its line writer and the tail of a run's stderr. */
#include "collector/local/local_jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/xalloc.h"

/* ---- the parser ---- */

/* A run read from one line, with the line's number (the last one wins). */
typedef struct local_jobs_line {
    local_jobs_entry entry;
    size_t line;
} local_jobs_line;

static bool local_jobs_int(json_object *o, const char *key, bool nullable, int64_t *out) {
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !v) {
        *out = -1;
        return nullable;
    }
    if (!json_object_is_type(v, json_type_int))
        return false;
    *out = json_object_get_int64(v);
    return *out >= 0; /* times and exit statuses are never negative */
}

static const char *local_jobs_string(json_object *o, const char *key) {
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* One line into *out; false when it is not a run. */
static bool local_jobs_parse_line(const char *text, size_t length, local_jobs_entry *out) {
    if (memchr(text, '\0', length) || length > 1u << 20)
        return false;
    json_tokener *tok = json_tokener_new();
    json_object *o = json_tokener_parse_ex(tok, text, (int)length);
    size_t end = o ? json_tokener_get_parse_end(tok) : 0;
    json_tokener_free(tok);
    while (o && end < length && (text[end] == ' ' || text[end] == '\t' || text[end] == '\r'))
        end++;
    bool ok = o && end == length && json_object_is_type(o, json_type_object);
    const char *job = ok ? local_jobs_string(o, "job") : NULL;
    const char *id = ok ? local_jobs_string(o, "id") : NULL;
    const char *state = ok ? local_jobs_string(o, "state") : NULL;
    int64_t started = -1, ended = -1, exit_status = -1;
    ok = job && id && state && job[0] && id[0] && state[0] &&
         local_jobs_int(o, "started_at", false, &started) &&
         local_jobs_int(o, "ended_at", true, &ended) &&
         local_jobs_int(o, "exit_status", true, &exit_status) && exit_status <= 255;
    json_object *error = NULL;
    if (ok && json_object_object_get_ex(o, "error", &error) && error &&
        !json_object_is_type(error, json_type_string))
        ok = false;
    if (ok) {
        memset(out, 0, sizeof *out);
        pipeline_run_clear(&out->run);
        out->job = xstrdup(job);
        out->run.id = xstrdup(id);
        out->run.state = xstrdup(state);
        out->run.started_at = started;
        out->run.ended_at = ended;
        out->run.exit_status = (int)exit_status;
        if (error && json_object_get_string_len(error) > 0)
            out->run.error = xstrdup(json_object_get_string(error));
    }
    json_object_put(o);
    return ok;
}

static int local_jobs_cmp_id(const void *a, const void *b) {
    const local_jobs_line *x = a, *y = b;
    int c = strcmp(x->entry.run.id, y->entry.run.id);
    return c ? c : (x->line < y->line ? -1 : x->line > y->line);
}

static int local_jobs_cmp_first(const void *a, const void *b) {
    const local_jobs_line *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

void local_jobs_parse(const char *data, size_t length, local_jobs_log *out) {
    memset(out, 0, sizeof *out);
    local_jobs_line *lines = NULL;
    size_t n = 0, cap = 0, number = 0;
    for (size_t at = 0; at < length;) {
        const char *nl = memchr(data + at, '\n', length - at);
        size_t len = nl ? (size_t)(nl - (data + at)) : length - at;
        const char *text = data + at;
        at += len + (nl != NULL);
        number++;
        size_t blank = 0;
        while (blank < len && (text[blank] == ' ' || text[blank] == '\t' || text[blank] == '\r'))
            blank++;
        if (blank == len)
            continue;
        lines = xgrow(lines, &cap, n + 1, sizeof *lines);
        if (local_jobs_parse_line(text, len, &lines[n].entry))
            lines[n++].line = number;
        else if (nl) /* a last line without its newline may be half written: not counted */
            out->broken_lines++;
    }
    if (n > 1)
        qsort(lines, n, sizeof *lines, local_jobs_cmp_id);
    /* the last line of each id wins; it keeps the place of its first */
    size_t kept = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && strcmp(lines[j + 1].entry.run.id, lines[i].entry.run.id) == 0)
            j++;
        size_t first = lines[i].line;
        for (size_t k = i; k < j; k++) {
            free(lines[k].entry.job);
            pipeline_run_clear(&lines[k].entry.run);
        }
        lines[kept] = lines[j];
        lines[kept++].line = first;
        i = j + 1;
    }
    if (kept > 1)
        qsort(lines, kept, sizeof *lines, local_jobs_cmp_first);
    out->entries = kept ? xcalloc(kept, sizeof *out->entries) : NULL;
    for (size_t i = 0; i < kept; i++)
        out->entries[i] = lines[i].entry;
    out->n = kept;
    free(lines);
}

void local_jobs_log_free(local_jobs_log *log) {
    for (size_t i = 0; i < log->n; i++) {
        free(log->entries[i].job);
        pipeline_run_clear(&log->entries[i].run);
    }
    free(log->entries);
    memset(log, 0, sizeof *log);
}

const local_jobs_entry *local_jobs_find(const local_jobs_log *log, const char *id) {
    for (size_t i = 0; id && i < log->n; i++)
        if (strcmp(log->entries[i].run.id, id) == 0)
            return &log->entries[i];
    return NULL;
}

char *local_jobs_path(const char *lake_dir) {
    return xasprintf("%s/.laketop/jobs.jsonl", lake_dir);
}

bool local_jobs_read(const char *path, local_jobs_log *out, char **error) {
    memset(out, 0, sizeof *out);
    size_t length = 0;
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return true;
    char *data = fs_read_file(path, &length, error);
    if (!data)
        return false;
    local_jobs_parse(data, length, out);
    free(data);
    return true;
}

/* ---- the writer: no allocation, no stdio ---- */

typedef struct local_jobs_out {
    char *buf;
    size_t cap, len;
    bool full;
} local_jobs_out;

static void local_jobs_put(local_jobs_out *o, const char *s, size_t n) {
    if (o->full || o->len + n >= o->cap) {
        o->full = true;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void local_jobs_puts(local_jobs_out *o, const char *s) {
    local_jobs_put(o, s, strlen(s));
}

static void local_jobs_put_int(local_jobs_out *o, int64_t v) {
    if (v < 0) {
        local_jobs_puts(o, "null");
        return;
    }
    char digits[24];
    size_t n = 0;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    local_jobs_put(o, digits + sizeof digits - n, n);
}

static void local_jobs_put_string(local_jobs_out *o, const char *s) {
    if (!s) {
        local_jobs_puts(o, "null");
        return;
    }
    static const char hex[] = "0123456789abcdef";
    local_jobs_put(o, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            local_jobs_put(o, e, 2);
        } else if (*p == '\n') {
            local_jobs_put(o, "\\n", 2);
        } else if (*p == '\t') {
            local_jobs_put(o, "\\t", 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            local_jobs_put(o, e, 6);
        } else {
            local_jobs_put(o, (const char *)p, 1);
        }
    }
    local_jobs_put(o, "\"", 1);
}

size_t local_jobs_format_line(char *buf, size_t cap, const char *job, const pipeline_run *run) {
    local_jobs_out o = {.buf = buf, .cap = cap};
    local_jobs_puts(&o, "{\"job\": ");
    local_jobs_put_string(&o, job);
    local_jobs_puts(&o, ", \"id\": ");
    local_jobs_put_string(&o, run->id);
    local_jobs_puts(&o, ", \"state\": ");
    local_jobs_put_string(&o, run->state);
    local_jobs_puts(&o, ", \"started_at\": ");
    local_jobs_put_int(&o, run->started_at);
    local_jobs_puts(&o, ", \"ended_at\": ");
    local_jobs_put_int(&o, run->ended_at);
    local_jobs_puts(&o, ", \"exit_status\": ");
    local_jobs_put_int(&o, run->exit_status);
    local_jobs_puts(&o, ", \"error\": ");
    local_jobs_put_string(&o, run->error);
    local_jobs_puts(&o, "}\n");
    if (o.full)
        return 0;
    buf[o.len] = '\0';
    return o.len;
}

bool local_jobs_append(const char *path, const char *line, size_t length) {
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
        ;
    ssize_t put;
    do
        put = write(fd, line, length);
    while (put < 0 && errno == EINTR);
    int saved = put == (ssize_t)length ? 0 : put < 0 ? errno : EIO;
    close(fd); /* the lock goes with it */
    errno = saved;
    return saved == 0;
}

/* ---- the tail of stderr ---- */

/* The length of the UTF-8 character at p (n bytes left), 0 when invalid. */
static size_t local_jobs_utf8(const unsigned char *p, size_t n) {
    size_t need = p[0] < 0x80             ? 1
                  : (p[0] & 0xe0) == 0xc0 ? 2
                  : (p[0] & 0xf0) == 0xe0 ? 3
                  : (p[0] & 0xf8) == 0xf0 ? 4
                                          : 0;
    if (!need || need > n || (need == 2 && p[0] < 0xc2) || (need == 4 && p[0] > 0xf4))
        return 0;
    for (size_t i = 1; i < need; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((need == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (need == 4 && p[0] == 0xf0 && p[1] < 0x90))
        return 0; /* overlong */
    return need;
}

static bool local_jobs_blank(char c) {
    return c == '\n' || c == '\r' || c == ' ' || c == '\t';
}

size_t local_jobs_stderr_tail(const char *data, size_t length, char *out, size_t cap) {
    out[0] = '\0';
    if (cap < LOCAL_JOBS_TAIL_BYTES + 1)
        return 0;
    size_t end = length;
    while (end > 0 && local_jobs_blank(data[end - 1]))
        end--;
    /* back over LOCAL_JOBS_TAIL_LINES lines */
    size_t start = end, lines = 0;
    while (start > 0) {
        if (data[start - 1] == '\n' && ++lines == LOCAL_JOBS_TAIL_LINES)
            break;
        start--;
    }
    while (start < end && local_jobs_blank(data[start]))
        start++;
    if (end - start > LOCAL_JOBS_TAIL_BYTES) {
        start = end - LOCAL_JOBS_TAIL_BYTES;
        /* not in the middle of a character */
        while (start < end && ((unsigned char)data[start] & 0xc0) == 0x80)
            start++;
    }
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)data;
    for (size_t i = start; i < end;) {
        size_t c = local_jobs_utf8(p + i, end - i);
        if (n + (c ? c : 1) >= cap)
            break;
        if (c == 1 && p[i] == '\r') { /* a progress line's carriage returns */
            i++;
            continue;
        }
        if (c == 0 || (c == 1 && ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') || p[i] == 0x7f))) {
            out[n++] = '?'; /* not UTF-8, or a control (a terminal's escape) */
            i++;
            continue;
        }
        memcpy(out + n, data + i, c);
        n += c;
        i += c;
    }
    out[n] = '\0';
    return n;
}

long local_jobs_id_pid(const char *id) {
    const char *dash = id ? strrchr(id, '-') : NULL;
    if (!dash || !dash[1] || strspn(dash + 1, "0123456789") != strlen(dash + 1) ||
        strlen(dash + 1) > 9)
        return -1;
    return strtol(dash + 1, NULL, 10);
}
