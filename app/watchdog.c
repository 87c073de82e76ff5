/* watchdog.c: the --timeout of `--once` and `check` (see watchdog.h). */
#include "app/watchdog.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/fmt.h"

static struct {
    pthread_mutex_t lock; /* guards phase; never held across a call that can block */
    char phase[512];
    char limit[64];
    struct timespec deadline; /* CLOCK_MONOTONIC */
    watchdog_style style;
    int exit_status;
    bool armed;
} watchdog = {.lock = PTHREAD_MUTEX_INITIALIZER, .phase = "starting"};

bool watchdog_parse(const char *text, int64_t *ms) {
    if (!text || !isdigit((unsigned char)*text))
        return false;
    size_t len = strlen(text);
    if (len > 2 && strcmp(text + len - 2, "ms") == 0) { /* fmt's durations are whole seconds */
        errno = 0;
        char *end;
        long long value = strtoll(text, &end, 10);
        if (errno == ERANGE || end != text + len - 2 || value > 86400LL * 1000)
            return false;
        *ms = (int64_t)value;
        return true;
    }
    int64_t seconds;
    if (strchr(text, ' ') || !fmt_parse_duration(text, &seconds) || seconds > 86400)
        return false; /* past a day: surely a mistake */
    *ms = seconds * 1000;
    return true;
}

void watchdog_phase(const char *what) {
    pthread_mutex_lock(&watchdog.lock);
    snprintf(watchdog.phase, sizeof watchdog.phase, "%s", what);
    pthread_mutex_unlock(&watchdog.lock);
}

/* write(2) all of `text`, whatever the state of stdio. */
static void watchdog_write(int fd, const char *text) {
    size_t len = strlen(text);
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        text += n;
        len -= (size_t)n;
    }
}

static void *watchdog_main(void *arg) {
    (void)arg;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &watchdog.deadline, NULL) == EINTR)
        ;
    char phase[sizeof watchdog.phase];
    pthread_mutex_lock(&watchdog.lock);
    memcpy(phase, watchdog.phase, sizeof phase);
    pthread_mutex_unlock(&watchdog.lock);
    char line[sizeof phase + 256];
    switch (watchdog.style) {
    case WATCHDOG_ONCE:
        snprintf(line, sizeof line,
                 "laketop: stopped at the --timeout of %s, still %s (an answer that did not "
                 "come, or came too slowly); exit 1\n",
                 watchdog.limit, phase);
        watchdog_write(STDERR_FILENO, line);
        break;
    case WATCHDOG_CHECK_TEXT:
        snprintf(line, sizeof line,
                 "LAKETOP UNKNOWN - stopped at the --timeout of %s, still %s (an answer that did "
                 "not come, or came too slowly)\n",
                 watchdog.limit, phase);
        watchdog_write(STDOUT_FILENO, line);
        break;
    case WATCHDOG_CHECK_PROMETHEUS:
        watchdog_write(STDOUT_FILENO, "# HELP laketop_check_status The check: 0 OK, 1 WARNING, 2 "
                                      "CRITICAL, 3 UNKNOWN.\n# TYPE laketop_check_status "
                                      "gauge\nlaketop_check_status 3\n");
        snprintf(line, sizeof line, "laketop check: stopped at the --timeout of %s, still %s\n",
                 watchdog.limit, phase);
        watchdog_write(STDERR_FILENO, line);
        break;
    }
    _exit(watchdog.exit_status);
}

void watchdog_arm(int64_t ms, const char *limit_text, watchdog_style style, int exit_status) {
    if (ms <= 0 || watchdog.armed)
        return;
    watchdog.armed = true;
    snprintf(watchdog.limit, sizeof watchdog.limit, "%s", limit_text);
    watchdog.style = style;
    watchdog.exit_status = exit_status;
    clock_gettime(CLOCK_MONOTONIC, &watchdog.deadline);
    watchdog.deadline.tv_sec += (time_t)(ms / 1000);
    watchdog.deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (watchdog.deadline.tv_nsec >= 1000000000L) {
        watchdog.deadline.tv_sec++;
        watchdog.deadline.tv_nsec -= 1000000000L;
    }
    /* the thread takes no signal: they stay the main thread's */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attr, watchdog_main, NULL) != 0) {
        /* no thread: no limit, but said so */
        fputs("laketop: cannot start the --timeout's thread; running without a limit\n", stderr);
        watchdog.armed = false;
    }
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}
