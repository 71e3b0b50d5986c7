/* Captures origins as program counters, and symbolises them (function, file:line, with elfutils'
 * libdw) only when a report is printed. */
#include "origin.h"
#include "cacheline.h"

#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unwind.h>
#include <sys/auxv.h>
#include <sys/syscall.h>

/* Written by every call of every thread: on lines of its own (core/cacheline.h). */
static FS_OWN_LINES(atomic_uint_fast64_t n;) last_call;
static atomic_int backtraces_on = 1;
/* Logical thread numbers are handed out per reset generation, so a reset renumbers every thread. */
static atomic_uint generation = 1;
static atomic_uint next_thread = 1;
static _Thread_local uint64_t current_call;
static _Thread_local uint32_t thread_generation, thread_number;
/* The current call's call site in the caller's code, and the stack slot that holds it (NULL where
 * the frame layout is not known). */
static _Thread_local void *caller_pc, **caller_slot;

void fs_origin_set_backtraces(int enabled) { atomic_store(&backtraces_on, enabled ? 1 : 0); }

void fs_origin_reset(void)
{
    atomic_store(&last_call.n, 0);
    atomic_store(&next_thread, 1);
    atomic_fetch_add(&generation, 1);
}

uint64_t fs_origin_call_begin(void *return_address, void *frame)
{
    caller_pc = return_address;
    /* x86-64: the return address lies just above the saved frame pointer. Checked, not assumed. */
    void **slot = frame ? (void **)frame + 1 : NULL;
    caller_slot = slot && *slot == return_address ? slot : NULL;
    return current_call = atomic_fetch_add(&last_call.n, 1) + 1;
}

void fs_origin_call_end(void)
{
    current_call = 0;
    caller_pc = NULL;
    caller_slot = NULL;
}

uint64_t fs_origin_last_event(void) { return atomic_load(&last_call.n); }

uint32_t fs_logical_thread(void)
{
    unsigned g = atomic_load(&generation);
    if (thread_generation != g) {
        thread_generation = g;
        thread_number = atomic_fetch_add(&next_thread, 1);
    }
    return thread_number;
}

uint32_t fs_thread_id(void)
{
    static _Thread_local uint32_t tid;
    if (tid == 0)
        tid = (uint32_t)syscall(SYS_gettid);
    return tid;
}

void fs_origin_capture_bare(struct fs_origin *o, const char *api)
{
    o->api = api;
    /* Outside a call (a context dying on another thread's last reference, say): the latest call. */
    o->seq = current_call ? current_call : atomic_load(&last_call.n);
    o->thread = fs_logical_thread();
    o->nframes = 0;
}

/* ---- capture: libgcc's unwinder, once per call site ---- */

/* One unwind: the frames from the one whose program counter is from_pc (and, when from_slot is
 * given, whose return address was read from from_slot), or from the first frame when from_pc is NULL.
 * Each frame's slot is where the unwinder read its program counter (on x86-64). */
struct unwind {
    void *from_pc, **from_slot;
    int started, depth, n;
    void *pcs[FS_ORIGIN_FRAMES];
    void **slots[FS_ORIGIN_FRAMES];
};

#define UNWIND_DEPTH 64

static _Unwind_Reason_Code unwind_frame(struct _Unwind_Context *ctx, void *arg)
{
    struct unwind *u = arg;
    void *pc = (void *)_Unwind_GetIP(ctx);
    /* libgcc gives a frame the CFA of the frame it returns from: the stack pointer just after the
     * return, one word above the slot the return address was read from. */
    void **cfa = (void **)_Unwind_GetCFA(ctx);
    void **slot = cfa ? cfa - 1 : NULL;
    if (!pc || ++u->depth > UNWIND_DEPTH)
        return _URC_END_OF_STACK;
    if (!u->started) {
        if (u->from_pc && (pc != u->from_pc || (u->from_slot && slot != u->from_slot)))
            return _URC_NO_REASON;
        u->started = 1;
    }
    u->pcs[u->n] = pc;
    u->slots[u->n] = slot;
    return ++u->n == FS_ORIGIN_FRAMES ? _URC_END_OF_STACK : _URC_NO_REASON;
}

