/* Where something happened: the API, a global sequence number, the thread, and a backtrace. */
#ifndef FS_CORE_ORIGIN_H
#define FS_CORE_ORIGIN_H

#include <stdint.h>
#include <stdio.h>

#define FS_ORIGIN_FRAMES 12

struct fs_origin {
    const char *api;   /* static string: the Windows function name */
    uint64_t seq;      /* global event number, reset by fakesspi_reset() */
    uint32_t thread;   /* kernel thread id */
    int nframes;
    void *frames[FS_ORIGIN_FRAMES];
};

void fs_origin_capture(struct fs_origin *o, const char *api);
/* The same without the backtrace, for paths that must stay cheap. */
void fs_origin_capture_bare(struct fs_origin *o, const char *api);
/* Writes "API (event #N, thread T)" and the backtrace lines, each prefixed by indent. */
void fs_origin_print(FILE *out, const struct fs_origin *o, const char *indent);

/* Only the backtrace lines (none when backtraces were off), each prefixed by indent. */
void fs_origin_print_frames(FILE *out, const struct fs_origin *o, const char *indent);

void fs_origin_set_backtraces(int enabled);
void fs_origin_reset(void);
/* The number the last captured event got (0 before any). */
uint64_t fs_origin_last_event(void);
uint32_t fs_thread_id(void);

#endif
