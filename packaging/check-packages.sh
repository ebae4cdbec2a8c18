#!/usr/bin/env bash
# Builds the Debian packages from a build folder with CPack and checks them:
#   - cpack -G DEB makes exactly frontdesk_*.deb and frontdesk-relay_*.deb;
#   - their control fields: name, version, maintainer, and Depends from dpkg-shlibdeps that
#     name the Qt libraries;
#   - unpacked with dpkg -x into a scratch folder, they hold every expected file;
#   - desktop-file-validate, appstreamcli validate --no-net, man -l (no warnings) and, when
#     systemd-analyze is there, systemd-analyze verify pass;
#   - the unpacked frontdesk-relay --help, frontdesk --version and frontdesk-sandbox --version
#     run, and the unpacked console loads its Russian translation from the installed location.
# With CI=true, as root, and when neither package is installed yet, it also installs both
# packages with apt-get, runs the installed programs and purges the packages again.
#
# Usage: packaging/check-packages.sh BUILD_DIR VERSION   (CTest runs it as the test "packaging")
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR VERSION}" && pwd)
version=${2:?usage: $0 BUILD_DIR VERSION}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
out=$scratch/out
root=$scratch/root
failures=0

fail() {
    printf 'FAIL: %s\n' "$*" >&2
    failures=$((failures + 1))
}
ok() { printf 'ok: %s\n' "$*"; }
need() {
    command -v "$1" >/dev/null 2>&1 || {
        printf 'FAIL: %s is missing (Debian package %s, see scripts/debian-packages.txt)\n' "$1" "$2" >&2
        exit 1
    }
}
need cpack cmake
need dpkg-shlibdeps dpkg-dev
need desktop-file-validate desktop-file-utils
need appstreamcli appstream
need man man-db

# --- build the packages ---------------------------------------------------------------------
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out" >"$scratch/cpack.log" 2>&1; then
    cat "$scratch/cpack.log" >&2
    echo "FAIL: cpack -G DEB" >&2
    exit 1
