# Used by the script tests whose servers are inetd-style (MIT's gss-server -inetd): listens on a free port of
# 127.0.0.1, says "listening on 127.0.0.1:PORT" as tests/lib/server.sh's start_server waits for, and runs
#   python3 inetd_listen.py COUNT COMMAND [ARG...]
# once for each of COUNT connections, the connection as the command's standard input; exits with the highest
# status a run had.
import socket, subprocess, sys

count, argv = int(sys.argv[1]), sys.argv[2:]
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print("listening on 127.0.0.1:%d" % s.getsockname()[1], flush=True)
status = 0
for _ in range(count):
    conn, _ = s.accept()
    status = max(status, subprocess.call(argv, stdin=conn))
    conn.close()
sys.exit(status)
