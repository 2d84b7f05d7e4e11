#!/usr/bin/env python3
"""Builds Demo/campuses.json.gz, the demo federation's campuses, from Tests/Fixtures/courses/courses.csv.gz.

Deterministic: the same input gives the same bytes. Run from the repository root:
    python3 Sources/CourseMesh/Resources/make-demo-campuses.py
See README.md next to this script for the split and the attribution that travels with the data.
"""
import csv, gzip, io, json, os, re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SOURCE = os.path.join(ROOT, "Tests/Fixtures/courses/courses.csv.gz")
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Demo/campuses.json.gz")
MIT = "MIT OpenCourseWare (https://ocw.mit.edu), CC BY-NC-SA 4.0; via mitodl/ocw_oer_export"
UNITN = "University of Trento / DataScientia Foundation, CC BY-SA 4.0; via datascientiafoundation/LiveDataUNITN-DREP"
MAX_SUMMARY = 600

# (name, Moodle wwwroot, country, language, attribution, rule picking a course by its first subject)
CAMPUSES = [
    ("Riverside Institute of Technology", "https://moodle.riverside-tech.example", "US", "en", MIT,
     {"Engineering", "Computer Science", "Electronic Technology", "Mathematics", "Algebra", "Calculus", "Geometry",
      "Statistics and Probability", "Applied Science", "Mechanical Engineering", "Electrical Engineering"}),
    ("Kingsbridge College of Arts and Letters", "https://learn.kingsbridge-arts.example", "GB", "en", MIT,
     {"Arts and Humanities", "Reading Literature", "Visual Arts", "Performing Arts", "Architecture and Design",
      "World Cultures", "Linguistics", "U.S. History", "World History", "Women’s Studies", "Communication", "Music",
      "Philosophy", "Religious Studies", "Literature", "History"}),
    ("Lakeshore School of Social Sciences", "https://moodle.lakeshore-social.example", "CA", "en", MIT,
     {"Political Science", "Management", "Social Science", "Sociology", "Psychology", "Anthropology", "Economics",
      "Business and Communication", "Marketing", "Accounting", "Business Ethicates", "Business Ethics", "Law",
      "Education", "Educational Technology", "Finance", "Public Policy"}),
    ("Coral Coast University of Science", "https://moodle.coralcoast-science.example", "AU", "en", MIT, None),  # the rest of MIT
    ("Ateneo delle Alpi, Studi Umanistici", "https://elearning.alpi-umanistica.example", "IT", "it", UNITN,
     {"Dipartimento di Lettere e Filosofia", "Dipartimento di Sociologia e Ricerca Sociale",
      "Dipartimento di Psicologia e Scienze Cognitive", "Centro Interdipartimentale Mente/Cervello - CIMEC",
      "Facoltà di Giurisprudenza", "Scuola di Studi Internazionali"}),
    ("Scuola di Economia del Ticino", "https://moodle.economia-ticino.example", "CH", "it", UNITN,
     {"Dipartimento di Economia e Management", "CLA"}),
    ("Politecnico del Garda", "https://didattica.politecnico-garda.example", "IT", "it", UNITN, None),  # the rest of Trento
]


def short_name(course_id):
    if course_id.startswith("mitocw:"):
        parts = course_id[len("mitocw:"):].split("-")
        return (parts[0] + "." + parts[1]).upper() if len(parts) > 1 else parts[0].upper()
    return course_id.rsplit(":", 1)[-1]


def summary(text):
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= MAX_SUMMARY:
        return text
    return text[:MAX_SUMMARY].rsplit(" ", 1)[0] + " …"


def main():
    rows = list(csv.DictReader(io.TextIOWrapper(gzip.open(SOURCE), encoding="utf-8")))
    campuses = [{"name": n, "url": u, "country": c, "language": l, "attribution": a, "courses": []}
                for n, u, c, l, a, _ in CAMPUSES]
    for row in rows:
        subjects = [s for s in row["subject"].split("|") if s]
        first = subjects[0] if subjects else ""
        mit = row["id"].startswith("mitocw:")
        candidates = [i for i, spec in enumerate(CAMPUSES) if (spec[4] == MIT) == mit]
        index = next((i for i in candidates if CAMPUSES[i][5] and first in CAMPUSES[i][5]),
                     next(i for i in candidates if CAMPUSES[i][5] is None))
        campuses[index]["courses"].append({
            "short_name": short_name(row["id"]), "title": row["title"].strip(), "summary": summary(row["description"]),
            "subjects": subjects[:8], "language": row["language"] or campuses[index]["language"]})
    document = {
        "about": "Demo campuses for `coursemesh demo`, derived from Tests/Fixtures/courses/courses.csv.gz "
                 "by Sources/CourseMesh/Resources/make-demo-campuses.py. The campus names and sites are fictional; "
                 "the course texts are not: keep the attribution of each campus with any copy.",
        "sources": [MIT, UNITN],
        "campuses": campuses,
    }
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as z:
            z.write(raw)
    for c in campuses:
        print(f'{len(c["courses"]):5d}  {c["name"]} ({c["country"]}, {c["language"]})')
    print(f"{sum(len(c['courses']) for c in campuses)} courses, {len(raw)} bytes raw, {os.path.getsize(OUTPUT)} bytes gzip")


if __name__ == "__main__":
    main()
