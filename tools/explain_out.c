/* The explainers' output: aligned text printed as it comes, or a tree printed as JSON at the end. */
#include "explain_out.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/quote.h"

int xo_json;
int xo_check_failed;
const char *xo_program = "sspi";

#define XO_MAX_DEPTH 8
#define XO_MAX_OPEN 16

struct xo_node {
    char *name;             /* a field's name, or a message's heading */
    char *value;            /* NULL: none */
    size_t offset, length;
    int has_place;
    struct xo_node **kids;  /* a field's sub-fields, a message's fields */
    size_t nkids, cap;
    struct xo_node *inner;  /* a field's inner message */
    int is_message;
    size_t error_offset;
    char *error;            /* a message's error */
    struct xo_node *last[XO_MAX_DEPTH + 1]; /* a message's last field at each depth */
    struct xo_node *recent; /* a message's most recent field */
};

static struct xo_node root = {.is_message = 0};
static struct xo_node *open_messages[XO_MAX_OPEN];
static size_t nopen;

static char *vformat(const char *format, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, format, ap) < 0)
        s = NULL;
    return s;
}

static struct xo_node *new_node(void)
{
    struct xo_node *n = calloc(1, sizeof *n);
    if (!n) {
        fprintf(stderr, "%s: out of memory\n", xo_program);
        exit(2);
    }
    return n;
}

static void add_kid(struct xo_node *parent, struct xo_node *kid)
{
    if (parent->nkids == parent->cap) {
        size_t cap = parent->cap ? 2 * parent->cap : 8;
        struct xo_node **k = realloc(parent->kids, cap * sizeof *k);
        if (!k) {
            fprintf(stderr, "%s: out of memory\n", xo_program);
            exit(2);
        }
        parent->kids = k;
        parent->cap = cap;
    }
    parent->kids[parent->nkids++] = kid;
}

void xo_message(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    if (!xo_json) {
        vprintf(format, ap);
        printf("\n");
        va_end(ap);
        return;
    }
    struct xo_node *m = new_node();
    m->is_message = 1;
    m->name = vformat(format, ap);
    va_end(ap);
    struct xo_node *outer = nopen ? open_messages[nopen - 1] : NULL;
    if (outer && outer->recent && !outer->recent->inner)
        outer->recent->inner = m;
    else
        add_kid(&root, m);
    if (nopen < XO_MAX_OPEN)
        open_messages[nopen++] = m;
}

size_t xo_mark(void) { return nopen; }

void xo_unwind(size_t mark)
{
    if (mark < nopen)
        nopen = mark;
}

/* The message fields go to; one without a heading when none is open (an error before the heading). */
static struct xo_node *current(void)
{
    if (!nopen) {
        struct xo_node *m = new_node();
        m->is_message = 1;
        add_kid(&root, m);
        open_messages[nopen++] = m;
    }
    return open_messages[nopen - 1];
}

static void add_field(int depth, const char *name, char *value, int has_place, size_t offset, size_t length)
{
    if (depth < 1)
        depth = 1;
    if (depth > XO_MAX_DEPTH)
        depth = XO_MAX_DEPTH;
    if (!xo_json) {
        int indent = 2 * depth;
        if (!value && !has_place) {
            printf("%*s%s\n", indent, "", name);
            return;
        }
        printf("%*s%-*s ", indent, "", 26 - indent, name);
        if (value)
            printf("%s", value);
        if (has_place)
            printf(value && *value ? " (%zu bytes at offset %zu)" : "%zu bytes at offset %zu", length, offset);
        printf("\n");
        free(value);
        return;
    }
    struct xo_node *m = current();
    struct xo_node *f = new_node();
    f->name = strdup(name);
    f->value = value;
    f->has_place = has_place;
    f->offset = offset;
    f->length = length;
    struct xo_node *parent = m;
    for (int d = depth - 1; d >= 1; d--)
        if (m->last[d]) {
            parent = m->last[d];
            break;
        }
    add_kid(parent, f);
    m->last[depth] = f;
    for (int d = depth + 1; d <= XO_MAX_DEPTH; d++)
        m->last[d] = NULL;
    m->recent = f;
}

