#!/bin/sh
# Debian's curl, which makes Negotiate with MIT's GSSAPI (the SPNEGO mechanism, which the module answers with the
# SSPI Negotiate package: Kerberos inside, NTLM for a host that is no service of the domain; doc/semantics.md §64),
# logs in through the GSSAPI module (doc/gssapi.md) to the SSPI sample server examples/http_server, set up as a
# user sets it up:
# eval "$(fakesspi-gss-env)". The server runs as svc_server, the owner of HTTP/server.example.test
# (doc/semantics.md, "The service's own account"); curl reaches it on loopback under that host name. The
# client is the module's default user (alice), then FAKESSPI_USER=bob; a host the domain has no SPN for logs in
# with NTLM, as Windows' Negotiate falls back. Also fakesspi-gss-env's own contract: --help, --version, an unknown
# option.
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
env_tool="$top_builddir/tools/fakesspi-gss-env"
missing=
[ -x "$env_tool" ] || missing="the GSSAPI module and fakesspi-gss-env (apt-get install libkrb5-dev, then reconfigure)"
command -v curl >/dev/null || missing="$missing curl (apt-get install curl)"
if [ -z "$missing" ] && ! curl -V | grep -q '^Features:.* GSS-API' ; then
    missing="a curl with GSS-API (Debian's curl has it)"
fi
if [ -n "$missing" ]; then
    echo "missing: $missing"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
. "$top_srcdir/tests/lib/server.sh"

dir=$(mktemp -d)
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN GSS_MECH_CONFIG
export FAKESSPI_SEED=17
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

# The tool's options.
"$env_tool" --help > "$dir/help.out" || fail "--help exited with $?"
grep -q '^Usage: fakesspi-gss-env ' "$dir/help.out" || fail "--help printed no usage: $(cat "$dir/help.out")"
"$env_tool" --version | grep -q '^fakesspi-gss-env (libfakesspi) [0-9]' || fail "--version printed no version"
rc=0
"$env_tool" --bogus > "$dir/bogus.out" 2> "$dir/bogus.err" || rc=$?
[ "$rc" = 2 ] || fail "an unknown option exited with $rc, not 2"
[ -s "$dir/bogus.out" ] && fail "an unknown option still printed an environment: $(cat "$dir/bogus.out")"
grep -q "unknown option '--bogus'" "$dir/bogus.err" || fail "an unknown option was not named: $(cat "$dir/bogus.err")"

# As a user would: a private file under $XDG_RUNTIME_DIR, named by the one variable printed.
mkdir "$dir/run"
eval "$(XDG_RUNTIME_DIR="$dir/run" "$env_tool")"
case $GSS_MECH_CONFIG in
"$dir"/run/fakesspi-gss.*) ;;
*) fail "the mech config is not under \$XDG_RUNTIME_DIR: $GSS_MECH_CONFIG" ;;
esac
[ "$(stat -c %a "$GSS_MECH_CONFIG")" = 600 ] || fail "the mech config is not private: $(stat -c %a "$GSS_MECH_CONFIG")"
module=$(cd "$top_builddir/.libs" && pwd)/fakesspi_gss.so
[ "$(head -n 1 "$GSS_MECH_CONFIG")" = "fakesspi_krb5 2.25.210393196397943433797370956326399584433 $module <interposer>" ] ||
    fail "the mech config does not name the build tree's module: $(cat "$GSS_MECH_CONFIG")"
sed -n 2p "$GSS_MECH_CONFIG" | grep -q '^gssntlmssp_v1 1\.3\.6\.1\.4\.1\.311\.2\.2\.10 ' ||
    fail "the mech config has no NTLMSSP line for the module to take over: $(cat "$GSS_MECH_CONFIG")"

# A sanitizer build's module would need its runtime preloaded into curl, which is built without it, and
# Debian's curl hangs with libasan preloaded even on a plain request with no GSSAPI: in a sanitizer build the
# tool's checks above are all that run (the plain build runs the login).
if ldd "$module" | grep -q 'lib\(asan\|tsan\|ubsan\)\.so'; then
    rm -f "$GSS_MECH_CONFIG"
    [ $status -eq 0 ] || exit 1
    echo "a sanitizer build: curl cannot run with the sanitizer runtime preloaded, the login is not checked"
    exit 77
fi

start_server "$dir/server.log" "$dir/server.log" env -u GSS_MECH_CONFIG FAKESSPI_USER=svc_server \
    "$top_builddir/examples/http_server" 0 3 || { echo "FAIL: examples/http_server did not start"; exit 1; }
login() {
    _host=$1
    shift
    env "$@" curl -sS --max-time 20 --negotiate -u : -o "$dir/body" -w '%{http_code}' \
        --resolve "$_host:$server_port:127.0.0.1" "http://$_host:$server_port/" 2> "$dir/curl.err"
}

rc=0
code=$(login server.example.test FAKESSPI_TRACE="$dir/trace") || rc=$?
[ "$rc" = 0 ] && [ "$code" = 200 ] || fail "alice: curl exited with $rc, HTTP $code: $(cat "$dir/curl.err")"
# curl asked for SPNEGO, and the module's SPNEGO (the Negotiate package) answered, not MIT's.
grep 'gss_init_sec_context' "$dir/trace" | grep -q 'SPNEGO' ||
    fail "the module's SPNEGO did not answer curl: $(cat "$dir/trace")"
grep -qx 'Hello EXAMPLE\\alice' "$dir/body" || fail "the server did not see alice: $(cat "$dir/body")"
grep -qx 'authenticated with Kerberos' "$dir/body" || fail "alice did not log in with Kerberos: $(cat "$dir/body")"
grep -qx 'member of Authentication authority asserted identity' "$dir/body" ||
    fail "alice's token has no S-1-18-1: $(cat "$dir/body")"

rc=0
code=$(login server.example.test FAKESSPI_USER=bob) || rc=$?
[ "$rc" = 0 ] && [ "$code" = 200 ] || fail "bob: curl exited with $rc, HTTP $code: $(cat "$dir/curl.err")"
grep -qx 'Hello EXAMPLE\\bob' "$dir/body" || fail "the server did not see bob: $(cat "$dir/body")"

rc=0
code=$(login nowhere.example.test) || rc=$?
[ "$rc" = 0 ] && [ "$code" = 200 ] || fail "a host with no SPN: curl exited with $rc, HTTP $code: $(cat "$dir/curl.err")"
grep -qx 'Hello EXAMPLE\\alice' "$dir/body" || fail "the server did not see alice over NTLM: $(cat "$dir/body")"
grep -qx 'authenticated with NTLM' "$dir/body" ||
    fail "a host with no SPN did not fall back to NTLM inside SPNEGO: $(cat "$dir/body")"

wait_server
server_pid=""
cat "$dir/server.log"
[ "$server_rc" = 0 ] || fail "examples/http_server exited with $server_rc"
if grep -q '^fakesspi: ' "$dir/curl.err" "$dir/server.log"; then
    fail "a misuse or a leak was reported"
fi
rm -f "$GSS_MECH_CONFIG"
[ $status -eq 0 ] && printf '%s\n' "PASS: curl --negotiate through fakesspi-gss-env's SPNEGO logged in to examples/http_server as EXAMPLE\\alice and EXAMPLE\\bob (Kerberos), and as EXAMPLE\\alice to a host with no SPN (NTLM)"
exit $status
