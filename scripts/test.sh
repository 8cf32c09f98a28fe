#!/usr/bin/env bash
# `npm test`: install missing system packages, type-check (each part with its own types), lint, look for import
# cycles, build the pages, then run every test with tap.
# Extra arguments go to tap (e.g. `npm test -- tests/signaling`).
#
# Where the OS allows it (root, or unprivileged user namespaces), the tests run in a private network namespace that
# has loopback and one veth pair of its own (onair0 10.77.0.1/24 <-> onair1, both ends inside the namespace): no
# WebRTC candidate, STUN request or mDNS query can leave it. Janus never gathers ICE candidates on loopback (hard-coded
# in its ice.c), so the SFU tests use onair0; traffic to 10.77.0.1 stays inside the namespace.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh
node_modules/.bin/tsc -b
npm run --silent lint
npm run --silent cycles
npm run build --silent
node_modules/.bin/tap build >/dev/null

# tap expands a directory argument to JavaScript files only: expand directories to their *.test.ts files here.
args=()
for arg in "$@"; do
  if [ -d "$arg" ]; then
    mapfile -t found < <(find "$arg" -name '*.test.ts' | sort)
    [ ${#found[@]} -gt 0 ] || { echo "onair: no *.test.ts under $arg" >&2; exit 1; }
    args+=("${found[@]}")
  else
    args+=("$arg")
  fi
done

mkdir -p tmp
out=tmp/tap-output.txt
run=(node_modules/.bin/tap --reporter=tap ${args[@]+"${args[@]}"})
if [ "${ONAIR_TEST_NETNS:-1}" = 1 ] && unshare --net --map-root-user true 2>/dev/null; then
  unshare --net --map-root-user -- bash -c '
    ip link set lo up
    { ip link add onair0 type veth peer name onair1 && ip addr add 10.77.0.1/24 dev onair0 &&
      ip link set onair0 up && ip link set onair1 up; } || echo "onair: no veth pair in the test namespace; SFU tests skip" >&2
    exec "$@"' _ "${run[@]}" | tee "$out" && status=0 || status=${PIPESTATUS[0]}
else
  echo "onair: no private network namespace here; tests run on the host's loopback" >&2
  "${run[@]}" | tee "$out" && status=0 || status=${PIPESTATUS[0]}
fi

# The closing lines: every failing test named on one line, then "N passed, N failed, N skipped" for CI.
node_modules/.bin/tsx scripts/tap-summary.ts "$out"
exit "$status"
