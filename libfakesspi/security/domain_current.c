/* The process's one current domain: installed whole from text or a file, read under a lock. */
#include "domain_current.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account_policy.h"
#include "core/alloc.h"
#include "core/brlock.h"
#include "core/clock.h"
#include "domain_build.h"
#include "domain_ini.h"

static void say(char *message, size_t cap, const char *fmt, ...)
{
    if (!message || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, cap, fmt, ap);
    va_end(ap);
}

/* Read by every logon, written when a domain is installed or changed: a brlock, so that logons on different
 * threads write no shared cache line (core/brlock.h). */
static struct fs_brlock current_lock = FS_BRLOCK_INIT(FS_BRLOCK_DOMAIN);
static struct fs_domain *current;
static uint64_t last_serial; /* under current_lock; never restarts, so no two loads of a process share one */

const struct fs_domain *fs_domain_acquire(void)
{
    fs_brlock_read(&current_lock);
    return current;
}

void fs_domain_release(void) { fs_brlock_read_unlock(&current_lock); }

static void install(struct fs_domain *d)
{
    fs_brlock_write(&current_lock);
    struct fs_domain *old = current;
    if (d)
        d->serial = ++last_serial;
    current = d;
    fs_brlock_write_unlock(&current_lock);
    fs_domain_free(old);
}

int fs_domain_install_text(const char *text, const char *source, char *message, size_t cap)
{
    struct fs_domain *d = fs_domain_parse(text, source, message, cap);
    install(d); /* NULL on failure: no half-read domain stays in use */
    return d ? 0 : -1;
}

/* The whole file in one block, wiped on every way out: it holds every password, so it is read unbuffered (no
 * stdio buffer keeps a copy) and an outgrown block is wiped before it is freed. Only a regular file is read
 * (a FIFO would block for ever, a directory has no text), up to FS_DOMAIN_FILE_MAX bytes, till its end even
 * when its size says 0 (/proc files). */
