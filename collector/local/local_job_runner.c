/* local_job_runner.c: a local job's run, supervised and recorded (see
 * local_job_runner.h). Everything the supervisor needs is prepared before
 * the fork: after it, the supervisor (a child of a threaded process) makes
 * only system calls and the allocation-free writer of local_jobs.h. */
#include "collector/local/local_job_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collector/local/local_jobs.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/xalloc.h"

extern char **environ;

#define RUNNER_STDERR_KEPT 8192 /* the sliding window of stderr kept */
#define RUNNER_LINE_CAP (LOCAL_JOBS_TAIL_BYTES * 6 + 4096)
#define RUNNER_ERROR_CAP (LOCAL_JOBS_TAIL_BYTES + 256)
#define RUNNER_KILL_AFTER_MS 5000 /* SIGKILL a group that outlives SIGTERM so long */

/* Everything the supervisor uses, made before the fork. */
typedef struct runner_prep {
    char *lake_dir; /* absolute */
    char *log_path;
    const char *name;
    char *argv[4];
    char **envp;
    int64_t started_at;
    int64_t clock_offset; /* clock_now() - time(NULL): LAKETOP_NOW's shift */
    char *id;
    char *line;
    char *kept; /* the stderr window */
    char *error;
    char *tail;
    int ready; /* write end: the supervisor's pid once RUNNING is written */
    bool wait;
    pid_t parent;
} runner_prep;

/* What the supervisor says on the ready pipe. */
typedef struct runner_ready {
    int32_t pid;
    int32_t error; /* errno of the RUNNING line's write, 0 fine */
} runner_ready;

static volatile sig_atomic_t runner_stop_signal;

static void runner_on_signal(int sig) {
    runner_stop_signal = sig;
}

/* ---- text without stdio or allocation (for the supervisor) ---- */

static size_t runner_cat(char *buf, size_t cap, size_t at, const char *s) {
    size_t n = strlen(s);
    if (at + n >= cap)
        n = at < cap ? cap - 1 - at : 0;
    memcpy(buf + at, s, n);
    buf[at + n] = '\0';
    return at + n;
}

static size_t runner_cat_int(char *buf, size_t cap, size_t at, int64_t v) {
    char digits[24];
    size_t n = 0;
    bool negative = v < 0;
    uint64_t u = negative ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    do {
        digits[sizeof digits - 2 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (negative)
        digits[sizeof digits - 2 - n++] = '-';
    digits[sizeof digits - 1] = '\0';
    return runner_cat(buf, cap, at, digits + sizeof digits - 1 - n);
}

/* NAME-STARTSECONDS-PID into buf. */
static void runner_id(char *buf, size_t cap, const char *name, int64_t started, long pid) {
    size_t at = runner_cat(buf, cap, 0, name);
    at = runner_cat(buf, cap, at, "-");
    at = runner_cat_int(buf, cap, at, started);
    at = runner_cat(buf, cap, at, "-");
    runner_cat_int(buf, cap, at, pid);
}

static int64_t runner_monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void runner_close_from(int first) {
    if (close_range((unsigned)first, ~0U, 0) == 0)
        return;
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = first; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
        close((int)fd);
}

static const char *runner_signal_name(int sig) {
    switch (sig) {
    case SIGTERM: return "SIGTERM";
    case SIGKILL: return "SIGKILL";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGPIPE: return "SIGPIPE";
    default: return NULL;
    }
}

static size_t runner_cat_signal(char *buf, size_t cap, size_t at, int sig) {
    const char *name = runner_signal_name(sig);
    if (name)
        return runner_cat(buf, cap, at, name);
    at = runner_cat(buf, cap, at, "signal ");
    return runner_cat_int(buf, cap, at, sig);
}

/* ---- the supervisor (never returns) ---- */

static void runner_signals(bool wait, pid_t parent) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &sa, NULL); /* laketop's handlers are not the supervisor's */
    sa.sa_handler = runner_on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (wait && (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent))
        runner_stop_signal = SIGTERM; /* the caller is gone already */
}

