#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# confab-cli against a real Kamailio on 127.0.0.1: the JSON events and exit
# codes of ../shared/CLI.md, and accounts whose passwords live in a real
# Secret Service (gnome-keyring in a private D-Bus session), never in
# accounts.json. TAP output.
set -u

: "${CONFAB_CLI:?}" "${CONFAB_KAMAILIO_PEER:?}"

if [ -z "${CONFAB_IN_DBUS_SESSION:-}" ]; then
  export CONFAB_IN_DBUS_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

work=$(mktemp -d /tmp/confab-cli-test-XXXXXX)
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

cleanup() {
  python3 "$CONFAB_KAMAILIO_PEER" stop --dir "$work/kamailio" >/dev/null 2>&1
  [ -n "${keyring_pid:-}" ] && kill "$keyring_pid" 2>/dev/null
  [ -z "${CONFAB_KEEP_PEERS:-}" ] && rm -rf "$work"
}
trap cleanup EXIT

started=$(python3 "$CONFAB_KAMAILIO_PEER" start --dir "$work/kamailio" --users alice:secret,bob:pw2 --watch-pid $$ | tail -n 1)
udp=$(echo "$started" | python3 -c 'import json,sys; print(json.load(sys.stdin)["udp"])')
tcp=$(echo "$started" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tcp"])')
tls=$(echo "$started" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tls"])')
ca="$work/kamailio/ca.pem"
if [ -z "$udp" ]; then echo "Bail out! Kamailio did not start"; exit 1; fi

# A Secret Service for this D-Bus session; the unlock password creates the
# login collection without a prompt.
eval "$(printf 'confab-test' | gnome-keyring-daemon --unlock --components=secrets --daemonize 2>/dev/null)"
keyring_pid=${GNOME_KEYRING_PID:-}

cli() { timeout 60 "$CONFAB_CLI" --bind 127.0.0.1 "$@"; }

# --- register, inline account, each transport --------------------------------
for t in udp tcp tls; do
  port=$udp; [ $t = tcp ] && port=$tcp; [ $t = tls ] && port=$tls
  out=$(cli --json --account sip:alice@127.0.0.1 --password secret --transport $t \
        --proxy "sip:127.0.0.1:$port;transport=$t" --ca-file "$ca" register --once)
  status=$?
  check "register over $t exits 0" [ $status -eq 0 ]
  check "register over $t prints a registered event" \
    grep -q '"event":"registration","account":"sip:alice@127.0.0.1","state":"registered","expires":[0-9]' <<<"$out"
  check "register over $t ends unregistered" \
    grep -q '"state":"unregistered"' <<<"$(tail -n 1 <<<"$out")"
  ms=$(grep '"state":"registered"' <<<"$out" | sed -n 's/.*"elapsed_ms":\([0-9]*\).*/\1/p')
  echo "# figure: confab-cli start to registered over $t: ${ms} ms (process start included)"
done

# --- failures and their exit codes -------------------------------------------
out=$(cli --json --account sip:alice@127.0.0.1 --password wrong --proxy "sip:127.0.0.1:$udp" register --once)
check "wrong password exits 3" [ $? -eq 3 ]
check "wrong password is said so" grep -q '"reason":"wrong password (401)"' <<<"$out"

out=$(CONFAB_PASSWORD=secret cli --json --account sip:alice@127.0.0.1 --proxy "sip:127.0.0.1:$udp" register --once)
check "CONFAB_PASSWORD is used" [ $? -eq 0 ]

closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
out=$(cli --json --account sip:alice@127.0.0.1 --password secret --transport tcp \
      --proxy "sip:127.0.0.1:$closed;transport=tcp" register --once)
check "unreachable server exits 4" [ $? -eq 4 ]
check "unreachable server is said so" grep -q '"reason":"server unreachable' <<<"$out"

out=$(cli --json --account sip:alice@127.0.0.1 --password secret --transport tls \
      --proxy "sip:127.0.0.1:$tls;transport=tls" register --once)
check "untrusted certificate exits 4" [ $? -eq 4 ]
check "untrusted certificate is said so" \
  grep -q '"reason":"certificate not trusted: issued by an unknown authority"' <<<"$out"

cli --account "not an address" --password x register --once >/dev/null 2>&1
check "a bad address is a usage error (2)" [ $? -eq 2 ]
cli frobnicate >/dev/null 2>&1
check "an unknown command is a usage error (2)" [ $? -eq 2 ]
cli register --no-such-option >/dev/null 2>&1
check "an unknown option is a usage error (2)" [ $? -eq 2 ]

# --- stays registered until interrupted, then un-REGISTERs --------------------
"$CONFAB_CLI" --bind 127.0.0.1 --json --account sip:bob@127.0.0.1 --password pw2 \
  --proxy "sip:127.0.0.1:$udp" register > "$work/long.json" &
pid=$!
for _ in $(seq 50); do grep -q '"registered"' "$work/long.json" && break; sleep 0.2; done
check "registrar holds the contact while running" \
  bash -c "python3 '$CONFAB_KAMAILIO_PEER' lookup --dir '$work/kamailio' bob >/dev/null 2>&1"
kill -INT $pid; wait $pid
check "SIGINT exits 0" [ $? -eq 0 ]
check "SIGINT un-registers" \
  bash -c "! python3 '$CONFAB_KAMAILIO_PEER' lookup --dir '$work/kamailio' bob >/dev/null 2>&1"

# --- accounts: config file + Secret Service ------------------------------------
printf 'secret\n' | cli --json --transport tcp --proxy "sip:127.0.0.1:$tcp;transport=tcp" \
  accounts add sip:alice@127.0.0.1 --display-name "Alice Test" --password-stdin > "$work/add.json"
check "accounts add exits 0" [ $? -eq 0 ]
check "accounts.json exists" test -f "$XDG_CONFIG_HOME/confab/accounts.json"
check "accounts.json is private (0600)" \
  [ "$(stat -c %a "$XDG_CONFIG_HOME/confab/accounts.json")" = 600 ]
check "the password is not in accounts.json" \
  bash -c "! grep -q secret '$XDG_CONFIG_HOME/confab/accounts.json'"
check "the password is in the Secret Service" \
  bash -c "secret-tool search --all account-id \"\$(python3 -c 'import json;print(json.load(open(\"$work/add.json\"))[\"id\"])')\" 2>/dev/null | grep -q 'secret = secret'"
out=$(cli --json accounts list)
check "accounts list shows it" grep -q '"address":"sip:alice@127.0.0.1"' <<<"$out"
cli accounts add sip:alice@127.0.0.1 >/dev/null 2>&1
check "adding the same address twice is refused (2)" [ $? -eq 2 ]

out=$(cli --json --account "Alice Test" register --once)
check "a configured account registers with the keyring password" [ $? -eq 0 ]
check "...and says registered" grep -q '"state":"registered"' <<<"$out"

out=$(cli --json accounts remove sip:alice@127.0.0.1)
check "accounts remove exits 0" [ $? -eq 0 ]
check "the password left the Secret Service" \
  bash -c "! secret-tool search --all account-id \"\$(python3 -c 'import json;print(json.load(open(\"$work/add.json\"))[\"id\"])')\" 2>/dev/null | grep -q secret"
check "accounts list is empty again" bash -c "[ -z \"\$('$CONFAB_CLI' --json accounts list)\" ]"
cli accounts remove sip:nobody@example.org >/dev/null 2>&1
check "removing an unknown account fails (1)" [ $? -eq 1 ]

echo "1..$n"
[ $failed -eq 0 ]
