#!/usr/bin/env python3
"""Fault test: kill -9 a node while courses are being pushed, restart it, lose nothing.

Three cycles on one data directory: a client pushes batches of 25 courses as fast as the node
answers; after a random 1-3 s the node is killed with SIGKILL mid-stream. Then, with the node
down, the SQLite file must pass `PRAGMA integrity_check` and hold every course whose push was
acknowledged (200) before the kill (a push in flight at the kill may or may not be there: it was
never acknowledged). The node is restarted on the same directory and must serve the same count
and find a course from each acknowledged batch.

Usage: Tests/API/crash_ingest.py [path/to/coursemesh]   (default .build/debug/coursemesh)
"""
import json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openapi_conformance import ROOT, TOKEN, call, course, free_port, start_node  # noqa: E402

CYCLES, BATCH = 3, 25


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/coursemesh")
    data = tempfile.mkdtemp(prefix="coursemesh-crash-")
    rng = random.Random(20261121)
    acknowledged, next_id, failures = set(), 2, 0
    try:
        for cycle in range(CYCLES):
            port = free_port()
            node, base = start_node(binary, port, data)
            stop = threading.Event()

            def pusher():
                nonlocal next_id
                while not stop.is_set():
                    ids = list(range(next_id, next_id + BATCH))
                    next_id += BATCH
                    docs = [course(i, f"Crash course number{i}") for i in ids]
                    try:
                        status, _ = call(base, "POST", "/api/v1/courses", {"courses": docs}, TOKEN)
                    except OSError:
                        return  # the node died mid-request: this batch was never acknowledged
                    if status == 200:
                        acknowledged.update(ids)

            thread = threading.Thread(target=pusher)
            thread.start()
            time.sleep(rng.uniform(1.0, 3.0))
            node.send_signal(signal.SIGKILL)
            node.wait()
            stop.set()
            thread.join(timeout=30)

            db = sqlite3.connect(f"file:{os.path.join(data, 'node.sqlite')}?mode=ro", uri=True)
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
            stored = {row[0] for row in db.execute("SELECT course_id FROM courses")}
            db.close()
            lost = acknowledged - stored
            ok = integrity == "ok" and not lost
            failures += 0 if ok else 1
            print(f"{'ok  ' if ok else 'FAIL'} cycle {cycle + 1}: killed -9 after {len(acknowledged)} acknowledged courses; "
                  f"integrity_check {integrity}; stored {len(stored)}; lost {len(lost)}")

            node, base = start_node(binary, free_port(), data)
            status, raw = call(base, "GET", "/api/v1/node")
            own = json.loads(raw).get("own_courses", -1) if status == 200 else -1
            sample = max(acknowledged) if acknowledged else None
            found = True
            if sample is not None:
                status, raw = call(base, "GET", f"/api/v1/search?q=number{sample}")
                found = status == 200 and json.loads(raw)["total"] >= 1
            ok = own >= len(acknowledged) and found
            failures += 0 if ok else 1
            print(f"{'ok  ' if ok else 'FAIL'} cycle {cycle + 1}: restarted, serves {own} courses, last acknowledged found: {found}")
            node.terminate()
            node.wait(timeout=15)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print(f"crash-ingest: {CYCLES} kill -9 cycles, {len(acknowledged)} acknowledged courses, {failures} failures")
    return 0 if failures == 0 and acknowledged else 1


if __name__ == "__main__":
    sys.exit(main())
