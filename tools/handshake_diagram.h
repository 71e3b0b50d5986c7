/* sspi-handshake --html: the run as one self-contained HTML page with an SVG sequence diagram. */
#ifndef TOOLS_HANDSHAKE_DIAGRAM_H
#define TOOLS_HANDSHAKE_DIAGRAM_H

enum diagram_side { DIAGRAM_CLIENT, DIAGRAM_SERVER };

/* An arrow from one side to the other (a token or a message crossing), or, with from == to, a note on
 * that side's lifeline (credentials acquired, a handle born, lent, closed, impersonation). bad draws it red
 * (a failed call, a misuse). detail may hold several lines ('\n'); a line too long for its box is wrapped
 * at a space or a '|'. */
void diagram_add(enum diagram_side from, enum diagram_side to, int bad, const char *label, const char *detail);
/* Writes the page; 0, or -1 with errno set. */
int diagram_write(const char *path, const char *title);
void diagram_clear(void);

#endif