fi
mapfile -t debs < <(find "$out" -maxdepth 1 -name '*.deb' -printf '%f\n' | sort)
console_deb=$(printf '%s\n' "${debs[@]}" | grep -E '^frontdesk_[^_]+_[^_]+\.deb$' || true)
relay_deb=$(printf '%s\n' "${debs[@]}" | grep -E '^frontdesk-relay_[^_]+_[^_]+\.deb$' || true)
if [ ${#debs[@]} -ne 2 ] || [ -z "$console_deb" ] || [ -z "$relay_deb" ]; then
    echo "FAIL: expected frontdesk_*.deb and frontdesk-relay_*.deb, cpack made: ${debs[*]:-nothing}" >&2
    exit 1
fi
ok "cpack -G DEB made $console_deb and $relay_deb"

# --- control fields ---------------------------------------------------------------------------
check_control() {
    local deb=$out/$1 package=$2
    shift 2
    local field depends names
    for field in Package Version Architecture Maintainer Description Depends; do
        [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "$package: the control field $field is empty"
    done
    [ "$(dpkg-deb -f "$deb" Package)" = "$package" ] || fail "$package: Package is $(dpkg-deb -f "$deb" Package)"
    case "$(dpkg-deb -f "$deb" Version)" in
    "$version"-*) ;;
    *) fail "$package: Version $(dpkg-deb -f "$deb" Version) is not the project's $version" ;;
    esac
    depends=$(dpkg-deb -f "$deb" Depends)
    # The package names alone, one a line: no versions, alternatives split.
    names=$(sed 's/ *([^)]*)//g; s/ *[,|] */\n/g' <<<"$depends")
    for lib in libc6 libstdc++6 libqt6core6 libqt6network6 libqt6sql6-sqlite "$@"; do
        grep -qxF "$lib" <<<"$names" || fail "$package: Depends lacks $lib: $depends"
    done
    ok "$package: Depends: $depends"
}
check_control "$console_deb" frontdesk libqt6widgets6 libqt6gui6 libqt6svg6 libqt6keychain1
check_control "$relay_deb" frontdesk-relay libqt6httpserver6 libqt6websockets6 libqt6sql6 libssl3
if grep -q libqt6widgets6 <<<"$(dpkg-deb -f "$out/$relay_deb" Depends)"; then
    fail "frontdesk-relay depends on Qt Widgets"
fi
# (Lists are read whole before grep -q, which would otherwise cut a pipe under pipefail.)
control_files=$(dpkg-deb --ctrl-tarfile "$out/$relay_deb" | tar -t)
for script in postinst prerm postrm; do
    grep -qx "./$script" <<<"$control_files" || fail "frontdesk-relay has no $script"
done

# --- contents ---------------------------------------------------------------------------------
mkdir -p "$root"
dpkg -x "$out/$console_deb" "$root"
dpkg -x "$out/$relay_deb" "$root"
app_id=org.frontdesk.Frontdesk
expect() {
    local path
    for path in "$@"; do
        [ -f "$root/$path" ] || fail "missing /$path"
    done
}
expect usr/bin/frontdesk usr/bin/frontdesk-sandbox \
    usr/share/applications/$app_id.desktop \
    usr/share/metainfo/$app_id.metainfo.xml \
    usr/share/icons/hicolor/scalable/apps/$app_id.svg \
    usr/share/frontdesk/translations/frontdesk_ru.qm \
    usr/share/man/man1/frontdesk.1.gz usr/share/man/man1/frontdesk-sandbox.1.gz \
    usr/share/doc/frontdesk/copyright usr/share/doc/frontdesk/changelog.Debian.gz
for size in 16 32 48 64 128 256; do
    png=usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
    expect "$png"
    # A PNG's IHDR chunk holds its width and height, big-endian, from byte 16.
    if [ -f "$root/$png" ] &&
        [ "$(od --endian=big -An -tu4 -j16 -N8 "$root/$png" | xargs)" != "$size $size" ]; then
        fail "/$png is not a ${size}x${size} PNG"
    fi
done
expect usr/bin/frontdesk-relay \
    usr/lib/systemd/system/frontdesk-relay.service \
    usr/share/doc/frontdesk-relay/examples/frontdesk-relay.example.ini \
    usr/share/doc/frontdesk-relay/README.Debian usr/share/doc/frontdesk-relay/copyright \
    usr/share/doc/frontdesk-relay/changelog.Debian.gz \
    usr/share/man/man8/frontdesk-relay.8.gz
for deb in "$console_deb" "$relay_deb"; do
    stray=$(dpkg-deb -c "$out/$deb" | grep -E ' \./usr/local/|/tests?/' || true)
    [ -z "$stray" ] || fail "$deb holds files it should not: $stray"
done
console_files=$(dpkg-deb -c "$out/$console_deb")
grep -q 'bin/frontdesk-relay$' <<<"$console_files" && fail "frontdesk holds the relay"
[ "$failures" -eq 0 ] && ok "every expected file is in the packages"

# --- validators -------------------------------------------------------------------------------
if desktop-file-validate "$root/usr/share/applications/$app_id.desktop"; then
    ok "desktop-file-validate"
else
    fail "desktop-file-validate"
fi
if appstreamcli validate --no-net --explain "$root/usr/share/metainfo/$app_id.metainfo.xml" \
    >"$scratch/appstream.log" 2>&1; then
    ok "appstreamcli validate --no-net"
else
    cat "$scratch/appstream.log" >&2
    fail "appstreamcli validate --no-net"
fi
for page in man1/frontdesk.1.gz man1/frontdesk-sandbox.1.gz man8/frontdesk-relay.8.gz; do
    if LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$root/usr/share/man/$page" \
        >"$scratch/man.out" 2>"$scratch/man.err" && [ ! -s "$scratch/man.err" ] &&
        grep -q 'EXIT STATUS' "$scratch/man.out"; then
        ok "man -l $page"
    else
        cat "$scratch/man.err" >&2
        fail "man -l $page renders with warnings or without its sections"
    fi
done
if command -v systemd-analyze >/dev/null 2>&1; then
    # verify wants ExecStart= and the Documentation= man page to exist: they are checked
    # against the unpacked files.
    sed "s|^ExecStart=/usr/bin/|ExecStart=$root/usr/bin/|" \
        "$root/usr/lib/systemd/system/frontdesk-relay.service" >"$scratch/frontdesk-relay.service"
    if MANPATH=$root/usr/share/man SYSTEMD_LOG_LEVEL=warning \
        systemd-analyze verify "$scratch/frontdesk-relay.service" >"$scratch/verify.log" 2>&1 &&
        ! grep -q . "$scratch/verify.log"; then
        ok "systemd-analyze verify frontdesk-relay.service"
    else
        cat "$scratch/verify.log" >&2
        fail "systemd-analyze verify frontdesk-relay.service"
    fi
fi
grep -qx 'ExecStart=/usr/bin/frontdesk-relay --config /etc/frontdesk-relay/relay.ini' \
    "$root/usr/lib/systemd/system/frontdesk-relay.service" ||
    fail "the unit does not run /usr/bin/frontdesk-relay --config /etc/frontdesk-relay/relay.ini"

# --- the unpacked programs run (Qt comes from the system) ---------------------------------------
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR=$scratch/runtime
mkdir -m 0700 "$XDG_RUNTIME_DIR"
if "$root/usr/bin/frontdesk-relay" --help >"$scratch/relay-help" 2>&1 &&
    grep -q -- '--config' "$scratch/relay-help" && grep -q 'dataDir' "$scratch/relay-help"; then
    ok "frontdesk-relay --help"
else
    cat "$scratch/relay-help" >&2
    fail "frontdesk-relay --help"
fi
for program in frontdesk frontdesk-sandbox; do
    if "$root/usr/bin/$program" --version >"$scratch/version" 2>&1 &&
        grep -q "$version" "$scratch/version"; then
        ok "$program --version: $(cat "$scratch/version")"
    else
        cat "$scratch/version" >&2
        fail "$program --version"
    fi
done
# The console's --help is translated: its Russian text comes from the installed .qm file.
if LANGUAGE= LC_ALL= LC_MESSAGES= LANG=ru_RU.UTF-8 "$root/usr/bin/frontdesk" --help \
    >"$scratch/help-ru" 2>&1 && grep -q 'Консоль оператора' "$scratch/help-ru"; then
    ok "frontdesk loads its Russian translation from /usr/share/frontdesk/translations"
else
    cat "$scratch/help-ru" >&2
    fail "frontdesk --help in Russian"
fi

# --- optionally, a real installation with apt (CI only) ---------------------------------------
if [ "${CI:-}" = "true" ] && [ "$(id -u)" -eq 0 ] && [ "${FRONTDESK_PACKAGING_APT_INSTALL:-1}" != 0 ]; then
    if grep -q 'ok installed' <<<"$(dpkg-query -W -f='${Status}\n' frontdesk frontdesk-relay 2>/dev/null || true)"; then
        echo "skipped: apt-get install (frontdesk or frontdesk-relay is already installed here)"
    elif DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "$out/$console_deb" "$out/$relay_deb" >"$scratch/apt.log" 2>&1; then
        ok "apt-get install ./$console_deb ./$relay_deb"
        /usr/bin/frontdesk-relay --version >/dev/null || fail "installed frontdesk-relay --version"
        /usr/bin/frontdesk --version >/dev/null || fail "installed frontdesk --version"
        getent passwd frontdesk-relay >/dev/null || fail "postinst did not create frontdesk-relay"
        [ -d /etc/frontdesk-relay ] || fail "postinst did not create /etc/frontdesk-relay"
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq frontdesk frontdesk-relay \
            >>"$scratch/apt.log" 2>&1 || fail "apt-get purge frontdesk frontdesk-relay"
        [ ! -e /etc/frontdesk-relay ] || fail "purge left /etc/frontdesk-relay"
    else
        cat "$scratch/apt.log" >&2
        fail "apt-get install of the packages"
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq frontdesk frontdesk-relay \
            >/dev/null 2>&1 || true
    fi
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures packaging check(s) failed" >&2
    exit 1
fi
echo "The Debian packages are complete, valid and install cleanly."