static _Thread_local uint64_t unwinds;

uint64_t fs_origin_unwinds(void) { return unwinds; }

static int unwind_from(struct unwind *u, void *from_pc, void **from_slot)
{
    unwinds++;
    *u = (struct unwind){.from_pc = from_pc, .from_slot = from_slot};
    _Unwind_Backtrace(unwind_frame, u);
    return u->n;
}

/* A call site's stack as last seen: valid again while every saved return address is still in its
 * slot (the same callers, at the same depths, on this thread's stack). */
struct site {
    void *pc, **slot;
    int n;
    void *pcs[FS_ORIGIN_FRAMES];
    void **slots[FS_ORIGIN_FRAMES];
};

/* Per thread: 16 sets of 4 sites. A direct-mapped table of 64 let two hot call sites of a handshake loop share
 * a slot in three runs of six (the key holds stack and code addresses, which ASLR moves), and those two then
 * evicted each other on every call: a whole unwind each time, a quarter of a handshake's CPU (bench/README). */
#define SITE_SETS 16
#define SITE_WAYS 4

/* Each thread's cache is a block on one list of every block ever made: a thread that ends hands its block
 * back for the next thread rather than freeing it. The list is lock-free, so a fork() can never find it
 * locked, and a forked child, which has only the forking thread, still reaches the blocks of the threads
 * it did not inherit (valgrind would count them as lost otherwise). */
struct site_block {
    struct site_block *next;
    atomic_int in_use;
    struct site sites[SITE_SETS][SITE_WAYS];
    unsigned char victim[SITE_SETS]; /* the way a miss replaces next, round robin */
};

static _Atomic(struct site_block *) site_blocks;
static pthread_key_t sites_key;
static pthread_once_t sites_once = PTHREAD_ONCE_INIT;
static _Thread_local struct site_block *own_sites;

/* At thread exit: the saved slots point into a stack that is going away, so the next owner starts empty. */
static void release_sites(void *block)
{
    struct site_block *b = block;
    own_sites = NULL; /* a later destructor calling in claims a block afresh */
    memset(b->sites, 0, sizeof b->sites);
    memset(b->victim, 0, sizeof b->victim);
    atomic_store(&b->in_use, 0);
}

void fs_origin_fork_child(void)
{
    /* The other threads' blocks belong to threads the child does not have: free for its new threads. */
    for (struct site_block *b = atomic_load(&site_blocks); b; b = b->next)
        if (b != own_sites) {
            memset(b->sites, 0, sizeof b->sites);
            memset(b->victim, 0, sizeof b->victim);
            atomic_store(&b->in_use, 0);
        }
}

static void make_sites_key(void) { pthread_key_create(&sites_key, release_sites); }

static struct site_block *claim_sites(void)
{
    for (struct site_block *b = atomic_load(&site_blocks); b; b = b->next) {
        int idle = 0;
        if (atomic_compare_exchange_strong(&b->in_use, &idle, 1))
            return b;
    }
    struct site_block *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    atomic_init(&b->in_use, 1);
    b->next = atomic_load(&site_blocks);
    while (!atomic_compare_exchange_weak(&site_blocks, &b->next, b))
        ;
    return b;
}

/* The site cached for this call site (pc, slot), else the one of its set a miss should replace; NULL without a
 * cache (none could be allocated). */
static struct site *site_for(void *pc, void **slot)
{
    if (!own_sites) {
        pthread_once(&sites_once, make_sites_key);
        if (!(own_sites = claim_sites()))
            return NULL;
        pthread_setspecific(sites_key, own_sites); /* handed back when the thread ends */
    }
    uint64_t h = ((uint64_t)(uintptr_t)pc ^ ((uint64_t)(uintptr_t)slot << 7)) * UINT64_C(0x9E3779B97F4A7C15);
    unsigned set = (unsigned)(h >> 60);
    struct site *ways = own_sites->sites[set];
    for (int w = 0; w < SITE_WAYS; w++)
        if (ways[w].pc == pc && ways[w].slot == slot)
            return &ways[w];
    unsigned char *victim = &own_sites->victim[set];
    struct site *s = &ways[*victim];
    *victim = (unsigned char)((*victim + 1) % SITE_WAYS);
    return s;
}

