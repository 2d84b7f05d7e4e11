#!/usr/bin/env python3
"""Checks Docs/openapi.json against a live `coursemesh serve`.

1. The document is a valid OpenAPI 3.1 description (openapi-spec-validator).
2. The node serves exactly that document at /api/v1/openapi.json.
3. Every endpoint is called, with good requests and with each documented error; every reply's
   status must be documented for that operation and its JSON body must match the schema the
   document gives for that status.

Usage: Tests/API/openapi_conformance.py [path/to/coursemesh]   (default .build/debug/coursemesh)
"""
import json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "conformance-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def start_node(binary, port, data, *extra):
    """Starts `coursemesh serve` on 127.0.0.1:port with its store in `data`; returns (process, base URL)
    once /health answers, or stops it and exits saying so after 15 s."""
    node = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--data", data, "--api-token", TOKEN,
                             "--site-url", "https://moodle.example.edu", "--log-level", "error", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if call(base, "GET", "/health")[0] == 200:
                return node, base
        except OSError:
            pass
        time.sleep(0.1)
    node.kill()
    raise SystemExit("coursemesh serve did not answer /health within 15 s")


def course(cid, title):
    return {"course_id": cid, "url": f"https://moodle.example.edu/course/view.php?id={cid}", "full_name": title,
            "short_name": f"C{cid}", "summary": "Organic chemistry with laboratory practice.",
            "category_path": ["Science", "Chemistry"], "tags": ["chemistry"], "language": "en", "format": "topics",
            "start_date": None, "end_date": None, "time_modified": 1700000000, "open_enrolment": True,
            "enrolled_count": 3, "modules": [{"type": "forum", "name": "News"}]}


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/coursemesh")
    spec = json.load(open(os.path.join(ROOT, "Docs/openapi.json")))
    validate(spec)
    passed, failed = 1, 0
    print("ok   Docs/openapi.json is a valid OpenAPI 3.1 document")

    port, data = free_port(), tempfile.mkdtemp(prefix="coursemesh-openapi-")
    node, base = start_node(binary, port, data)
    try:

        cases = [
            ("POST", "/api/v1/courses", "/api/v1/courses", {"courses": [course(2, "Organic Chemistry"), course(3, "Physical Chemistry")]}, TOKEN, 200),
            ("POST", "/api/v1/courses", "/api/v1/courses", {"courses": [course(2, "Organic Chemistry")]}, None, 401),
            ("POST", "/api/v1/courses", "/api/v1/courses", {"courses": [course(2, "Organic Chemistry")]}, "wrong", 401),
            ("POST", "/api/v1/courses", "/api/v1/courses", {"courses": [{"course_id": 2}]}, TOKEN, 400),
            ("POST", "/api/v1/courses", "/api/v1/courses", b"{not json", TOKEN, 400),
            ("POST", "/api/v1/courses", "/api/v1/courses", {"courses": []}, TOKEN, 400),
            ("POST", "/api/v1/courses", "/api/v1/courses", b" " * (9 << 20), TOKEN, 413),
            ("GET", "/api/v1/search?q=chemistry", "/api/v1/search", None, None, 200),
            ("GET", "/api/v1/search?q=organic+chemistry&lang=en&page=1&page_size=5", "/api/v1/search", None, None, 200),
            ("GET", "/api/v1/search?q=nothingmatchesthis", "/api/v1/search", None, None, 200),
            ("GET", "/api/v1/search?q=", "/api/v1/search", None, None, 400),
            ("GET", "/api/v1/search?q=chemistry&page=0", "/api/v1/search", None, None, 400),
            ("GET", "/api/v1/search?q=" + "x" * 300, "/api/v1/search", None, None, 400),
            ("GET", "/api/v1/suggest?prefix=chem", "/api/v1/suggest", None, None, 200),
            ("GET", "/api/v1/suggest?prefix=", "/api/v1/suggest", None, None, 400),
            ("GET", "/api/v1/stats", "/api/v1/stats", None, None, 200),
            ("GET", "/api/v1/stats/local", "/api/v1/stats/local", None, None, 200),
            ("GET", "/api/v1/node", "/api/v1/node", None, None, 200),
            ("GET", "/health", "/health", None, None, 200),
            ("DELETE", "/api/v1/courses/3", "/api/v1/courses/{course_id}", None, TOKEN, 200),
            ("DELETE", "/api/v1/courses/3", "/api/v1/courses/{course_id}", None, TOKEN, 404),
            ("DELETE", "/api/v1/courses/3", "/api/v1/courses/{course_id}", None, None, 401),
            ("DELETE", "/api/v1/courses/x", "/api/v1/courses/{course_id}", None, TOKEN, 400),
        ]
        for method, path, template, body, token, expected in cases:
            status, raw = call(base, method, path, body, token)
            name = f"{method} {path[:60]}"
            problems = []
            if status != expected:
                problems.append(f"status {status}, expected {expected}")
            operation = spec["paths"][template][method.lower()]
            response = operation["responses"].get(str(status))
            if response is None:
                problems.append(f"status {status} is not documented for {method} {template}")
            else:
                if "$ref" in response:
                    response = spec["components"]["responses"][response["$ref"].split("/")[-1]]
                schema = response["content"]["application/json"]["schema"]
                document = dict(schema, components=spec["components"])
                errors = sorted(Draft202012Validator(document).iter_errors(json.loads(raw)), key=str)
                problems += [f"{'/'.join(map(str, e.absolute_path)) or 'body'}: {e.message}" for e in errors[:3]]
            if problems:
                failed += 1
                print(f"FAIL {name}: " + "; ".join(problems))
            else:
                passed += 1
                print(f"ok   {name} -> {status}")

        status, raw = call(base, "GET", "/api/v1/openapi.json")
        if status == 200 and json.loads(raw) == spec:
            passed += 1
            print("ok   /api/v1/openapi.json serves Docs/openapi.json")
        else:
            failed += 1
            print("FAIL /api/v1/openapi.json differs from Docs/openapi.json (rebuild after editing the document)")
    finally:
        node.terminate()
        node.wait(timeout=15)
        shutil.rmtree(data, ignore_errors=True)
    print(f"openapi: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
