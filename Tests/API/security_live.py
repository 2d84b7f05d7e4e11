#!/usr/bin/env python3
"""Security checks against a live `coursemesh serve` (Docs/security.md names each one).

1. Course pushes without a token or with a wrong one are refused (401) and store nothing.
2. A course whose every text field carries XSS payloads is stored, and every page that can show
   it (/, /search, /stats, /node), the Atom feed and the OpenSearch description print the
   payloads as text: no raw markup from them survives, and the XML documents stay well-formed.
   The node's own site name carries a payload too (it is printed on every page).
3. SQL-looking queries are plain text (200 or a clear 400), never a server error, and the store
   is intact afterwards; oversized queries and URLs get clear 4xx JSON errors.
4. A pushed course for another site's host is refused (origin binding of pushes).

Usage: Tests/API/security_live.py [path/to/coursemesh]   (default .build/debug/coursemesh)
"""
import json, os, shutil, subprocess, sys, tempfile, time, urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openapi_conformance import ROOT, TOKEN, call, course, free_port, start_node  # noqa: E402

PAYLOADS = ['<script>alert("x1")</script>', '"><img src=x onerror=alert(2)>', "' onmouseover='alert(3)",
            "</title><svg/onload=alert(4)>", "]]><evil>5</evil>", "&lt;pre-escaped&gt;6 javascript:alert(7)"]
RAW_MARKERS = ["<script>alert", "<img src=x", "<svg/onload", "<evil>", "onmouseover='alert"]
SITE_NAME = 'Campus <b onclick="alert(8)">X</b>'


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, ok, name, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name} {detail}")


