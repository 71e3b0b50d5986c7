#!/bin/sh
# Debian's PostgreSQL server and psql, unmodified, log in with `gss` authentication through the GSSAPI module
# (doc/gssapi.md) with no KDC and no keytab. The server (initdb'd in a temp dir, listening on 127.0.0.1 only at a
# free port, its unix socket in the temp dir) runs as svc_server, the owner of the SPN
# postgres/server.example.test, which this test's domain adds to the default one; psql runs as alice. Checked:
# alice logs in with no password, and pg_stat_gssapi for her own backend says gss_authenticated, principal
# alice@EXAMPLE.TEST and, for gssencmode=require, encrypted (PostgreSQL's own framing of gss_wrap/gss_unwrap
# packets, both ways); with gssencmode=disable, authenticated but not encrypted. Refused: bob, who has no role,
# alice asking for another's role, and a service host the domain has no SPN for. PostgreSQL refuses to run as
# root: as root the server runs as the postgres account (else nobody), with the temp dir its own. The server is
# stopped in every outcome.
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
module="$top_builddir/.libs/fakesspi_gss.so"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
missing=
[ -f "$module" ] || missing="the GSSAPI module (apt-get install libkrb5-dev, then reconfigure)"
[ -n "$pgbin" ] && [ -x "$pgbin/postgres" ] && [ -x "$pgbin/psql" ] || missing="$missing PostgreSQL (apt-get install postgresql)"
command -v python3 >/dev/null || missing="$missing python3 (to find a free port)"
if [ -n "$missing" ]; then
    echo "missing: $missing"
    exit 77
fi
module=$(cd "$(dirname "$module")" && pwd)/fakesspi_gss.so

# A sanitizer build's module needs its runtime preloaded into the server, and Debian's initdb, with libasan
# preloaded, does not finish: the plain build runs this test.
if ldd "$module" | grep -q 'lib\(asan\|tsan\|ubsan\)\.so'; then
    echo "a sanitizer build: PostgreSQL cannot load this module without the sanitizer runtime preloaded"
    exit 77
fi

dir=$(mktemp -d)
chmod 755 "$dir"
as_server=
if [ "$(id -u)" = 0 ]; then
    account=postgres
    getent passwd postgres >/dev/null || account=nobody
    as_server="runuser -u $account --"
fi
server_up=
stop_server() {
    if [ -n "$server_up" ]; then
        $as_server "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
        server_up=
    fi
}
trap 'stop_server; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN PGHOST PGHOSTADDR PGPORT \
    PGUSER PGDATABASE PGGSSENCMODE PGSSLMODE PGSERVICE PGKRBSRVNAME PGPASSWORD PGPASSFILE PGOPTIONS
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

# The default domain's accounts, with svc_server owning postgres/server.example.test as well.
cat > "$dir/domain.ini" <<'EOF'
[domain]
netbios = EXAMPLE
dns = example.test
sid = S-1-5-21-1000000001-2000000002-3000000003
computer = SERVER
[group Domain Users]
rid = 513
[user krbtgt]
rid = 502
password = Krbtgt!key-of-EXAMPLE
disabled = yes
[user alice]
rid = 1104
password = Passw0rd!
[user bob]
rid = 1105
password = Hunter2!
[user svc_server]
rid = 1106
password = S3rv1ce!pass
spn = host/server.example.test, postgres/server.example.test
EOF
# A copy of the module beside the domain file, where the server's account can read it even when the build tree
# is private to root.
cp "$module" "$dir/fakesspi_gss.so"
echo "fakesspi_krb5 2.25.210393196397943433797370956326399584433 $dir/fakesspi_gss.so <interposer>" > "$dir/mech.conf"
export GSS_MECH_CONFIG="$dir/mech.conf" FAKESSPI_DOMAIN="$dir/domain.ini" KRB5_CONFIG=/nonexistent/krb5.conf \
    KRB5CCNAME=FILE:/nonexistent/ccache KRB5_KTNAME=FILE:/nonexistent/keytab FAKESSPI_SEED=17 \
    LC_ALL=C PGCONNECT_TIMEOUT=20
mkdir "$dir/data" "$dir/sock"
: > "$dir/server.log"
[ -z "$as_server" ] || chown "$account" "$dir/data" "$dir/sock" "$dir/server.log"

if ! $as_server "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale > "$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log"
    echo "FAIL: initdb"
    exit 1
