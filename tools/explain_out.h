/* Where the explainers' lines go (tools only): aligned text for people, or one JSON document for machines
 * (doc/tools.md gives its schema). A message is a token's heading and its fields; a field has a name, a
 * value as the text shows it, optional byte offset and length, sub-fields one depth deeper, and at most one
 * inner message (the token a SPNEGO field carries). */
#ifndef TOOLS_EXPLAIN_OUT_H
#define TOOLS_EXPLAIN_OUT_H

#include <stddef.h>

/* Nonzero: collect everything and print JSON at xo_finish. */
extern int xo_json;
/* Names the tool in messages about malformed input ("sspi-decode: offset 12: ..."). */
extern const char *xo_program;

/* Begins a message: the heading line. Inside another message it becomes the last field's inner message. */
void xo_message(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* The number of open messages, and closing back to such a number. */
size_t xo_mark(void);
void xo_unwind(size_t mark);

/* A field at depth (1 directly under the heading): "name value" with the value in column 27, or the name
 * alone when format is NULL. */
void xo_field(int depth, const char *name, const char *format, ...) __attribute__((format(printf, 3, 4)));
/* The same with the byte offset and length of what the field names. */
void xo_field_at(int depth, const char *name, size_t offset, size_t length, const char *format, ...)
    __attribute__((format(printf, 5, 6)));
/* Bytes as hex. */
void xo_hex(int depth, const char *name, const unsigned char *p, size_t n);
/* A field whose value is an inner token, explained next: "name (N bytes):". */
void xo_inner(int depth, const char *name, size_t offset, size_t length);

/* Malformed input: "program: offset N: what" on stderr, and the current message's error in JSON. Returns 1. */
int xo_error(size_t offset, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* A line between messages of one run (text), nothing in JSON. */
void xo_separator(void);

/* Set when a check with a key failed (a wrong password, an altered message): the tool exits 1. */
extern int xo_check_failed;

/* Prints the JSON document (when xo_json) and frees what was collected. */
void xo_finish(void);

#endif