/* Reads saved return addresses in this thread's own live stack, above the current frame. */
__attribute__((no_sanitize_address)) static int site_still_holds(const struct site *s)
{
    for (int i = 1; i < s->n; i++)
        if (*s->slots[i] != s->pcs[i])
            return 0;
    return 1;
}

/* Only a chain read wholly from the stack, going up it, can be checked later. */
static int checkable(const struct unwind *u)
{
    for (int i = 1; i < u->n; i++)
        if (!u->slots[i] || u->slots[i] <= u->slots[i - 1])
            return 0;
    return u->n > 0;
}

static int capture_frames(void **out)
{
    struct unwind u;
    if (caller_pc && caller_slot) {
        struct site *s = site_for(caller_pc, caller_slot);
        if (s && s->n && s->pc == caller_pc && s->slot == caller_slot && site_still_holds(s)) {
            memcpy(out, s->pcs, (size_t)s->n * sizeof *out);
            return s->n;
        }
        if (unwind_from(&u, caller_pc, caller_slot)) {
            if (s && checkable(&u)) {
                s->pc = caller_pc;
                s->slot = caller_slot;
                s->n = u.n;
                memcpy(s->pcs, u.pcs, sizeof s->pcs);
                memcpy(s->slots, u.slots, sizeof s->slots);
            }
            memcpy(out, u.pcs, (size_t)u.n * sizeof *out);
            return u.n;
        }
    }
    /* Outside a call, or the caller not found on the stack: every frame, the library's first. */
    if (!(caller_pc && unwind_from(&u, caller_pc, NULL)) && !unwind_from(&u, NULL, NULL))
        return 0;
    memcpy(out, u.pcs, (size_t)u.n * sizeof *out);
    return u.n;
}

void fs_origin_capture(struct fs_origin *o, const char *api)
{
    fs_origin_capture_bare(o, api);
    if (atomic_load_explicit(&backtraces_on, memory_order_relaxed))
        o->nframes = capture_frames(o->frames);
}

/* ---- printing: symbols from libdw, only now ---- */

static pthread_mutex_t symbols_lock = PTHREAD_MUTEX_INITIALIZER;
static Dwfl *dwfl;
static char *debuginfo_path;
static const Dwfl_Callbacks dwfl_callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

static void forget_symbols(void);

/* (Re)reads the process's mappings: at the first report, and when a library loaded since shows up. */
static int report_modules(void)
{
    if (!dwfl && !(dwfl = dwfl_begin(&dwfl_callbacks)))
        return 0;
    forget_symbols(); /* an address may now lie in another module */
    dwfl_report_begin(dwfl);
    int failed = dwfl_linux_proc_report(dwfl, getpid());
    dwfl_report_end(dwfl, NULL, NULL);
    return !failed;
}

static Dwfl_Module *module_of(Dwarf_Addr address)
{
    if (!dwfl && !report_modules())
        return NULL;
    Dwfl_Module *m = dwfl_addrmodule(dwfl, address);
    if (!m && report_modules())
        m = dwfl_addrmodule(dwfl, address);
    return m;
}

struct frame {
    Dwfl_Module *module;
    const char *module_name; /* file name, no directory */
    uint64_t offset;         /* from the module's load address */
    const char *function;    /* NULL when no symbol covers it */
    const char *file;        /* NULL without line information */
    int line;
};

