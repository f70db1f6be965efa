#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One command each for a fresh Debian 12 machine (see README.md):
#   build-aux/dev.sh run    install what the app needs, build, start Confab
#   build-aux/dev.sh test   install that plus the test peers, build, run every
#                           test, then again under AddressSanitizer and
#                           UndefinedBehaviorSanitizer
#   build-aux/dev.sh fuzz [SECONDS]   build the libFuzzer targets with clang
#                           and run each one (default 120 s) under ASan
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

build_packages=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libglib2.0-bin glib-networking
  libgtk-4-dev libadwaita-1-dev
  libsofia-sip-ua-dev libsofia-sip-ua-glib-dev
  libjson-glib-dev libsecret-1-dev libxml2-dev libsqlite3-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-libav gstreamer1.0-pulseaudio
  libnice-dev gstreamer1.0-nice
  libgnutls28-dev
  desktop-file-utils appstream python3 ca-certificates
)
# Real peers and tools the test suite starts by itself.
test_packages=(
  kamailio kamailio-tls-modules openssl
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  baresip-core coturn sip-tester
)
fuzz_packages=(clang libclang-rt-14-dev)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "Installing packages needs root: run this as root or install sudo." >&2
    exit 1
  fi
}

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "All ${#@} packages present"
    return
  fi
  say "Installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

setup_build() {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
}

# Sums meson's testlog.json into the closing line CI reads; a pass that
# left no log (no tests ran) counts as a failure.
summarize() {
  python3 - "$@" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        print(f"{path}: no test results: that test pass did not run", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        result = json.loads(line).get("result")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
}

cmd=${1:-}
case "$cmd" in
  run)
    install_packages "${build_packages[@]}"
    setup_build _build -Dtests=false
    ninja -C _build
    say "Starting Confab"
    export GSETTINGS_SCHEMA_DIR="$here/_build/data"
    exec ./_build/src/app/confab
    ;;

  test)
    install_packages "${build_packages[@]}" "${test_packages[@]}"
    say "Build"
    # -Dtests=true: a _build made by "run" (without tests) is reconfigured.
    setup_build _build -Dtests=true
    ninja -C _build
    status=0
    say "Test suite"
    meson test -C _build --print-errorlogs --num-processes 2 || status=1

    say "Test suite under AddressSanitizer + UndefinedBehaviorSanitizer"
    setup_build _build-asan -Db_sanitize=address,undefined -Db_lundef=false \
      -Dbuildtype=debug
    ninja -C _build-asan
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_odr_violation=0:fast_unwind_on_malloc=0" \
    LSAN_OPTIONS="suppressions=$here/tests/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
      meson test -C _build-asan --print-errorlogs --num-processes 2 || status=1

    mkdir -p tests/artifacts
    cp -f _build/tests/artifacts/*.png tests/artifacts/ 2>/dev/null || true
    summarize _build/meson-logs/testlog.json _build-asan/meson-logs/testlog.json || status=1
    exit $status
    ;;

  fuzz)
    seconds=${2:-120}
    install_packages "${build_packages[@]}" "${fuzz_packages[@]}"
    CC=clang setup_build _build-fuzz -Dfuzzing=true -Dapp=false \
      -Db_sanitize=address,undefined -Db_lundef=false
    ninja -C _build-fuzz
    for target in uri accounts sdp msrp cpim imdn; do
      say "fuzz-$target for $seconds s"
      mkdir -p "_build-fuzz/corpus-$target"
      "_build-fuzz/tests/fuzz-$target" -max_total_time="$seconds" -max_len=65536 \
        "_build-fuzz/corpus-$target" "tests/fuzz/corpus/$target"
    done
    ;;

  *)
    echo "Usage: build-aux/dev.sh run|test|fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
