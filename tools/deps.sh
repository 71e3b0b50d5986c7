#!/bin/sh
# Installs the Debian packages libfakesspi needs to build and test (run as root; a no-op when present).
set -eu
packages="build-essential autoconf automake libtool pkg-config check uuid-dev nettle-dev zlib1g-dev mingw-w64-common curl python3-ntlm-auth libkrb5-dev krb5-user krb5-kdc krb5-admin-server tshark gss-ntlmssp krb5-gss-samples python3-gssapi postgresql groff-base chromium freerdp2-shadow-x11 freerdp2-x11 xvfb libdw-dev gdb libgtest-dev cmake gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages:$missing (run: sudo apt-get install$missing)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