def hostile_course(cid):
    doc = course(cid, "Hostile chemistry " + PAYLOADS[0])
    doc["short_name"] = "HC" + PAYLOADS[1][:20]
    doc["summary"] = "Organic chemistry hostile summary " + " ".join(PAYLOADS)
    doc["category_path"] = ["Science " + PAYLOADS[1], "Chemistry " + PAYLOADS[3]]
    doc["tags"] = ["chemistry", PAYLOADS[2][:60], PAYLOADS[4]]
    doc["modules"] = [{"type": "forum", "name": "News " + PAYLOADS[3]}, {"type": "page", "name": PAYLOADS[5]}]
    doc["url"] = 'https://moodle.example.edu/course/view.php?id=%d&x="><script>alert(9)</script>' % cid
    return doc


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/coursemesh")
    port, data = free_port(), tempfile.mkdtemp(prefix="coursemesh-security-")
    node, base = start_node(binary, port, data, "--site-name", SITE_NAME)
    c = Checks()
    try:

        # 1. Tokens.
        push = {"courses": [course(20, "Tokenless Thermodynamics")]}
        for name, token in [("no token", None), ("wrong token", "wrong-" + TOKEN), ("token prefix", TOKEN[:-1])]:
            status, raw = call(base, "POST", "/api/v1/courses", push, token)
            c.check(status == 401 and b'"error"' in raw, f"push with {name} is refused with 401", f"got {status}")
        status, raw = call(base, "GET", "/api/v1/search?q=thermodynamics")
        c.check(status == 200 and json.loads(raw).get("total", 0) == 0, "a refused push stored nothing")
        status, _ = call(base, "DELETE", "/api/v1/courses/2", None, "wrong")
        c.check(status == 401, "delete with a wrong token is refused with 401", f"got {status}")

        # 2. XSS everywhere.
        status, raw = call(base, "POST", "/api/v1/courses", {"courses": [hostile_course(30)]}, TOKEN)
        c.check(status == 200, "a course with markup in every field is accepted as text", f"got {status} {raw[:200]}")
        bad_lang = hostile_course(31)
        bad_lang["language"] = "<script>"
        status, _ = call(base, "POST", "/api/v1/courses", {"courses": [bad_lang]}, TOKEN)
        c.check(status == 400, "markup in the language code is refused with 400", f"got {status}")
        q = urllib.parse.quote("hostile chemistry " + PAYLOADS[1])
        pages = {"/": None, "/search?q=hostile+chemistry": "&lt;script&gt;", f"/search?q={q}": None, "/stats": None,
                 "/node": "&lt;b onclick=", "/feeds/search.atom?q=hostile+chemistry": "&lt;script&gt;",
                 f"/feeds/search.atom?q={q}": None, "/opensearch.xml": None,
                 "/search?q=" + urllib.parse.quote(PAYLOADS[0]): None}
        for path, expected in pages.items():
            status, raw = call(base, "GET", path)
            text = raw.decode("utf-8", "replace")
            raw_left = [m for m in RAW_MARKERS + ['<b onclick'] if m in text]
            c.check(status in (200, 400) and not raw_left, f"GET {path[:60]} prints payloads as text",
                    f"status {status}, raw markup: {raw_left}")
            if expected:
                c.check(expected in text, f"GET {path[:60]} shows the escaped payload (the hostile course was found)")
            if path.startswith("/feeds/") or path == "/opensearch.xml":
                try:
                    ET.fromstring(raw)
                    c.check(True, f"GET {path[:60]} is well-formed XML")
                except ET.ParseError as e:
                    c.check(False, f"GET {path[:60]} is well-formed XML", str(e))
        status, raw = call(base, "GET", "/api/v1/search?q=hostile+chemistry")
        result = json.loads(raw)["results"][0] if status == 200 and json.loads(raw)["results"] else {}
        c.check(PAYLOADS[0] in result.get("title", ""), "the JSON API returns the title unchanged (JSON is not HTML)")

        # 3. SQL-looking and oversized queries.
        for q in ["' OR 1=1; --", "chemistry'; DROP TABLE courses; --", '" OR ""="', "1 UNION SELECT * FROM sqlite_master",
                  "%27%20OR%20%271%27%3D%271", "\\x00 chemistry", "chemistry) OR (1=1"]:
            for path in ["/api/v1/search?q=", "/search?q=", "/api/v1/suggest?prefix="]:
                status, raw = call(base, "GET", path + urllib.parse.quote(q))
                c.check(status in (200, 400), f"GET {path}{q[:30]!r} is plain text or a clear error", f"got {status}")
        status, raw = call(base, "GET", "/api/v1/search?q=organic")
        c.check(status == 200 and json.loads(raw)["total"] >= 1, "the store is intact after SQL-looking queries")
        status, raw = call(base, "GET", "/api/v1/search?q=" + "chemistry+" * 100)
        c.check(status == 400 and b"query_too_long" in raw, "a 1,000-character query is a clear 400", f"got {status}")
        status, raw = call(base, "GET", "/api/v1/search?q=" + "+".join(["w%d" % i for i in range(40)]))
        c.check(status == 400 and b"too_many_terms" in raw, "a 40-word query is a clear 400", f"got {status} {raw[:120]}")
        status, raw = call(base, "GET", "/search?q=" + "x" * 20000)
        c.check(status == 431 and b"headers_too_large" in raw, "a 20 KB URL is a clear 431", f"got {status}")
        status, raw = call(base, "GET", "/api/v1/suggest?prefix=" + "x" * 500)
        c.check(status == 400, "an oversized suggest prefix is a clear 400", f"got {status}")

        # 4. Origin binding of pushes.
        foreign = course(40, "Foreign Physics")
        foreign["url"] = "https://other-campus.example.org/course/view.php?id=40"
        status, raw = call(base, "POST", "/api/v1/courses", {"courses": [foreign]}, TOKEN)
        c.check(status == 400, "a pushed course on another site's host is refused", f"got {status} {raw[:200]}")
        c.check(node.poll() is None, "the node is still running")
    finally:
        node.terminate()
        node.wait(timeout=15)
        shutil.rmtree(data, ignore_errors=True)
    print(f"security: {c.passed} passed, {c.failed} failed")
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