static void look_up(void *pc, struct frame *f)
{
    *f = (struct frame){.module_name = "?"};
    /* A return address: the call is the instruction before it (its line is the one wanted). */
    Dwarf_Addr at = (Dwarf_Addr)(uintptr_t)pc - 1;
    if (!(f->module = module_of(at)))
        return;
    Dwarf_Addr start = 0;
    const char *path = NULL;
    dwfl_module_info(f->module, NULL, &start, NULL, NULL, NULL, &path, NULL);
    if (path) {
        const char *slash = strrchr(path, '/');
        f->module_name = slash ? slash + 1 : path;
    }
    f->offset = (uint64_t)((uintptr_t)pc - start);
    f->function = dwfl_module_addrname(f->module, at);
    Dwfl_Line *line = dwfl_module_getsrc(f->module, at);
    if (line)
        f->file = dwfl_lineinfo(line, NULL, &f->line, NULL, NULL, NULL);
}

/* Where the library's own frames are: its module when it is a shared object; linked statically
 * into the program, its source directories. */
static int inside_library(const struct frame *f, Dwfl_Module *self, Dwfl_Module *program)
{
    if (!f->module || f->module != self)
        return 0;
    if (self != program)
        return 1;
    static const char *const layers[] = {"libfakesspi/api/", "libfakesspi/sspi/", "libfakesspi/packages/",
                                         "libfakesspi/security/", "libfakesspi/core/"};
    for (size_t i = 0; f->file && i < sizeof layers / sizeof *layers; i++)
        if (strstr(f->file, layers[i]))
            return 1;
    return 0;
}

/* The source path without "." and "dir/.." steps (a build directory's "../../tests/x.c"). */
static void clean_path(const char *path, char *out, size_t size)
{
    size_t n = 0;
    const char *p = path;
    while (*p && n + 1 < size) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 1 && p[0] == '.') {
            /* dropped */
        } else if (len == 2 && p[0] == '.' && p[1] == '.' && n > 1) {
            char *slash = memrchr(out, '/', n - 1);
            if (slash && strncmp(slash + 1, "../", 3) != 0)
                n = (size_t)(slash - out) + 1;
            else if (!slash && strncmp(out, "../", 3) != 0)
                n = 0;
            else
                goto copy;
        } else {
        copy:
            if (n + len + 1 >= size)
                break;
            memcpy(out + n, p, len);
            n += len;
            if (end)
                out[n++] = '/';
        }
        if (!end)
            break;
        p = end + 1;
    }
    out[n] = '\0';
}

static void print_line(FILE *out, const char *function, const char *path, int line)
{
    char file[512];
    clean_path(path, file, sizeof file);
    fprintf(out, "%s at %s:%d\n", function ? function : "??", file, line);
}

/* One frame with line information, as the source reads: a function the compiler inlined into
 * another is a frame of its own (its caller's line is the inlined call's), as addr2line -i and gdb
 * show them, so a static helper inlined into main is still named. */
static void print_inlined(FILE *out, const struct frame *f, void *pc)
{
    Dwarf_Addr at = (Dwarf_Addr)(uintptr_t)pc - 1, bias = 0;
    Dwarf_Die *cu = dwfl_module_addrdie(f->module, at, &bias);
    Dwarf_Die *scopes = NULL;
    int n = cu ? dwarf_getscopes(cu, at - bias, &scopes) : 0;
    Dwarf_Files *files = NULL;
    const char *path = f->file;
    int line = f->line;
    for (int i = 0; i < n; i++) {
        int tag = dwarf_tag(&scopes[i]);
        if (tag != DW_TAG_inlined_subroutine)
            continue;
        print_line(out, dwarf_diename(&scopes[i]), path, line);
        /* The caller's line is where the inlined call stands. */
        Dwarf_Attribute attr;
        Dwarf_Word call_file = 0, call_line = 0;
        dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &call_file);
        dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &call_line);
        const char *caller_path = NULL;
        if (files || dwarf_getsrcfiles(cu, &files, NULL) == 0)
            caller_path = dwarf_filesrc(files, call_file, NULL, NULL);
        path = caller_path ? caller_path : "?";
        line = (int)call_line;
    }
    free(scopes);
    print_line(out, f->function, path, line);
}

/* Symbolising is what makes a report slow (libdw walks the DWARF for each frame, and a test that
 * provokes misuse on purpose prints thousands of reports from the same few call sites): each program
 * counter is symbolised once, and its lines kept until the process's modules are read again. */
