"""OUT/class.json, OUT/class.html and OUT/similarity.csv: the class as a whole.

Written by every ``grade`` and ``merge`` beside grades.csv (class_data.py
says what they hold). similarity.csv has the columns
``item,student_a,student_b,similarity`` (similarity in [0, 1]), most similar
first; a match with the reference solution is a row whose student_b is
``(reference)``, which no student id can be.
"""
import csv
import io
from pathlib import Path

from autograders.exports.class_data import class_data
from autograders.exports.class_page import class_page
from autograders.exports.common import write_json, write_text

JSON_FILE, HTML_FILE, SIMILARITY_FILE = "class.json", "class.html", "similarity.csv"


def write(results, out_dir, course=None):
    out_dir = Path(out_dir)
    data, ranking = class_data(results, course)
    write_json(out_dir / JSON_FILE, data)
    write_text(out_dir / SIMILARITY_FILE, similarity_csv(ranking))
    write_text(out_dir / HTML_FILE, class_page(data, ranking, results))


def similarity_csv(ranking):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["item", "student_a", "student_b", "similarity"])
    rows = sorted(ranking.pairs + ranking.reference,
                  key=lambda p: (-p.similarity, p.item, p.student_a, p.student_b))
    writer.writerows([p.item, p.student_a, p.student_b, f"{p.similarity:.3f}"] for p in rows)
    return buffer.getvalue()

