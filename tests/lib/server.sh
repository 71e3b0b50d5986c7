# Sourced by the script tests that run a server in the background and a client against it: one way to start
# the server, learn its port and collect its exit status, safe under load.
#
#   start_server OUT ERR COMMAND [ARG...]
#       Starts COMMAND in the background, its standard output into the file OUT and its standard error into
#       ERR (one file for both when OUT and ERR are the same path), and waits until either says
#       "listening on 127.0.0.1:PORT" on a whole line. Sets server_pid and server_port and returns 0; if the
#       server exits or stays silent for SERVER_START_SECONDS (default 60), stops it, leaves server_port
#       empty and returns 1.
#   wait_server
#       Waits for the server to exit and sets server_rc to its exit status. A server still running after
#       SERVER_RUN_SECONDS (default 300) from its start is killed (server_rc 124), so a client that never
#       connected cannot hang the suite.
#
# Both files are created (empty) before the server starts, so a poll never reads a file that is not there
# yet, nor the previous run's port: no rm -f races the server's own open.

# The first whole line of FILE saying where the server listens, as its port; nothing if there is none yet.
# A line still being written has no newline: the X appended after the file keeps it from matching.
server_port_in() {
    { cat "$1" 2>/dev/null; printf 'X\n'; } | sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' | head -n 1
}

# True once the server has exited (a zombie until wait_server reaps it; kill -0 cannot tell).
server_exited() {
    _state=$(sed -n 's/^.*) \(.\).*/\1/p' "/proc/$server_pid/stat" 2>/dev/null || true)
    [ -z "$_state" ] || [ "$_state" = Z ]
}

start_server() {
    _out=$1 _err=$2
    shift 2
    : > "$_out"
    : > "$_err"
    if [ "$_out" = "$_err" ]; then
        timeout "${SERVER_RUN_SECONDS:-300}" "$@" >> "$_out" 2>&1 &
    else
        timeout "${SERVER_RUN_SECONDS:-300}" "$@" >> "$_out" 2>> "$_err" &
    fi
    server_pid=$!
    server_port=""
    _tries=$(( ${SERVER_START_SECONDS:-60} * 10 ))
    while [ "$_tries" -gt 0 ]; do
        server_port=$(server_port_in "$_out")
        [ -n "$server_port" ] || [ "$_out" = "$_err" ] || server_port=$(server_port_in "$_err")
        [ -n "$server_port" ] && return 0
        server_exited && break
        _tries=$((_tries - 1))
        sleep 0.1
    done
    echo "start_server: $1 did not say where it listens; it wrote: $(cat "$_out" "$_err")" >&2
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    return 1
}

wait_server() {
    server_rc=0
    wait "$server_pid" || server_rc=$?
}
