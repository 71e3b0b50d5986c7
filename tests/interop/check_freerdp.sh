#!/bin/sh
# Interop: FreeRDP's RDP server (freerdp-shadow-cli, Debian's FreeRDP 2) loads libfakesspi as its SSPI module
# through WinPR's registry file and authenticates stock xfreerdp clients over NLA (CredSSP, Negotiate with bare
# NTLMSSP), on the loopback only. Our trace must show every leg, so a silent fallback to WinPR's own NTLM fails.
# It writes /etc/winpr/HKLM.reg (restored afterwards), so it runs as root only.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
missing=""
for p in freerdp-shadow-cli xfreerdp Xvfb; do
    command -v "$p" >/dev/null || missing="$missing $p"
done
if [ "$(id -u)" != 0 ]; then
    echo "SKIP: writes WinPR's /etc/winpr/HKLM.reg, so it needs root"
    exit 77
fi
if [ -n "$missing" ]; then
    echo "missing:$missing (apt-get install freerdp2-shadow-x11 freerdp2-x11 xvfb)"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
if [ -n "${SAN_FLAGS:-}" ]; then
    # FreeRDP's programs are not built with the sanitizers, so they cannot load a sanitized library.
    echo "SKIP: a sanitizer build of libfakesspi cannot be loaded into FreeRDP's uninstrumented server"
    exit 77
fi
lib=$(cd "$top_builddir" && pwd)/.libs/libfakesspi.so.0
[ -f "$lib" ] || { echo "FAIL: no $lib (was the shared library built?)"; exit 1; }

# One run at a time on this machine: the registry file is global.
exec 9>/tmp/fakesspi-check-freerdp.lock
flock 9

tmp=$(mktemp -d)
reg=/etc/winpr/HKLM.reg
xvfb=""; server=""; created_dir=""; saved=""
cleanup() {
    set +e
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
    case $saved in
        copy) cp -p "$tmp/HKLM.reg.saved" "$reg" ;;
        none) rm -f "$reg" ;;
    esac
    [ -n "$created_dir" ] && rmdir /etc/winpr 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
[ -d /etc/winpr ] || { mkdir /etc/winpr; created_dir=yes; }
if [ -e "$reg" ]; then cp -p "$reg" "$tmp/HKLM.reg.saved"; saved=copy; else saved=none; fi
trap 'exit 1' INT TERM

# WinPR 2.11 reads only the str:"..." form of a string value; a plain "..." value is dropped without a word.
printf '[HKEY_LOCAL_MACHINE\\Software\\FreeRDP\\FreeRDP\\Server]\n"SspiModule"=str:"%s"\n' "$lib" > "$reg"

# Xvfb on a display no other X server here uses (lock file, socket file or abstract socket), away from the
# low numbers desktops and other tests take; -displayfd says when it accepts connections. -noreset: the shadow
# server opens the display, closes it and opens it again, and an Xvfb resetting after its last client has gone
# sometimes refuses that second connection.
# (Children do not inherit the lock's descriptor, so a stray one cannot hold the lock.)
display_busy() {
    [ -e "/tmp/.X$1-lock" ] || [ -e "/tmp/.X11-unix/X$1" ] || grep -q "@/tmp/.X11-unix/X$1\$" /proc/net/unix
}
display=$((100 + $$ % 100))
while display_busy $display; do display=$((display + 1)); done
Xvfb ":$display" -displayfd 8 -noreset -nolisten tcp -screen 0 800x600x24 8>"$tmp/display" >"$tmp/xvfb.log" 2>&1 9>&- &
xvfb=$!
i=0
while [ ! -s "$tmp/display" ]; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 $xvfb 2>/dev/null; then echo "FAIL: Xvfb did not start"; cat "$tmp/xvfb.log"; exit 1; fi
    sleep 0.1
done
DISPLAY=:$(head -n 1 "$tmp/display")
export DISPLAY
# The programs keep certificates and known hosts under $HOME: a private one.
HOME=$tmp XDG_CONFIG_HOME=$tmp/.config
export HOME XDG_CONFIG_HOME

listening() { # listening PORT: is something listening on 127.0.0.1:PORT?
    awk -v p="$(printf '%04X' "$1")" 'toupper($2) == "0100007F:" p && $4 == "0A" {found = 1} END {exit !found}' \
        /proc/net/tcp
}
port=$((33900 + $$ % 1000))
while listening $port || awk -v p="$(printf ':%04X' $port)" 'index(toupper($2), p) {f = 1} END {exit !f}' \
        /proc/net/tcp6 2>/dev/null; do
    port=$((port + 1))
