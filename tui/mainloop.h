/* mainloop.h: the UI's one event loop. It sleeps in poll() on the terminal,
 * the collector's notification pipe and a signal pipe, so an idle dashboard
 * uses no CPU; it wakes for keys, new snapshots, signals, resizes and a
 * slow tick that keeps ages on screen current. */
#ifndef LAKETOP_MAINLOOP_H
#define LAKETOP_MAINLOOP_H

#include <stdbool.h>

typedef struct mainloop_hooks {
    void *ctx;
    void (*draw)(void *ctx);
    /* Handles one key (curses code); returns false to quit. */
    bool (*key)(void *ctx, int key);
    /* Something arrived on notify_fd (already drained). */
    void (*notified)(void *ctx);
    int tick_ms; /* redraw at least this often; 0: only on events */
    /* Asked after every event: true ends the loop (returns 0). May be NULL. */
    bool (*quit_requested)(void *ctx);
} mainloop_hooks;

/* Runs until a key handler returns false (returns 0) or SIGINT, SIGTERM or
 * SIGHUP arrives (returns 128 + signal number); the caller then ends the
 * screen. Crash signals (SIGSEGV, SIGQUIT, ...) do not come here: screen.c
 * restores the terminal in their handler and lets them kill the process. */
int mainloop_run(int notify_fd, const mainloop_hooks *hooks);

#endif
