/* The sequence diagram: two lifelines, one row per event, plain SVG with no script, so that the page
 * opens anywhere and can be checked by rendering it. */
#include "handshake_diagram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct event {
    enum diagram_side from, to;
    int bad;
    char label[200];
    char detail[1536];
};

static struct event *events;
static size_t nevents, capacity;

void diagram_add(enum diagram_side from, enum diagram_side to, int bad, const char *label, const char *detail)
{
    if (nevents == capacity) {
        size_t cap = capacity ? capacity * 2 : 32;
        struct event *grown = realloc(events, cap * sizeof *grown);
        if (!grown)
            return; /* the diagram loses a row; the run itself goes on */
        events = grown;
        capacity = cap;
    }
    struct event *e = &events[nevents++];
    e->from = from;
    e->to = to;
    e->bad = bad;
    snprintf(e->label, sizeof e->label, "%s", label ? label : "");
    snprintf(e->detail, sizeof e->detail, "%s", detail ? detail : "");
}

void diagram_clear(void)
{
    free(events);
    events = NULL;
    nevents = capacity = 0;
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Layout in SVG units: the lifelines' x, the first row's y, a text line's height, the notes' width. Text is
 * 12px monospace, CHAR wide a character (DejaVu Sans Mono's 0.6 em, rounded up), so a line's width is known
 * here and long lines are wrapped to fit: an arrow's text between the lifelines, a note's inside its box. */
enum { LEFT = 250, RIGHT = 800, TOP = 90, LINE = 16, GAP = 22, WIDTH = 1050, NOTE = 460, PAD = 10 };
#define CHAR 7.3

static int lifeline_x(enum diagram_side side) { return side == DIAGRAM_CLIENT ? LEFT : RIGHT; }

/* The most characters a line of this event may have. */
static size_t columns(const struct event *e)
{
    int room = e->from == e->to ? NOTE - 2 * PAD : RIGHT - LEFT - 2 * PAD;
    return (size_t)(room / CHAR);
}

/* Splits the event's text into lines of at most cols characters: the label first, then each detail line,
 * wrapped after a space or a '|'. Calls emit for each; returns the count. */
static int lines(const struct event *e, size_t cols, void (*emit)(void *, const char *, size_t, int), void *arg)
{
    int n = 0;
    const char *parts[2] = {e->label, e->detail};
    for (int part = 0; part < 2; part++) {
        for (const char *s = parts[part]; *s;) {
            size_t len = strcspn(s, "\n");
            while (len > cols) {
                size_t cut = cols;
                while (cut > cols / 2 && s[cut - 1] != ' ' && s[cut - 1] != '|')
                    cut--;
                if (cut <= cols / 2)
                    cut = cols;
                if (emit)
                    emit(arg, s, cut, part);
                n++;
                s += cut;
                len -= cut;
            }
            if (emit)
                emit(arg, s, len, part);
            n++;
            s += len;
            if (*s == '\n')
                s++;
        }
    }
    return n;
}

/* One line of text, centred at x. */
struct pen {
    FILE *f;
    int x, y;
};

static void xml_text_n(FILE *f, const char *s, size_t n)
{
    char buf[1600];
    snprintf(buf, sizeof buf, "%.*s", (int)n, s);
    xml_text(f, buf);
}

static void emit_line(void *arg, const char *s, size_t n, int detail)
{
    struct pen *p = arg;
    fprintf(p->f, "<text%s x=\"%d\" y=\"%d\" text-anchor=\"middle\">", detail ? " class=\"detail\"" : "", p->x, p->y);
    xml_text_n(p->f, s, n);
    fputs("</text>\n", p->f);
    p->y += LINE;
}

/* The height an event takes: its lines, and for an arrow the line itself between label and detail. */
static int event_height(const struct event *e)
{
    int n = lines(e, columns(e), NULL, NULL);
    return e->from == e->to ? n * LINE + 2 * 6 : n * LINE + LINE;
}

int diagram_write(const char *path, const char *title)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int height = TOP + 40;
    for (size_t i = 0; i < nevents; i++)
        height += event_height(&events[i]) + GAP;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
    xml_text(f, title);
    fputs("</title>\n<style>\n"
          "body{font-family:sans-serif;margin:24px;color:#222}\n"
          "svg text{font-family:'DejaVu Sans Mono',monospace;font-size:12px}\n"
          ".head{font-size:15px;font-weight:bold}\n"
          ".life{stroke:#999;stroke-dasharray:4 4}\n"
          ".arrow{stroke:#1f5fa8;stroke-width:2;marker-end:url(#tip)}\n"
          ".bad .arrow{stroke:#c62828;marker-end:url(#badtip)}\n"
          ".note rect{fill:#fff8dc;stroke:#c9a227}\n"
          ".bad.note rect{fill:#fdecea;stroke:#c62828}\n"
          ".bad text{fill:#c62828}\n"
          ".detail{fill:#555}\n"
          "</style></head><body>\n<h1>", f);
    xml_text(f, title);
    fprintf(f, "</h1>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            WIDTH, height, WIDTH, height);
    fputs("<defs><marker id=\"tip\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
          "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1f5fa8\"/></marker>"
          "<marker id=\"badtip\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
          "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c62828\"/></marker></defs>\n",
          f);
    const char *names[] = {"client (InitializeSecurityContext)", "server (AcceptSecurityContext)"};
    /* Each lifeline is drawn in pieces between its own notes, so it never runs through their text. */
    int from_y[2] = {55, 55};
    for (int side = 0; side < 2; side++)
        fprintf(f, "<text class=\"head\" x=\"%d\" y=\"40\" text-anchor=\"middle\">%s</text>\n",
                lifeline_x((enum diagram_side)side), names[side]);
    int y = TOP;
    for (size_t i = 0; i < nevents; i++) {
        const struct event *e = &events[i];
        int h = event_height(e);
        if (e->from == e->to) {
            int x = lifeline_x(e->from);
            fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x, from_y[e->from], x, y);
            from_y[e->from] = y + h;
            fprintf(f, "<g class=\"note%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\"/>\n",
                    e->bad ? " bad" : "", x - NOTE / 2, y, NOTE, h);
            struct pen p = {f, x, y + 6 + 12};
            lines(e, columns(e), emit_line, &p);
            fputs("</g>\n", f);
        } else {
            int x1 = lifeline_x(e->from), x2 = lifeline_x(e->to);
            fprintf(f, "<g class=\"msg%s\">\n", e->bad ? " bad" : "");
            struct pen p = {f, (x1 + x2) / 2, y + 12};
            struct event label_only = *e;
            label_only.detail[0] = '\0';
            int label_lines = lines(&label_only, columns(e), emit_line, &p);
            int arrow_y = y + label_lines * LINE + 4;
            fprintf(f, "<line class=\"arrow\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x1, arrow_y, x2, arrow_y);
            struct event detail_only = *e;
            detail_only.label[0] = '\0';
            p.y = arrow_y + LINE + 2;
            lines(&detail_only, columns(e), emit_line, &p);
            fputs("</g>\n", f);
        }
        y += h + GAP;
    }
    for (int side = 0; side < 2; side++) {
        int x = lifeline_x((enum diagram_side)side);
        fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x, from_y[side], x, height - 20);
    }
    fputs("</svg>\n<p>Made by sspi-handshake --html. Arrows are tokens and messages crossing between the two "
          "sides, with the flags each call asked for and was granted; boxes are what happens on one side: "
          "credentials acquired, an access token made, lent or duplicated, impersonation and its end, a handle "
          "closed. Red marks a failure or a misuse.</p>\n</body></html>\n",
          f);
    return fclose(f) ? -1 : 0;
}
