#!/usr/bin/env python3
"""Headless Chromium against a live `coursemesh serve`: search from the form, follow a facet, page
through, open /stats and /node, and check that a course titled <script>alert(1)</script> shows as
text and runs nothing. Screenshots: Tests/artifacts/browser/*.png. Exit status 0 only if all pass.
"""
import csv, gzip, io, json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS = os.path.join(ROOT, "Tests/artifacts/browser")
TOKEN = "browser-token"
SITE = "https://moodle.browser.example"
XSS = "<script>alert(1)</script>"
QUERY = "chemistry"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def courses():
    """Real courses from the fixture whose text mentions the query, plus the hostile title."""
    path = os.path.join(ROOT, "Tests/Fixtures/courses/courses.csv.gz")
    rows = [r for r in csv.DictReader(io.TextIOWrapper(gzip.open(path), encoding="utf-8"))
            if QUERY in (r["title"] + " " + r["description"]).lower()][:40]
    docs = []
    for i, r in enumerate(rows, start=2):  # Moodle course 1 is the front page
        subjects = [s for s in r["subject"].split("|") if s]
        docs.append({"course_id": i, "url": f"{SITE}/course/view.php?id={i}", "full_name": r["title"],
                     "short_name": f"C{i}", "summary": r["description"][:600], "category_path": subjects[:1],
                     "tags": subjects[1:6], "language": r["language"] or "en", "format": "topics", "start_date": None,
                     "end_date": None, "time_modified": 1700000000 + i, "open_enrolment": True, "enrolled_count": i,
                     "modules": [{"type": "forum", "name": "Announcements"}]})
    docs.append({"course_id": 9999, "url": f"{SITE}/course/view.php?id=9999", "full_name": XSS, "short_name": "XSS",
                 "summary": f"Organic {QUERY} with a hostile title: {XSS} <img src=x onerror=alert(2)>",
                 "category_path": ["Science"], "tags": [QUERY], "language": "en", "format": "topics", "start_date": None,
                 "end_date": None, "time_modified": 1800000000, "open_enrolment": True, "enrolled_count": 1, "modules": []})
    return docs


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, []

    def expect(self, condition, what):
        if condition:
            self.passed += 1
            print("ok   " + what)
        else:
            self.failed.append(what)
            print("FAIL " + what)


