#!/usr/bin/env python3
"""Schema-driven API testing: schemathesis against a live `coursemesh serve` and Docs/openapi.json.

Starts a node on a free loopback port with a push token, pushes a few courses so searches find
something, then runs schemathesis (every operation, positive and negative examples, stateful
phases) with the checks below, bounded by --max-examples per operation. Afterwards the node's
own /metrics are read back: the run must have made at least MIN_CALLS API calls, and the node
must have answered none of them with a 5xx.

Checks: not_a_server_error, status_code_conformance, content_type_conformance,
response_headers_conformance, response_schema_conformance, negative_data_rejection,
ignored_auth (a documented 401 must really refuse a request without the token).

Usage: Tests/API/schemathesis_run.py [path/to/coursemesh] [max-examples]
       (defaults .build/debug/coursemesh, 300)
"""
import os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openapi_conformance import ROOT, TOKEN, call, course, free_port, start_node  # noqa: E402

MIN_CALLS = 1000
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
          "response_schema_conformance,negative_data_rejection,ignored_auth")


def api_calls(base):
    """(calls, 5xx answers) from the node's request counter, over the documented API routes."""
    status, raw = call(base, "GET", "/metrics")
    total = errors = 0
    for line in raw.decode().splitlines():
        m = re.match(r'coursemesh_http_requests_total\{route="([^"]*)",status="(\d+)"\} (\d+)', line)
        if m:
            total += int(m.group(3))
            errors += int(m.group(3)) if m.group(2).startswith("5") else 0
    return total, errors


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/coursemesh")
    examples = sys.argv[2] if len(sys.argv) > 2 else "300"
    port, data = free_port(), tempfile.mkdtemp(prefix="coursemesh-schemathesis-")
    node, base = start_node(binary, port, data)
    try:
        status, _ = call(base, "POST", "/api/v1/courses",
                         {"courses": [course(2, "Organic Chemistry"), course(3, "Linear Algebra"), course(4, "Medieval History")]}, TOKEN)
        assert status == 200, f"seed push answered {status}"
        before, _ = api_calls(base)
        command = ["schemathesis", "--no-color", "run", os.path.join(ROOT, "Docs/openapi.json"), "--url", base,
                   "--checks", CHECKS, "--max-examples", examples, "--seed", "20261121", "--workers", "2",
                   "-H", f"Authorization: Bearer {TOKEN}", "--request-timeout", "10",
                   "--suppress-health-check", "all",
                   # The coverage phase of schemathesis 4.32 fails inside hypothesis (KeyError while
                   # describing a filter); the other phases generate the positive and negative cases.
                   "--phases", "examples,fuzzing,stateful"]
        print("$ " + " ".join(command), flush=True)
        # From the scratch folder: schemathesis keeps its cache (.schemathesis/) in the working directory.
        result = subprocess.run(command, timeout=1500, cwd=data)
        calls, server_errors = api_calls(base)
        calls -= before
        print(f"schemathesis: {calls} API calls answered by the node, {server_errors} with 5xx; schemathesis exit {result.returncode}")
        ok = result.returncode == 0 and calls >= MIN_CALLS and server_errors == 0 and node.poll() is None
        if calls < MIN_CALLS:
            print(f"FAIL fewer than {MIN_CALLS} calls: raise max-examples")
        if node.poll() is not None:
            print("FAIL the node exited during the run")
        return 0 if ok else 1
    finally:
        node.terminate()
        node.wait(timeout=15)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