static char *read_domain_file(const char *path, size_t *len, char *message, size_t cap)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        say(message, cap, "%s: cannot open the domain file (%s)", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        say(message, cap, S_ISDIR(st.st_mode) ? "%s: is a directory, not a domain file"
                                              : "%s: is not a regular file (a FIFO, device or socket); the domain "
                                                "is read from a regular file",
            path);
        close(fd);
        return NULL;
    }
    if (st.st_size > FS_DOMAIN_FILE_MAX) {
        say(message, cap, "%s: the domain file is larger than %d MiB", path, FS_DOMAIN_FILE_MAX >> 20);
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size + 1, used = 0;
    char *text = fs_malloc(size);
    const char *problem = text ? NULL : "out of memory";
    while (!problem) {
        if (used + 1 == size) { /* a file that grew, or a /proc file that says 0 */
            size_t bigger = size < 4096 ? 4096 : 2 * size;
            char *grown = bigger > (size_t)FS_DOMAIN_FILE_MAX + 1 ? NULL : fs_malloc(bigger);
            if (!grown) {
                problem = bigger > (size_t)FS_DOMAIN_FILE_MAX + 1 ? "larger than the limit" : "out of memory";
                break;
            }
            memcpy(grown, text, used);
            explicit_bzero(text, size);
            free(text);
            text = grown;
            size = bigger;
        }
        ssize_t n = read(fd, text + used, size - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            problem = strerror(errno);
        else if (n == 0)
            break;
        else
            used += (size_t)n;
    }
    close(fd);
    if (!problem && used == 0)
        problem = "empty";
    if (problem) {
        if (!strcmp(problem, "larger than the limit"))
            say(message, cap, "%s: the domain file is larger than %d MiB", path, FS_DOMAIN_FILE_MAX >> 20);
        else if (!strcmp(problem, "empty"))
            say(message, cap, "%s: the domain file is empty", path);
        else
            say(message, cap, "%s: cannot read the domain file (%s)", path, problem);
        if (text)
            explicit_bzero(text, size);
        free(text);
        return NULL;
    }
    text[used] = '\0';
    *len = used;
    return text;
}

int fs_domain_install_file(const char *path, char *message, size_t cap)
{
    size_t len = 0;
    char *text = read_domain_file(path, &len, message, cap);
    if (!text) {
        install(NULL);
        return -1;
    }
    struct fs_domain *d = fs_domain_parse_bytes(text, len, path, message, cap);
    explicit_bzero(text, len);
    free(text);
    install(d); /* NULL on failure: no half-read domain stays in use */
    return d ? 0 : -1;
}

int fs_domain_current_add_user(const char *name, uint32_t rid, const char *password, const char *groups,
                               char *message, size_t cap)
{
    fs_brlock_write(&current_lock);
    int rc = -1;
    if (current)
        rc = fs_domain_add_user(current, name, rid, password, groups, message, cap);
    else
        say(message, cap, "no usable domain is loaded");
    fs_brlock_write_unlock(&current_lock);
    return rc;
}

int fs_domain_current_accept_any_spn(int on, char *message, size_t cap)
{
    fs_brlock_write(&current_lock);
    int rc = -1;
    if (current) {
        current->kerberos_accept_any_spn = on != 0;
        rc = 0;
    } else {
        say(message, cap, "no usable domain is loaded");
    }
    fs_brlock_write_unlock(&current_lock);
    return rc;
}

int fs_domain_current_add_group(const char *name, uint32_t rid, char *message, size_t cap)
{
    fs_brlock_write(&current_lock);
    int rc = -1;
    if (current)
        rc = fs_domain_add_group(current, name, rid, message, cap);
    else
        say(message, cap, "no usable domain is loaded");
    fs_brlock_write_unlock(&current_lock);
    return rc;
}

/* Under the write lock: no logon reads the password, its NT hash or the flags while they change. */
fs_err fs_domain_current_change_password(const char *user, const char *domain, const char *old_password,
                                         const char *new_password, int through_kdc)
{
    char *copy = fs_strdup(new_password);
    if (!copy)
        return FS_E_NOMEM;
    fs_brlock_write(&current_lock);
    fs_err err = FS_OK;
    const struct fs_user *found = NULL;
    if (!current)
        err = FS_E_DOMAIN_UNUSABLE;
    else if (domain && *domain && !fs_domain_is_named(current, domain))
        err = FS_E_NO_SUCH_DOMAIN;
    else if (!user || !(found = fs_domain_find_user(current, user)))
        err = FS_E_NO_SUCH_USER;
    if (err == FS_OK) {
        int good = fs_domain_user_password_matches(current, found, old_password);
        err = fs_account_verdict(current, found, good ? FS_PASSWORD_GOOD : FS_PASSWORD_BAD);
        if (err == FS_E_PASSWORD_MUST_CHANGE || err == FS_E_PASSWORD_EXPIRED)
            err = FS_OK; /* what the change is for */
        /* The SAM change (MS-SAMR 3.1.5.10.3) checks the old password, not logonHours or userWorkstations; those
         * the verdict checks last but for the password's age, waived above too (doc/semantics.md §57.5). */
        if (!through_kdc && (err == FS_E_INVALID_LOGON_HOURS || err == FS_E_INVALID_WORKSTATION))
            err = FS_OK;
    }
    if (err == FS_OK) {
        size_t i = (size_t)(found - current->users);
        struct fs_user *u = &current->users[i];
        if (u->password)
            explicit_bzero(u->password, strlen(u->password));
        free(u->password);
        u->password = copy;
        u->nt_hash_given = 0; /* a password now: its hash is made from it (doc/semantics.md §73) */
        copy = NULL;
        /* The NT hash made from the old password is forgotten; the next use makes the new one. */
        explicit_bzero(current->nt_hashes[i].bytes, sizeof current->nt_hashes[i].bytes);
        atomic_store(&current->nt_hashes[i].state, FS_NT_HASH_UNMADE);
        u->password_last_set = fs_clock_now();
        u->must_change_password = 0;
    }
    fs_brlock_write_unlock(&current_lock);
    if (copy) {
        explicit_bzero(copy, strlen(copy));
        free(copy);
    }
    return err;
}