static void runner_record(runner_prep *p, pipeline_run *run) {
    size_t n = local_jobs_format_line(p->line, RUNNER_LINE_CAP, p->name, run);
    if (n)
        local_jobs_append(p->log_path, p->line, n);
}

/* The command itself (in the child of the supervisor). */
static void runner_exec(runner_prep *p, int err_fd, pid_t supervisor) {
    setpgid(0, 0);
    /* a supervisor killed outright (SIGKILL) takes the command with it */
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != supervisor)
        _exit(128 + SIGTERM);
    dup2(err_fd, 2);
    if (chdir(p->lake_dir) != 0) {
        static const char msg[] = "laketop: cannot enter the lake directory\n";
        ssize_t ignored = write(2, msg, sizeof msg - 1);
        (void)ignored;
        _exit(127);
    }
    execve(p->argv[0], p->argv, p->envp);
    static const char msg[] = "laketop: cannot run /bin/sh\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    _exit(127);
}

/* Reads what stderr has now into the window; false at its end. */
static bool runner_drain(runner_prep *p, int fd, size_t *kept) {
    for (;;) {
        if (*kept == RUNNER_STDERR_KEPT) { /* keep the newer half */
            memmove(p->kept, p->kept + RUNNER_STDERR_KEPT / 2, RUNNER_STDERR_KEPT / 2);
            *kept = RUNNER_STDERR_KEPT / 2;
        }
        ssize_t n = read(fd, p->kept + *kept, RUNNER_STDERR_KEPT - *kept);
        if (n > 0) {
            *kept += (size_t)n;
            continue;
        }
        return n < 0 && (errno == EAGAIN || errno == EINTR);
    }
}

