#!/usr/bin/env bash
# Normal clients' latency while 1,000 slowloris connections dribble headers at a real node.
#
#   Tests/Support/bench-abuse.sh [path/to/coursemesh] [seconds]   (default .build/debug/coursemesh, 10)
#
# Starts `coursemesh serve` on 127.0.0.1:18091 with one pushed course, runs wrk (Debian's) on
# /health and /api/v1/search?q=chemistry with no attack, then again while a Python helper holds
# 1,000 connections from 127.0.0.2-127.0.0.5 (250 each, under the per-address cap of 256), each
# sending one header line every second and never finishing its head. The node keeps its default
# header read timeout (10 s, then 408 and close); a dribbler that is cut reconnects, so the
# attack lasts the whole run. Bounded: each wrk run lasts `seconds`; the helper stops after the last one.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/Support/packages.sh
require_packages wrk
binary=${1:-.build/debug/coursemesh}
seconds=${2:-10}
port=18091
dir=$(mktemp -d /tmp/coursemesh-abuse.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
"$binary" serve --listen 127.0.0.1:$port --data "$dir/data" --api-token bench --site-url https://moodle.example.edu \
  --log-level error >/dev/null & pids+=($!)
for _ in $(seq 100); do curl -fsS -m 1 http://127.0.0.1:$port/health >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS -H 'Authorization: Bearer bench' -H 'Content-Type: application/json' http://127.0.0.1:$port/api/v1/courses -d '{"courses":[{"course_id":2,"url":"https://moodle.example.edu/course/view.php?id=2","full_name":"Organic Chemistry","short_name":"C2","summary":"Organic chemistry with laboratory practice.","category_path":["Science"],"tags":["chemistry"],"language":"en","format":"topics","start_date":null,"end_date":null,"time_modified":1700000000,"open_enrolment":true,"enrolled_count":3,"modules":[]}]}' >/dev/null

run_wrk() { # label
  for path in /health "/api/v1/search?q=chemistry"; do
    printf '%-28s %-28s ' "$1" "$path"
    wrk -t2 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$port$path" \
      | awk '/Requests\/sec/{rps=$2} / 50%/{p50=$2} / 99%/{p99=$2} /Non-2xx/{bad=$NF} /Socket errors/{err=$0}
             END{printf "req/s %s  p50 %s  p99 %s  non-2xx %s %s\n", rps, p50, p99, bad==""?0:bad, err}'
  done
}

run_wrk "no attack"
python3 - "$port" "$((seconds * 2 + 10))" <<'PY' & pids+=($!)
import socket, sys, time
port, duration = int(sys.argv[1]), float(sys.argv[2])
def opened(i):
    s = socket.socket()
    s.bind((f"127.0.0.{2 + i % 4}", 0))
    s.connect(("127.0.0.1", port))
    s.setblocking(False)
    s.send(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    return s
conns = [opened(i) for i in range(1000)]
print(f"slowloris: {len(conns)} connections open", flush=True)
end, n = time.time() + duration, 0
while time.time() < end:
    n += 1
    for i, s in enumerate(conns):
        try:
            s.send(b"X-Slow-%d: y\r\n" % n)
        except OSError:  # cut by the header read timeout: reconnect, keep the attack going
            s.close()
            try:
                conns[i] = opened(i)
            except OSError:
                pass
    time.sleep(1)
PY
sleep 3
echo "node connections while attacked: $(ls /proc/${pids[0]}/fd | wc -l) descriptors"
run_wrk "1,000 slowloris connections"