void xo_field(int depth, const char *name, const char *format, ...)
{
    char *value = NULL;
    if (format) {
        va_list ap;
        va_start(ap, format);
        value = vformat(format, ap);
        va_end(ap);
    }
    add_field(depth, name, value, 0, 0, 0);
}

void xo_field_at(int depth, const char *name, size_t offset, size_t length, const char *format, ...)
{
    char *value = NULL;
    if (format) {
        va_list ap;
        va_start(ap, format);
        value = vformat(format, ap);
        va_end(ap);
    }
    add_field(depth, name, value, 1, offset, length);
}

void xo_hex(int depth, const char *name, const unsigned char *p, size_t n)
{
    char *value = malloc(2 * n + 1);
    if (!value)
        return;
    for (size_t i = 0; i < n; i++)
        snprintf(value + 2 * i, 3, "%02x", p[i]);
    value[2 * n] = '\0';
    add_field(depth, name, value, 0, 0, 0);
}

void xo_inner(int depth, const char *name, size_t offset, size_t length)
{
    if (!xo_json) {
        printf("%*s%s (%zu bytes):\n", 2 * depth, "", name, length);
        return;
    }
    add_field(depth, name, NULL, 1, offset, length);
}

int xo_error(size_t offset, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *what = vformat(format, ap);
    va_end(ap);
    fprintf(stderr, "%s: offset %zu: %s\n", xo_program, offset, what ? what : "malformed");
    if (xo_json) {
        struct xo_node *m = current();
        if (!m->error) {
            m->error = what;
            m->error_offset = offset;
            return 1;
        }
    }
    free(what);
    return 1;
}

void xo_separator(void)
{
    if (!xo_json)
        printf("\n");
}

/* Strings from the token are the sender's: quoted the one way the library quotes them. */
static void json_string(const char *s) { fs_quote(stdout, s, 1); }

static void print_node(const struct xo_node *n, int indent);

static void print_list(const char *key, const struct xo_node *n, int indent)
{
    if (!n->nkids) {
        printf(",\n%*s\"%s\": []", indent + 2, "", key);
        return;
    }
    printf(",\n%*s\"%s\": [", indent + 2, "", key);
    for (size_t i = 0; i < n->nkids; i++) {
        printf(i ? ",\n" : "\n");
        printf("%*s", indent + 4, "");
        print_node(n->kids[i], indent + 4);
    }
    printf("\n%*s]", indent + 2, "");
}

static void print_node(const struct xo_node *n, int indent)
{
    if (n->is_message) {
        printf("{\n%*s\"title\": ", indent + 2, "");
        if (n->name)
            json_string(n->name);
        else
            printf("null");
        print_list("fields", n, indent);
        if (n->error) {
            printf(",\n%*s\"error\": {\"offset\": %zu, \"what\": ", indent + 2, "", n->error_offset);
            json_string(n->error);
            printf("}");
        }
        printf("\n%*s}", indent, "");
        return;
    }
    printf("{\"name\": ");
    json_string(n->name ? n->name : "");
    if (n->value) {
        printf(", \"value\": ");
        json_string(n->value);
    }
    if (n->has_place)
        printf(", \"offset\": %zu, \"length\": %zu", n->offset, n->length);
    if (n->nkids) {
        print_list("fields", n, indent);
        if (!n->inner)
            printf("\n%*s", indent, "");
    }
    if (n->inner) {
        printf(",\n%*s\"message\": ", indent + 2, "");
        print_node(n->inner, indent + 2);
        printf("\n%*s", indent, "");
    }
    printf("}");
}

static void free_node(struct xo_node *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        free_node(n->kids[i]);
    free(n->kids);
    if (n->inner)
        free_node(n->inner);
    free(n->name);
    free(n->value);
    free(n->error);
    if (n != &root)
        free(n);
}

void xo_finish(void)
{
    if (xo_json) {
        printf("{\n  \"program\": ");
        json_string(xo_program);
        printf(",\n  \"messages\": [");
        for (size_t i = 0; i < root.nkids; i++) {
            printf(i ? ",\n    " : "\n    ");
            print_node(root.kids[i], 4);
        }
        printf("\n  ]\n}\n");
    }
    free_node(&root);
    memset(&root, 0, sizeof root);
    nopen = 0;
}