done

trace=$tmp/trace
FAKESSPI_TRACE=$trace freerdp-shadow-cli /bind-address:127.0.0.1 /port:$port /sec:nla >"$tmp/server.log" 2>&1 9>&- &
server=$!
i=0
until listening $port; do
    i=$((i + 1))
    if [ $i -gt 150 ] || ! kill -0 $server 2>/dev/null; then
        echo "FAIL: freerdp-shadow-cli is not listening on 127.0.0.1:$port"; tail -20 "$tmp/server.log"; exit 1
    fi
    sleep 0.1
done

status=0
n=0
# client EXPECT NAME ARGS...: runs xfreerdp, checks its exit and the server's trace of this connection.
client() {
    expect=$1; name=$2; shift 2
    n=$((n + 1))
    before=0
    [ -f "$trace" ] && before=$(wc -l < "$trace") # the server opens its trace at its first call
    set +e
    timeout 60 xfreerdp /v:127.0.0.1:$port /cert:ignore /sec:nla +auth-only "$@" >"$tmp/client$n.log" 2>&1 9>&-
    rc=$?
    set -e
    # The server finishes the connection after the client has gone: wait for its last call.
    i=0
    while :; do
        tail -n +$((before + 1)) "$trace" > "$tmp/trace$n" 2>/dev/null || :
        grep -q "DeleteSecurityContext(" "$tmp/trace$n" && break
        i=$((i + 1)); [ $i -le 100 ] || break
        sleep 0.1
    done
    if [ "$expect" = accept ]; then
        ok=yes
        [ $rc -eq 0 ] || { echo "xfreerdp exited $rc"; ok=no; }
        # The CredSSP server's calls, in order: both legs, the public key's check and echo, the TSCredentials,
        # then the impersonation.
        awk '
            /AcceptSecurityContext\(.*pInput=\[TOKEN [0-9]+\].* = SEC_I_CONTINUE_NEEDED$/ && s == 0 {s = 1; next}
            /AcceptSecurityContext\(.*pOutput=\[TOKEN 0\].* = SEC_E_OK$/ && s == 1 {s = 2; next}
            /QueryContextAttributesA\(.*SECPKG_ATTR_SIZES.* = SEC_E_OK$/ && s == 2 {s = 3; next}
            /DecryptMessage\(.*pMessage=\[TOKEN 16, DATA [0-9]+\].* = SEC_E_OK$/ && s == 3 {s = 4; next}
            /EncryptMessage\(.*pMessage=\[TOKEN 16, DATA [0-9]+\].* = SEC_E_OK$/ && s == 4 {s = 5; next}
            /DecryptMessage\(.*pMessage=\[TOKEN 16, DATA [0-9]+\].* = SEC_E_OK$/ && s == 5 {s = 6; next}
            /ImpersonateSecurityContext\(.* = SEC_E_OK$/ && s == 6 {s = 7; next}
            /RevertSecurityContext\(.* = SEC_E_OK$/ && s == 7 {s = 8; next}
            END {exit s != 8}' "$tmp/trace$n" || { echo "our trace lacks the CredSSP server's calls"; ok=no; }
    else
        ok=yes
        [ $rc -ne 0 ] || { echo "xfreerdp exited 0"; ok=no; }
        grep -q "AcceptSecurityContext(.* = SEC_E_LOGON_DENIED$" "$tmp/trace$n" ||
            { echo "our trace lacks the refusal"; ok=no; }
        ! grep -q "ImpersonateSecurityContext(" "$tmp/trace$n" || { echo "the server impersonated"; ok=no; }
    fi
    if [ $ok = yes ]; then
        printf 'PASS: %s\n' "$name"
    else
        printf 'FAIL: %s\n' "$name"; status=1
        echo "--- our trace:"; cat "$tmp/trace$n"; echo "--- client:"; tail -15 "$tmp/client$n.log"
        echo "--- server:"; tail -15 "$tmp/server.log"
    fi
}

client accept "alice with /d:EXAMPLE logs on" /u:alice /p:'Passw0rd!' /d:EXAMPLE
client refuse "alice with a wrong password is refused" /u:alice /p:'Passw0rd?' /d:EXAMPLE
client accept 'EXAMPLE\alice logs on' /u:'EXAMPLE\alice' /p:'Passw0rd!'
client accept "alice@example.test logs on" /u:alice@example.test /p:'Passw0rd!'
client accept "bob logs on" /u:bob /p:'Hunter2!' /d:EXAMPLE
client refuse "bob with alice's password is refused" /u:bob /p:'Passw0rd!' /d:EXAMPLE
exit $status
