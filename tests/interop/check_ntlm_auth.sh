#!/bin/sh
# Interop: python3-ntlm-auth as the NTLM client of our AcceptSecurityContext, sealing both ways.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
py=/usr/bin/python3
if ! $py -c 'import ntlm_auth' 2>/dev/null; then
    echo "python3-ntlm-auth is not installed (apt-get install python3-ntlm-auth)"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
# ntlm-auth computes MD4 through OpenSSL, whose 3.x keeps MD4 in the legacy provider.
conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
cat > "$conf" <<'CONF'
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
legacy = legacy_sect
[default_sect]
activate = 1
[legacy_sect]
activate = 1
CONF
OPENSSL_CONF=$conf $py "$top_srcdir/tests/interop/ntlm_auth_client.py" "$top_builddir/tests/interop/ntlm_peer" server
