/* mainloop.c: poll() on keys, collector notifications and signals. */
#include "tui/mainloop.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "common/xalloc.h"

static int mainloop_signal_pipe[2] = {-1, -1};

static void mainloop_on_signal(int sig) {
    int saved = errno;
    unsigned char byte = (unsigned char)sig;
    ssize_t ignored = write(mainloop_signal_pipe[1], &byte, 1);
    (void)ignored;
    errno = saved;
}

static void mainloop_drain(int fd) {
    char buf[256];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

int mainloop_run(int notify_fd, const mainloop_hooks *h) {
    if (pipe(mainloop_signal_pipe) != 0)
        xfatal("pipe: %s", strerror(errno));
    for (int i = 0; i < 2; i++)
        fcntl(mainloop_signal_pipe[i], F_SETFL, O_NONBLOCK);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = mainloop_on_signal;
    sigemptyset(&sa.sa_mask);
    int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        sigaction(signals[i], &sa, NULL);

    int result = -1;
    h->draw(h->ctx);
    while (result < 0) {
        struct pollfd fds[3] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = mainloop_signal_pipe[0], .events = POLLIN},
            {.fd = notify_fd, .events = POLLIN},
        };
        int n = poll(fds, notify_fd >= 0 ? 3 : 2, h->tick_ms > 0 ? h->tick_ms : -1);
        bool redraw = n == 0; /* tick */
        if (n < 0 && errno != EINTR)
            xfatal("poll: %s", strerror(errno));
        if (n < 0)
            fds[0].revents = POLLIN; /* EINTR: maybe SIGWINCH; ask curses */
        if (fds[1].revents & POLLIN) {
            unsigned char sig = 0;
            if (read(mainloop_signal_pipe[0], &sig, 1) == 1)
                result = 128 + sig;
            break;
        }
        if (notify_fd >= 0 && (fds[2].revents & POLLIN)) {
            mainloop_drain(notify_fd);
            h->notified(h->ctx);
            redraw = true;
        }
        if (fds[0].revents & (POLLHUP | POLLERR)) {
            result = 128 + SIGHUP; /* the terminal went away */
            break;
        }
        if (fds[0].revents & POLLIN) {
            int key;
            while (result < 0 && (key = getch()) != ERR) {
                redraw = true;
                if (!h->key(h->ctx, key))
                    result = 0;
            }
        }
        if (result < 0 && h->quit_requested && h->quit_requested(h->ctx))
            result = 0;
        if (redraw && result < 0)
            h->draw(h->ctx);
    }
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    close(mainloop_signal_pipe[0]);
    close(mainloop_signal_pipe[1]);
    return result;
}
