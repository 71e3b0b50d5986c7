/* Where something happened: the API, the number of the call it happened in (the trace's number: one
 * sequence for the trace, the handle history and every report), the logical thread, and a backtrace. */
#ifndef FS_CORE_ORIGIN_H
#define FS_CORE_ORIGIN_H

#include <stdint.h>
#include <stdio.h>

#define FS_ORIGIN_FRAMES 12

struct fs_origin {
    const char *api;   /* static string: the Windows function name */
    uint64_t seq;      /* the call's number, as the trace shows it; restarts at fakesspi_reset() */
    uint32_t thread;   /* logical thread: 1, 2, ... in the order threads first call in, as the trace */
    int nframes;
    void *frames[FS_ORIGIN_FRAMES];
};

/* Captures the stack as program counters only (symbols are looked up when a report is printed).
 * Inside a call the stack starts at the caller of the export, and is taken from a per-thread cache
 * of call sites whose saved return addresses are checked against the live stack, so a loop pays for
 * one unwind per call site rather than one per handle. */
void fs_origin_capture(struct fs_origin *o, const char *api);
/* How many whole unwinds this thread has made (misses of its call-site cache), for tests of the cache. */
uint64_t fs_origin_unwinds(void);
/* The same without the backtrace, for paths that must stay cheap. */
void fs_origin_capture_bare(struct fs_origin *o, const char *api);
/* Writes "API (call #N, thread [T])" and the backtrace lines, each prefixed by indent: frames
 * outside libfakesspi, up to main, as "#0 function at file:line", or "#0 function (module+0xoffset)"
 * without line information, or "#0 module+0xoffset" without a symbol. No absolute address is printed,
 * so two runs give the same text whatever the address-space layout. */
void fs_origin_print(FILE *out, const struct fs_origin *o, const char *indent);

/* Only the backtrace lines (none when backtraces were off), each prefixed by indent. */
void fs_origin_print_frames(FILE *out, const struct fs_origin *o, const char *indent);

void fs_origin_set_backtraces(int enabled);
/* Restarts the call numbers and the logical thread numbers. */
void fs_origin_reset(void);

/* What an export passes to fs_origin_call_begin(): its return address (the caller's call site) and,
 * where the frame layout is known (x86-64: the return address sits just above the saved frame
 * pointer), its frame, which locates that return address on the stack. */
#if defined(__x86_64__)
#define FS_ORIGIN_CALLER __builtin_return_address(0), __builtin_frame_address(0)
#else
#define FS_ORIGIN_CALLER __builtin_return_address(0), NULL
#endif

/* Numbers a new call (1, 2, ... since the last reset) and makes it the calling thread's current one:
 * what is captured until fs_origin_call_end() carries its number, and its stack starts at the
 * export's caller (return_address; frame as FS_ORIGIN_CALLER gives it, or NULL). */
uint64_t fs_origin_call_begin(void *return_address, void *frame);
void fs_origin_call_end(void);
/* The number the last call got (0 before any). */
uint64_t fs_origin_last_event(void);

/* The calling thread's logical number (1 for the first thread to call in since the reset, ...). */
uint32_t fs_logical_thread(void);
/* The kernel's id of the calling thread (GetCurrentThreadId). */
uint32_t fs_thread_id(void);

/* In a forked child: the call-site caches of the threads it did not inherit become free. */
void fs_origin_fork_child(void);

#endif
