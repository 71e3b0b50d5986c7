/* The process's one current domain: installed whole from text or a file, read under a lock. */
#include "domain_current.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
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

static pthread_rwlock_t current_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct fs_domain *current;

const struct fs_domain *fs_domain_acquire(void)
{
    pthread_rwlock_rdlock(&current_lock);
    return current;
}

void fs_domain_release(void) { pthread_rwlock_unlock(&current_lock); }

static void install(struct fs_domain *d)
{
    pthread_rwlock_wrlock(&current_lock);
    struct fs_domain *old = current;
    current = d;
    pthread_rwlock_unlock(&current_lock);
    fs_domain_free(old);
}

int fs_domain_install_text(const char *text, const char *source, char *message, size_t cap)
{
    struct fs_domain *d = fs_domain_parse(text, source, message, cap);
    install(d); /* NULL on failure: no half-read domain stays in use */
    return d ? 0 : -1;
}

int fs_domain_install_file(const char *path, char *message, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        say(message, cap, "%s: cannot open the domain file", path);
        install(NULL);
        return -1;
    }
    /* The file holds every password: read it unbuffered into one block, sized first, so that no stdio
     * buffer or outgrown block keeps a copy; wipe it after. */
    setvbuf(f, NULL, _IONBF, 0);
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    char *text = size > 0 && fseek(f, 0, SEEK_SET) == 0 ? fs_malloc((size_t)size + 1) : NULL;
    size_t len = text ? fread(text, 1, (size_t)size, f) : 0;
    fclose(f);
    if (!text || len != (size_t)size) {
        if (text)
            explicit_bzero(text, (size_t)size);
        free(text);
        say(message, cap, size == 0 ? "%s: the domain file is empty" : text ? "%s: cannot read the domain file"
                                                                            : size < 0 ? "%s: cannot read the domain file"
                                                                                       : "%s: out of memory", path);
        install(NULL);
        return -1;
    }
    text[len] = '\0';
    int rc = fs_domain_install_text(text, path, message, cap);
    explicit_bzero(text, len);
    free(text);
    return rc;
}

int fs_domain_current_add_user(const char *name, uint32_t rid, const char *password, const char *groups,
                               char *message, size_t cap)
{
    pthread_rwlock_wrlock(&current_lock);
    int rc = -1;
    if (current)
        rc = fs_domain_add_user(current, name, rid, password, groups, message, cap);
    else
        say(message, cap, "no usable domain is loaded");
    pthread_rwlock_unlock(&current_lock);
    return rc;
}

int fs_domain_current_add_group(const char *name, uint32_t rid, char *message, size_t cap)
{
    pthread_rwlock_wrlock(&current_lock);
    int rc = -1;
    if (current)
        rc = fs_domain_add_group(current, name, rid, message, cap);
    else
        say(message, cap, "no usable domain is loaded");
    pthread_rwlock_unlock(&current_lock);
    return rc;
}
