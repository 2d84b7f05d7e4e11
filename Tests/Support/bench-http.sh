#!/usr/bin/env bash
# HTTP throughput of a real `coursemesh serve` against the Hummingbird 2 peer, side by side.
#
#   Tests/Support/bench-http.sh [path/to/shared/bench]      (default: ../shared/bench)
#
# Builds coursemesh in release mode, indexes the test Moodle into a temporary store, starts the
# node on 127.0.0.1:18090 and runs the peer script on /health, on a JSON reply encoded once and
# reused (our /api/v1/stats, ~1 KB, whose bytes change only with its as_of, against the peer's
# pre-encoded /api/v1/search-static, ~2 KB) and on one encoded per request (our /api/v1/node
# through the node actor, against the peer's /api/v1/search); the peer script cannot pass a
# query string on our side. ROUNDS, DURATION, CONNS as in the peer
# script (ROUNDS=7 recommended). Bounded: each wrk run lasts DURATION seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
bench=${1:-../shared/bench}
[ -x "$bench/http-compare.sh" ] || { echo "no http-compare.sh in $bench" >&2; exit 2; }
swift build -c release --product coursemesh >/dev/null
dir=$(mktemp -d /tmp/coursemesh-bench.XXXXXX)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
gunzip -c Tests/Fixtures/moodle/fixture.sqlite.gz > "$dir/moodle.sqlite"
.build/release/coursemesh index --moodle "sqlite://$dir/moodle.sqlite" --wwwroot https://moodle.example.edu --data "$dir/data" >/dev/null
.build/release/coursemesh serve --listen 127.0.0.1:18090 --data "$dir/data" --log-level error >/dev/null & pid=$!
for _ in $(seq 50); do curl -fsS -m 1 http://127.0.0.1:18090/health >/dev/null 2>&1 && break; sleep 0.2; done
echo "stats reply: $(curl -s http://127.0.0.1:18090/api/v1/stats | wc -c) bytes; node RSS before: $(awk '/VmRSS/{print $2/1024 " MB"}' /proc/$pid/status)"
ROUNDS=${ROUNDS:-7} bash "$bench/http-compare.sh" 127.0.0.1:18090 /health=/health \
  /api/v1/stats=/api/v1/search-static /api/v1/node=/api/v1/search
echo "node RSS after: $(awk '/VmRSS/{print $2/1024 " MB"}' /proc/$pid/status)"