static void runner_supervise(runner_prep *p) {
    runner_signals(p->wait, p->parent);
    /* the ready pipe on 3, nothing else of laketop's: a terminal or a pipe
     * someone reads must not be held open by a run */
    if (p->ready != 3) {
        dup2(p->ready, 3);
        p->ready = 3;
    }
    runner_close_from(4);
    int null = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; fd++)
        if (null >= 0 && null != fd)
            dup2(null, fd);
    if (null > 3)
        close(null);

    long pid = (long)getpid();
    runner_id(p->id, 512, p->name, p->started_at, pid);
    pipeline_run run;
    memset(&run, 0, sizeof run);
    run.id = p->id;
    run.state = "RUNNING";
    run.started_at = p->started_at;
    run.ended_at = run.duration_seconds = -1;
    run.exit_status = -1;
    runner_ready ready = {.pid = (int32_t)pid};
    size_t n = local_jobs_format_line(p->line, RUNNER_LINE_CAP, p->name, &run);
    if (!n || !local_jobs_append(p->log_path, p->line, n))
        ready.error = n ? errno : ENAMETOOLONG;
    ssize_t put = write(p->ready, &ready, sizeof ready);
    (void)put;
    close(p->ready);
    if (ready.error)
        _exit(1);

    int err[2];
    pid_t child = -1;
    if (pipe2(err, O_CLOEXEC) == 0) {
        child = fork();
        if (child == 0)
            runner_exec(p, err[1], (pid_t)pid);
        close(err[1]);
    }
    int status = 0, stop_sig = 0;
    if (child > 0) {
        setpgid(child, child);
        fcntl(err[0], F_SETFL, O_NONBLOCK);
        size_t kept = 0;
        bool open_err = true, exited = false;
        int64_t term_at = 0;
        while (!exited) {
            if (runner_stop_signal && !stop_sig) {
                stop_sig = runner_stop_signal;
                kill(-child, SIGTERM);
                term_at = runner_monotonic_ms();
            }
            if (stop_sig && runner_monotonic_ms() - term_at > RUNNER_KILL_AFTER_MS)
                kill(-child, SIGKILL);
            exited = waitpid(child, &status, WNOHANG) == child;
            if (open_err)
                open_err = runner_drain(p, err[0], &kept);
            if (!exited) {
                struct pollfd pfd = {.fd = err[0], .events = POLLIN};
                poll(&pfd, open_err ? 1 : 0, 200);
            }
        }
        if (stop_sig)
            kill(-child, SIGKILL); /* what the command left running */
        local_jobs_stderr_tail(p->kept, kept, p->tail, LOCAL_JOBS_TAIL_BYTES + 1);
        close(err[0]);
    } else {
        runner_cat(p->tail, LOCAL_JOBS_TAIL_BYTES + 1, 0, "laketop: cannot start the command");
        status = 127 << 8;
    }

    size_t at = 0;
    p->error[0] = '\0';
    run.ended_at = (int64_t)time(NULL) + p->clock_offset;
    if (run.ended_at < run.started_at)
        run.ended_at = run.started_at;
    run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (stop_sig || WIFSIGNALED(status)) {
        run.state = "STOPPED";
        at = runner_cat(p->error, RUNNER_ERROR_CAP, 0, stop_sig ? "stopped by " : "killed by ");
        at = runner_cat_signal(p->error, RUNNER_ERROR_CAP, at,
                               stop_sig ? stop_sig : WTERMSIG(status));
        if (stop_sig)
            at = runner_cat(p->error, RUNNER_ERROR_CAP, at, " (laketop quit or was stopped)");
        if (p->tail[0]) {
            at = runner_cat(p->error, RUNNER_ERROR_CAP, at, "\n");
            runner_cat(p->error, RUNNER_ERROR_CAP, at, p->tail);
        }
        run.error = p->error;
    } else if (run.exit_status == 0) {
        run.state = "SUCCEEDED";
    } else {
        run.state = "FAILED";
        if (!p->tail[0]) {
            at = runner_cat(p->error, RUNNER_ERROR_CAP, 0, "exit status ");
            runner_cat_int(p->error, RUNNER_ERROR_CAP, at, run.exit_status);
        }
        run.error = p->tail[0] ? p->tail : p->error;
    }
    runner_record(p, &run);
    _exit(0);
}

/* ---- the caller's side ---- */

static bool runner_env_replaced(const char *entry) {
    return strncmp(entry, "LAKETOP_ARG_", 12) == 0 || strncmp(entry, "LAKETOP_JOB=", 12) == 0 ||
           strncmp(entry, "LAKETOP_LAKE=", 13) == 0;
}

static char **runner_environment(const local_job_start *s, const char *lake_dir) {
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **env = xcalloc(n + s->n_args + 3, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!runner_env_replaced(environ[i]))
            env[k++] = xstrdup(environ[i]);
    env[k++] = xasprintf("LAKETOP_LAKE=%s", lake_dir);
    env[k++] = xasprintf("LAKETOP_JOB=%s", s->name);
    for (size_t i = 0; i < s->n_args; i++) {
        char *e = env[k++] = xasprintf("LAKETOP_ARG_%s", s->args[i]); /* KEY=VALUE */
        for (char *p = e + 12; *p && *p != '='; p++)
            if (*p == '-' || *p == '.')
                *p = '_'; /* a name the shell can expand: run-date -> run_date */
    }
    env[k] = NULL;
    return env;
}

static void runner_prep_free(runner_prep *p) {
    free(p->lake_dir);
    free(p->log_path);
    free(p->argv[2]);
    for (size_t i = 0; p->envp && p->envp[i]; i++)
        free(p->envp[i]);
    free(p->envp);
    free(p->id);
    free(p->line);
    free(p->kept);
    free(p->error);
    free(p->tail);
}