def no_alert(driver):
    try:
        text = driver.switch_to.alert.text
        driver.switch_to.alert.dismiss()
        return f"an alert opened: {text!r}"
    except NoAlertPresentException:
        return None


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/coursemesh")
    if not os.access(binary, os.X_OK):
        print(f"FAIL {binary} is missing: build first (swift build)")
        return 1
    chromedriver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    os.makedirs(ARTIFACTS, exist_ok=True)
    port, data = free_port(), tempfile.mkdtemp(prefix="coursemesh-browser-")
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(ARTIFACTS, "node.log"), "w")
    node = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--data", data, "--api-token", TOKEN,
                             "--site-url", SITE, "--site-name", "Browser <Test> Campus", "--country", "IT",
                             "--log-level", "notice"], stdout=log, stderr=subprocess.STDOUT)
    driver = None
    checks = Checks()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()
                break
            except OSError:
                if node.poll() is not None:
                    print(f"FAIL coursemesh serve exited with status {node.returncode}; see {log.name}")
                    return 1
                time.sleep(0.1)
        else:
            print(f"FAIL coursemesh serve did not answer /health within 10 s; see {log.name}")
            return 1
        docs = courses()
        req = urllib.request.Request(base + "/api/v1/courses", data=json.dumps({"courses": docs}).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
        try:
            reply = json.loads(urllib.request.urlopen(req, timeout=30).read())
        except urllib.error.HTTPError as e:
            print(f"FAIL POST /api/v1/courses answered {e.code}: {e.read().decode()[:500]}")
            return 1
        checks.expect(reply.get("accepted") == len(docs), f"pushed {len(docs)} courses through POST /api/v1/courses")

        options = webdriver.ChromeOptions()
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"):
            options.add_argument(arg)
        try:
            driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        except WebDriverException as e:
            print(f"FAIL could not start headless Chromium via {chromedriver}: {e.msg}")
            return 1
        driver.set_page_load_timeout(20)

        def shot(name):
            driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))

        # 1. Search from the form.
        driver.get(base + "/")
        shot("01-home")
        box = driver.find_element(By.NAME, "q")
        box.send_keys(QUERY)
        box.send_keys(Keys.ENTER)
        time.sleep(0.5)
        shot("02-results")
        summary = driver.find_element(By.CSS_SELECTOR, "p.summary").text
        checks.expect("/search?" in driver.current_url and f"q={QUERY}" in driver.current_url,
                      f"the form submits to /search (at {driver.current_url})")
        checks.expect("courses from" in summary, f"the results say how many courses were found ({summary!r})")
        checks.expect(len(driver.find_elements(By.CSS_SELECTOR, "ol.results > li")) == 10, "a page shows 10 results")
        checks.expect(len(driver.find_elements(By.TAG_NAME, "mark")) > 0, "matched words are marked")

        # 2. The hostile title is text, and nothing ran.
        body = driver.find_element(By.TAG_NAME, "body").text
        checks.expect(XSS in body, "the course titled <script>alert(1)</script> shows its title as text")
        hostile = [a for a in driver.find_elements(By.CSS_SELECTOR, "ol.results h2 a") if a.text == XSS]
        if hostile:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", hostile[0])
            shot("02b-hostile-title-as-text")
        checks.expect(no_alert(driver) is None, "no alert opened on the results page")
        scripts = driver.execute_script("return Array.from(document.scripts).map(s => s.text).join('\\n')")
        checks.expect("alert(" not in scripts, "no script element carries the course's code")
        checks.expect(not driver.find_elements(By.CSS_SELECTOR, "img[src='x']"), "no element was injected from a summary")

        # 3. Follow a facet.
        facets = driver.find_elements(By.CSS_SELECTOR, "aside.facets a[href*='category=']")
        checks.expect(len(facets) > 0, "results offer category facets as links")
        if facets:
            label = facets[0].text
            facets[0].click()
            time.sleep(0.5)
            shot("03-facet")
            checks.expect("category=" in driver.current_url, f"following the facet {label!r} filters the search")
            checks.expect(len(driver.find_elements(By.CSS_SELECTOR, "ol.results > li")) > 0, "the filtered search has results")
            driver.back()

        # 4. Page through.
        nxt = driver.find_elements(By.CSS_SELECTOR, "nav.pager a[rel='next']")
        checks.expect(len(nxt) == 1, "the first page links to the next")
        if nxt:
            nxt[0].click()
            time.sleep(0.5)
            shot("04-page-2")
            checks.expect("page=2" in driver.current_url, "Next opens page 2")
            first = driver.find_element(By.CSS_SELECTOR, "ol.results").get_attribute("start")
            checks.expect(first == "11", f"page 2 numbers its results from 11 (start={first})")
            checks.expect(len(driver.find_elements(By.CSS_SELECTOR, "nav.pager a[rel='prev']")) == 1, "page 2 links back")
            checks.expect(no_alert(driver) is None, "no alert opened on page 2")

        # 5. Statistics and the node page.
        for path, heading, name in (("/stats", "Moodle worldwide", "05-stats"), ("/node", "", "06-node")):
            driver.get(base + path)
            time.sleep(0.3)
            shot(name)
            text = driver.find_element(By.TAG_NAME, "body").text
            checks.expect(driver.find_elements(By.TAG_NAME, "h1") and (heading in text), f"{path} renders its page")
            checks.expect(XSS not in driver.page_source and no_alert(driver) is None, f"{path} runs no course markup")
        checks.expect("Browser <Test> Campus" in driver.find_element(By.TAG_NAME, "body").text,
                      "/node shows the site name as text")
    except Exception as e:  # a missing element or a dead node: say where
        checks.expect(False, f"the browser run stopped: {type(e).__name__}: {e}")
        if driver:
            driver.save_screenshot(os.path.join(ARTIFACTS, "failure.png"))
    finally:
        if driver:
            driver.quit()
        node.send_signal(signal.SIGTERM)
        try:
            node.wait(timeout=15)
        except subprocess.TimeoutExpired:
            node.kill()
            node.wait()
        log.close()
        shutil.rmtree(data, ignore_errors=True)

    print(f"browser: {checks.passed} passed, {len(checks.failed)} failed; screenshots in {os.path.relpath(ARTIFACTS, ROOT)}")
    return 0 if not checks.failed else 1


if __name__ == "__main__":
    sys.exit(main())