struct symbol {
    void *pc;
    int inside;  /* one of the library's own frames */
    int is_main; /* beyond it lies the C library starting the program */
    char *lines; /* one "function at file:line" per frame, the inlined ones first */
};

#define SYMBOLS 1024 /* direct-mapped: a colliding program counter replaces the one before */
static struct symbol *symbols;

static void forget_symbols(void)
{
    if (!symbols)
        return;
    for (size_t i = 0; i < SYMBOLS; i++)
        free(symbols[i].lines);
    memset(symbols, 0, SYMBOLS * sizeof *symbols);
}

/* The frame's lines, NEW, or NULL when memory ran out. */
static char *frame_lines(const struct frame *f, void *pc)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    if (f->file && f->line > 0)
        print_inlined(out, f, pc);
    else if (f->function)
        fprintf(out, "%s (%s+%#llx)\n", f->function, f->module_name, (unsigned long long)f->offset);
    else
        fprintf(out, "%s+%#llx\n", f->module_name, (unsigned long long)f->offset);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* symbols_lock held. The symbol for pc, from the cache or made now; NULL when memory ran out. */
static const struct symbol *symbol_of(void *pc, struct symbol *scratch)
{
    if (!symbols)
        symbols = calloc(SYMBOLS, sizeof *symbols);
    struct symbol *slot = symbols ? &symbols[((uint64_t)(uintptr_t)pc * UINT64_C(0x9E3779B97F4A7C15)) >> 54] : scratch;
    if (slot->lines && slot->pc == pc)
        return slot;
    struct frame f, self;
    look_up(pc, &f);
    look_up((char *)(uintptr_t)fs_origin_print + 1, &self);
    Dwfl_Module *program = module_of((Dwarf_Addr)getauxval(AT_PHDR));
    char *lines = frame_lines(&f, pc);
    if (!lines)
        return NULL;
    free(slot->lines);
    *slot = (struct symbol){.pc = pc,
                            .inside = inside_library(&f, self.module, program),
                            .is_main = f.function && !strcmp(f.function, "main"),
                            .lines = lines};
    return slot;
}

static void print_numbered(FILE *out, const char *indent, int *number, const char *lines)
{
    for (const char *line = lines; *line;) {
        const char *end = strchr(line, '\n');
        int len = end ? (int)(end - line) : (int)strlen(line);
        fprintf(out, "%s  #%d %.*s\n", indent, (*number)++, len, line);
        line += len + (end != NULL);
    }
}

void fs_origin_print(FILE *out, const struct fs_origin *o, const char *indent)
{
    fprintf(out, "%s (call #%llu, thread [%u])\n", o->api ? o->api : "?", (unsigned long long)o->seq, o->thread);
    fs_origin_print_frames(out, o, indent);
}

void fs_origin_print_frames(FILE *out, const struct fs_origin *o, const char *indent)
{
    if (o->nframes <= 0)
        return;
    pthread_mutex_lock(&symbols_lock);
    /* Two program counters of one stack may share a cache slot: each pass asks again rather than
     * keeping a pointer the other frame's lookup may have replaced. */
    struct symbol scratch[FS_ORIGIN_FRAMES] = {{0}};
    /* The frames inside libfakesspi say nothing to a user: start at the caller's code (all are
     * shown if none is outside). */
    int first = 0;
    while (first < o->nframes) {
        const struct symbol *sym = symbol_of(o->frames[first], &scratch[first]);
        if (!sym || !sym->inside)
            break;
        first++;
    }
    if (first == o->nframes)
        first = 0;
    int number = 0;
    for (int i = first; i < o->nframes; i++) {
        const struct symbol *sym = symbol_of(o->frames[i], &scratch[i]);
        if (!sym) {
            fprintf(out, "%s  #%d ?? (out of memory)\n", indent, number++);
            continue;
        }
        print_numbered(out, indent, &number, sym->lines);
        if (sym->is_main)
            break;
    }
    for (int i = 0; i < o->nframes; i++)
        free(scratch[i].lines);
    pthread_mutex_unlock(&symbols_lock);
}