static bool runner_prepare(runner_prep *p, const local_job_start *s, char **error) {
    memset(p, 0, sizeof *p);
    p->lake_dir = realpath(s->lake_dir, NULL);
    if (!p->lake_dir) {
        *error = xasprintf("%s: %s", s->lake_dir, strerror(errno));
        return false;
    }
    char *state = xasprintf("%s/.laketop", p->lake_dir);
    bool made = fs_mkdirs(state, error);
    free(state);
    if (!made)
        return false;
    p->log_path = local_jobs_path(p->lake_dir);
    p->name = s->name;
    p->argv[0] = "/bin/sh";
    p->argv[1] = "-c";
    p->argv[2] = xstrdup(s->command);
    p->envp = runner_environment(s, p->lake_dir);
    p->started_at = clock_now();
    p->clock_offset = p->started_at - (int64_t)time(NULL);
    p->id = xmalloc(512);
    p->line = xmalloc(RUNNER_LINE_CAP);
    p->kept = xmalloc(RUNNER_STDERR_KEPT);
    p->error = xmalloc(RUNNER_ERROR_CAP);
    p->tail = xmalloc(LOCAL_JOBS_TAIL_BYTES + 1);
    p->tail[0] = '\0';
    p->wait = s->wait;
    p->parent = getpid();
    return true;
}

bool local_job_runner_start(const local_job_start *s, char **run_id, long *supervisor,
                            char **error) {
    *run_id = NULL;
    *supervisor = -1;
    if (strlen(s->name) > 256) {
        *error = xasprintf("job name too long");
        return false;
    }
    runner_prep p;
    if (!runner_prepare(&p, s, error)) {
        runner_prep_free(&p);
        return false;
    }
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) {
        *error = xasprintf("cannot start job %s: pipe: %s", s->name, strerror(errno));
        runner_prep_free(&p);
        return false;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        p.ready = ready[1];
        if (!s->wait) { /* a session of its own, and no parent to wait for it */
            setsid();
            pid_t grandchild = fork();
            if (grandchild != 0)
                _exit(grandchild < 0);
        }
        runner_supervise(&p);
    }
    int fork_errno = errno;
    close(ready[1]);
    runner_ready r = {0};
    ssize_t got = -1;
    if (pid > 0) {
        do
            got = read(ready[0], &r, sizeof r);
        while (got < 0 && errno == EINTR);
        if (!s->wait)
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
    }
    close(ready[0]);
    bool ok = false;
    if (pid < 0)
        *error = xasprintf("cannot start job %s: fork: %s", s->name, strerror(fork_errno));
    else if (got != (ssize_t)sizeof r)
        *error = xasprintf("cannot start job %s: its supervisor ended at once", s->name);
    else if (r.error)
        *error = xasprintf("cannot start job %s: cannot write %s: %s", s->name, p.log_path,
                           strerror(r.error));
    else
        ok = true;
    if (!ok && pid > 0 && s->wait)
        local_job_runner_reap(pid);
    if (ok) {
        char id[512];
        runner_id(id, sizeof id, s->name, p.started_at, (long)r.pid);
        *run_id = xstrdup(id);
        *supervisor = r.pid;
    }
    runner_prep_free(&p);
    return ok;
}

void local_job_runner_reap(long pid) {
    if (pid <= 0)
        return;
    while (waitpid((pid_t)pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

bool local_job_runner_gone(long pid) {
    return pid > 0 && waitpid((pid_t)pid, NULL, WNOHANG) == (pid_t)pid;
}

bool local_job_runner_settle(pipeline_run *run) {
    if (!run->state || strcmp(run->state, "RUNNING") != 0)
        return false;
    long pid = local_jobs_id_pid(run->id);
    if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
        return false;
    /* a zombie child of ours answers kill(); so does a reused pid: then the
     * run is left RUNNING */
    free(run->state);
    run->state = xstrdup("STOPPED");
    free(run->error);
    run->error = xstrdup("its supervisor is gone (killed, or the machine restarted): the run's "
                         "end was not recorded");
    return true;
}
