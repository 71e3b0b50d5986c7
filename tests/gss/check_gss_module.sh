#!/bin/sh
# The GSSAPI module (doc/gssapi.md) through MIT's own libgssapi_krb5: tests/gss/test_gss_module is built only
# where configure found MIT's GSSAPI (Debian libkrb5-dev). Without it the test is skipped, except as root in
# CI, where tools/deps.sh installs it and its absence is a failure.
set -eu
: "${top_builddir:=.}"
prog="$top_builddir/tests/gss/test_gss_module"
if [ ! -x "$prog" ]; then
    echo "MIT GSSAPI missing (apt-get install libkrb5-dev, then reconfigure): the GSSAPI module was not built"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
LSAN_OPTIONS="suppressions=${top_srcdir:-.}/tests/gss/mechglue-leak.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
exec "$prog"
