#!/bin/sh
# One command on a fresh Debian machine: install what is missing, build, and run the demo.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/deps.sh"
cd "$top"
[ -x configure ] || ./autogen.sh
mkdir -p _build && cd _build
[ -f Makefile ] || ../configure --quiet
make -s -j"$(nproc)"
make -s demo
