# Sourced by the GSSAPI module's test scripts (tests/gss/check_gss_*.sh): the preamble they share. Set top_builddir
# and top_srcdir first. Gives:
#   module            the built module (fakesspi_gss.so), by its absolute path once gss_skip_unless_ready passed
#   gss_need TEXT     adds a missing requirement (an apt-get hint) to the list gss_skip_unless_ready reports
#   gss_skip_unless_ready
#                     without the module or a requirement: says what is missing and skips (77), except as root in
#                     CI, where tools/deps.sh installs everything and a skip would hide a failure (1)
#   gss_mech_line     the GSS_MECH_CONFIG line naming the module as an interposer (doc/gssapi.md)
#   gss_no_kdc        exports the settings under which only the module can answer: MIT's own Kerberos pointed at
#                     files that do not exist, unset FAKESSPI_* that would change a run, and the seed
#   sanitized         the environment words a sanitizer build needs in a program built without the sanitizer: its
#                     runtime preloaded, LeakSanitizer off (MIT's programs free little on their way out, which is
#                     theirs to answer for); empty in a plain build. Use: env $sanitized prog ...
module="$top_builddir/.libs/fakesspi_gss.so"
gss_missing=
[ -f "$module" ] || gss_missing="the GSSAPI module (apt-get install libkrb5-dev, then reconfigure)"

gss_need() { gss_missing="${gss_missing:+$gss_missing, }$*"; }

gss_skip_unless_ready() {
    if [ -n "$gss_missing" ]; then
        echo "missing: $gss_missing"
        [ "$(id -u)" = 0 ] && exit 1
        exit 77
    fi
    module="$(cd "$(dirname "$module")" && pwd)/fakesspi_gss.so"
    gss_preload=$(ldd "$module" | awk '/lib(asan|tsan|ubsan)\.so/ { printf "%s%s", sep, $3; sep = ":" }')
    sanitized="${gss_preload:+LD_PRELOAD=$gss_preload ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0}"
}

gss_mech_line() {
    echo "fakesspi_krb5 2.25.210393196397943433797370956326399584433 $module <interposer>"
}

gss_no_kdc() {
    unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN GSS_MECH_CONFIG
    export KRB5_CONFIG=/nonexistent/krb5.conf KRB5CCNAME=FILE:/nonexistent/ccache \
        KRB5_KTNAME=FILE:/nonexistent/keytab FAKESSPI_SEED=17
}
