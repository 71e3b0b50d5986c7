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
    char detail[200];
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

enum { LEFT = 250, RIGHT = 800, TOP = 90, ROW = 64, WIDTH = 1050, NOTE = 440 };

static int lifeline_x(enum diagram_side side) { return side == DIAGRAM_CLIENT ? LEFT : RIGHT; }

int diagram_write(const char *path, const char *title)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int height = TOP + ROW * (int)nevents + 40;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
    xml_text(f, title);
    fputs("</title>\n<style>\n"
          "body{font-family:sans-serif;margin:24px;color:#222}\n"
          "svg text{font-family:monospace;font-size:12px}\n"
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
    for (int side = 0; side < 2; side++) {
        int x = lifeline_x((enum diagram_side)side);
        fprintf(f, "<text class=\"head\" x=\"%d\" y=\"40\" text-anchor=\"middle\">%s</text>\n", x, names[side]);
        fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"55\" x2=\"%d\" y2=\"%d\"/>\n", x, x, height - 20);
    }
    for (size_t i = 0; i < nevents; i++) {
        const struct event *e = &events[i];
        int y = TOP + ROW * (int)i;
        if (e->from == e->to) {
            int x = lifeline_x(e->from);
            fprintf(f, "<g class=\"note%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"44\" rx=\"4\"/>\n",
                    e->bad ? " bad" : "", x - NOTE / 2, y - 8, NOTE);
            fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x, y + 10);
            xml_text(f, e->label);
            fprintf(f, "</text><text class=\"detail\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x, y + 28);
            xml_text(f, e->detail);
            fputs("</text></g>\n", f);
        } else {
            int x1 = lifeline_x(e->from), x2 = lifeline_x(e->to);
            fprintf(f, "<g class=\"msg%s\"><line class=\"arrow\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                    e->bad ? " bad" : "", x1, y + 14, x2, y + 14);
            fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (x1 + x2) / 2, y + 6);
            xml_text(f, e->label);
            fprintf(f, "</text><text class=\"detail\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (x1 + x2) / 2,
                    y + 32);
            xml_text(f, e->detail);
            fputs("</text></g>\n", f);
        }
    }
    fputs("</svg>\n<p>Made by sspi-handshake --html. Arrows are tokens and messages crossing between the two "
          "sides; boxes are what happens on one side: a handle born, lent or closed. Red marks a failure or a "
          "misuse.</p>\n</body></html>\n",
          f);
    return fclose(f) ? -1 : 0;
}