fi
# Superuser setup over the private unix socket; every TCP connection (127.0.0.1 only) logs in with GSSAPI.
cat > "$dir/pg_hba.conf" <<'EOF'
local all postgres trust
hostgssenc all all 127.0.0.1/32 gss include_realm=0
host all all 127.0.0.1/32 gss include_realm=0
EOF
cp "$dir/pg_hba.conf" "$dir/data/pg_hba.conf"
[ -z "$as_server" ] || chown "$account" "$dir/data/pg_hba.conf"

# A free port: the kernel picks one, the server takes it; a race with another process is retried.
tries=5
while [ -z "$server_up" ] && [ "$tries" -gt 0 ]; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if $as_server env FAKESSPI_USER=svc_server "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/sock -c unix_socket_permissions=0700 -c log_connections=on" \
        start > "$dir/pg_ctl.log" 2>&1; then
        server_up=yes
    fi
    grep -q 'could not bind\|Address already in use' "$dir/server.log" || break
    tries=$((tries - 1))
done
if [ -z "$server_up" ]; then
    cat "$dir/pg_ctl.log" "$dir/server.log"
    echo "FAIL: the PostgreSQL server did not start"
    exit 1
fi
$as_server "$pgbin/psql" -X -q -h "$dir/sock" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c 'CREATE ROLE alice LOGIN' > "$dir/setup.log" 2>&1 || { cat "$dir/setup.log"; fail "CREATE ROLE alice"; }

# psql as a user, through the module: the host name is the service's, the address loopback.
query='SELECT gss_authenticated, principal, encrypted FROM pg_stat_gssapi WHERE pid = pg_backend_pid()'
login() {
    _host=$1 _mode=$2
    shift 2
    env "$@" "$pgbin/psql" -X -w -A -t -F ' ' -c "$query" \
        "host=$_host hostaddr=127.0.0.1 port=$port dbname=postgres gssencmode=$_mode" < /dev/null
}

rc=0
out=$(login server.example.test require FAKESSPI_USER=alice PGUSER=alice 2> "$dir/psql.err") || rc=$?
[ "$rc" = 0 ] || fail "alice (gssencmode=require): psql exited with $rc: $(cat "$dir/psql.err")"
[ "$out" = "t alice@EXAMPLE.TEST t" ] || fail "alice (gssencmode=require): pg_stat_gssapi says '$out', not 't alice@EXAMPLE.TEST t'"

rc=0
out=$(login server.example.test disable FAKESSPI_USER=alice PGUSER=alice 2> "$dir/psql.err") || rc=$?
[ "$rc" = 0 ] || fail "alice (gssencmode=disable): psql exited with $rc: $(cat "$dir/psql.err")"
[ "$out" = "t alice@EXAMPLE.TEST f" ] || fail "alice (gssencmode=disable): pg_stat_gssapi says '$out', not 't alice@EXAMPLE.TEST f'"

rc=0
out=$(login server.example.test prefer FAKESSPI_USER=bob PGUSER=bob 2> "$dir/psql.err") || rc=$?
[ "$rc" != 0 ] || fail "bob, who has no role, logged in: $out"
grep -q 'role "bob" does not exist\|GSSAPI authentication failed for user "bob"' "$dir/psql.err" ||
    fail "bob was not refused for his missing role: $(cat "$dir/psql.err")"

rc=0
out=$(login server.example.test require FAKESSPI_USER=alice PGUSER=postgres 2> "$dir/psql.err") || rc=$?
[ "$rc" != 0 ] || fail "alice logged in as the role postgres: $out"
grep -q 'GSSAPI authentication failed for user "postgres"' "$dir/psql.err" ||
    fail "alice was not refused the role postgres: $(cat "$dir/psql.err")"

rc=0
out=$(login nowhere.example.test require FAKESSPI_USER=alice PGUSER=alice 2> "$dir/psql.err") || rc=$?
[ "$rc" != 0 ] || fail "a service host with no SPN logged in: $out"
grep -q 'GSSAPI' "$dir/psql.err" || fail "a service host with no SPN was not refused by GSSAPI: $(cat "$dir/psql.err")"

stop_server
if [ "$status" != 0 ]; then
    cat "$dir/server.log"
fi
if grep -q '^fakesspi: ' "$dir/server.log" "$dir/psql.err"; then
    grep '^fakesspi: ' "$dir/server.log" "$dir/psql.err"
    fail "the module reported a misuse or a leak"
fi
[ $status -eq 0 ] && echo "PASS: psql logged in to PostgreSQL as alice@EXAMPLE.TEST with gss, encrypted with gssencmode=require"
exit $status
