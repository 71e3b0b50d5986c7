#!/bin/sh
# Calls go down, never up (DESIGN.md, "Layers"): no file of a layer of libfakesspi includes a header of a
# layer above it, so core/ includes nothing but core/ and the public headers. The order, top to bottom:
#   gss > api > sspi > packages > security > core
# gss/ (the GSSAPI module) is a second front end beside api/: it calls sspi/ and packages/ as api/ does, and of
# api/ it uses only the start-up (api/api.h); api/ never includes gss/.
# A quoted include is resolved as the compiler resolves it: beside the including file first, then
# include/ (the public Windows headers, below every layer), then libfakesspi/. Packages also never see the
# handle table (core/handles.h): they get their own context objects, never handle values.
set -eu
: "${top_srcdir:=.}"
cd "$top_srcdir"

# One awk over every file: it resolves each include and compares the layers' ranks.
find libfakesspi -name '*.[ch]' | sort | xargs awk '
function rank(p) {
    if (p ~ /^libfakesspi\/gss\//) return 6
    if (p ~ /^libfakesspi\/api\//) return 5
    if (p ~ /^libfakesspi\/sspi\//) return 4
    if (p ~ /^libfakesspi\/packages\//) return 3
    if (p ~ /^libfakesspi\/security\//) return 2
    if (p ~ /^libfakesspi\/core\//) return 1
    return 0 # the public headers and system headers
}
function layer(p) { split(p, part, "/"); return part[2] }
function exists(p,  line, ok) { ok = (getline line < p) >= 0; close(p); return ok }
function normal(p) { # "a/b/../c" -> "a/c", so a path that climbs out is judged by where it lands
    while (p ~ /[^\/]+\/\.\.\//) sub(/[^\/]+\/\.\.\//, "", p)
    gsub(/\/\.\//, "/", p)
    return p
}
/^[ \t]*#[ \t]*include[ \t]*["<]/ {
    inc = $0
    sub(/^[^"<]*["<]/, "", inc)
    sub(/[">].*$/, "", inc)
    checked++
    dir = FILENAME
    sub(/\/[^\/]*$/, "", dir)
    if (exists(dir "/" inc)) target = normal(dir "/" inc)
    else if (exists("include/" inc)) next
    else if (exists("libfakesspi/" inc)) target = normal("libfakesspi/" inc)
    else next # a system header
    if (rank(target) > rank(FILENAME)) {
        printf "%s:%d: includes %s: %s is below %s\n", FILENAME, FNR, inc, layer(FILENAME), layer(target)
        bad = 1
    }
    if (layer(FILENAME) == "gss" && layer(target) == "api" && target != "libfakesspi/api/api.h") {
        printf "%s:%d: includes %s: gss/ uses only the start-up of api/ (api/api.h)\n", FILENAME, FNR, inc
        bad = 1
    }
    if (layer(FILENAME) == "packages" && target == "libfakesspi/core/handles.h") {
        printf "%s:%d: includes %s: a package never touches the handle table\n", FILENAME, FNR, inc
        bad = 1
    }
}
END {
    if (checked < 100) { printf "FAIL: only %d includes found: is top_srcdir right?\n", checked; exit 1 }
    if (bad) { print "FAIL: a layer includes a layer above it"; exit 1 }
    printf "PASS: %d includes, none reaches a layer above its own (gss > api > sspi > packages > security > core)\n", checked
}' || exit 1
