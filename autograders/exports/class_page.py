"""OUT/class.html: the instructor's page of the class, one self-contained file.

Made from class_data.class_data: score histograms (PNGs embedded as data:
URLs), the items, the misconceptions most frequent first with the students
linked to their feedback pages, the statuses, the slowest submissions, and
the similarity ranking with the two pieces of code side by side. Every text
that can come from a student (ids, messages, code) is escaped.
"""
from urllib.parse import quote

from autograders.exports.common import TIMING_SECTION, points
from autograders.exports.style import STYLE, esc, figure, png

PAIRS_SHOWN = 30
TITLE = "Class report"


def class_page(data, ranking, results):
    code = {r.student_id: r.code for r in results}
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{TITLE}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             f"<h1>{TITLE}</h1>",
             f"<p>{data['students']} students. Each student's page: "
             "<code>&lt;student&gt;/feedback.html</code> beside this file.</p>",
             _isolation(data.get("isolation", {})),
             _scores(data), _items(data["items"]), _misconceptions(data["misconceptions"]),
             _statuses(data["statuses"]), _slowest(data["slowest"]),
             _similarity(data["similarity"], ranking, code), "</body>", "</html>", ""]
    return "\n".join(parts)


def _isolation(counts):
    """Which sandbox tier ran the students' code; a warning where one was not isolated."""
    text = ", ".join(f"{esc(tier)}: {count}" for tier, count in counts.items())
    warn = (" <strong>Students graded by the tier none were not isolated: their code could "
            "read the course.</strong>" if counts.get("none") else "")
    return f'<p class="isolation">Sandbox tier (students): {text}.{warn}</p>'


def _student(student_id):
    return f'<a href="{esc(quote(student_id))}/feedback.html">{esc(student_id)}</a>'


def _students(ids):
    return ", ".join(_student(s) for s in ids)


def _percent(share):
    return f"{100 * share:.0f} %"


def _table(header, rows):
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


# ------------------------------------------------------------------ scores
def _scores(data):
    panels = [("assignment", data["assignment"])] + list(data["notebooks"].items())
    figures = "".join(f'<figure><img alt="histogram of the {esc(name)} scores" '
                      f'src="{_histogram(name, dist)}"><figcaption>{esc(name)}: mean '
                      f"{_number(dist['mean'])}, median {_number(dist['median'])} of "
                      f"{points(dist['max_score'])}</figcaption></figure>"
                      for name, dist in panels if dist["scores"])
    return f'<section id="scores"><h2>Scores</h2>{figures}</section>'


def _number(value):
    return "-" if value is None else f"{value:.1f}"


def _histogram(name, dist):
    made, (axes,) = figure(1)
    top = max(dist["max_score"], 1)
    axes.hist(dist["scores"], bins=min(20, int(top) + 1), range=(0, top), color="#2c7fb8")
    axes.set_title(name)
    axes.set_xlabel("points")
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)
    return png(made)


def _items(items):
    rows = [f'<tr><td><code>{esc(item)}</code></td><td>{esc(row["notebook"])}</td>'
            f'<td class="num">{row["max_points"]}</td><td class="num">{row["mean"]:.2f}</td>'
            f'<td class="num">{_percent(row["full_marks"])}</td>'
            f'<td class="num">{_percent(row["zero"])}</td></tr>' for item, row in items.items()]
    return ('<section id="items"><h2>Items</h2><p>Mean points, and the share of the class '
            "with full marks and with 0, per graded item.</p>"
            + _table(["item", "notebook", "points", "mean", "full marks", "0 points"], rows)
            + "</section>")


# ------------------------------------------------------------------ what went wrong
def _misconceptions(rows):
    if not rows:
        return '<section id="misconceptions"><h2>Misconceptions</h2><p>None found.</p></section>'
    body = [f'<tr><td><code>{esc(row["id"])}</code></td><td>{esc(row["name"])}'
            f'<br><span class="hint">Hint: {esc(row["hint"])}</span></td>'
            f'<td class="num">{_percent(row["share"])}</td><td>{_students(row["students"])}</td>'
            "</tr>" for row in rows]
    return ('<section id="misconceptions"><h2>Misconceptions</h2><p>The mistakes the judges '
            "recognised, most frequent first: what to teach again.</p>"
            + _table(["catalogue id", "what it is", "class", "students"], body) + "</section>")


def _statuses(rows):
    if not rows:
        return ('<section id="statuses"><h2>Statuses</h2><p>Every submission ran: no timeout, '
                "crash, unreadable or missing notebook, no engine error.</p></section>")
    body = [f'<tr><td>{_student(row["student_id"])}</td><td>{esc(row["status"])}</td>'
            f'<td>{esc(", ".join(f"{n}: {s}" for n, s in row["notebooks"].items()))}</td>'
            f'<td><pre>{esc(row["message"])}</pre></td></tr>' for row in rows]
    return ('<section id="statuses"><h2>Statuses</h2><p>Submissions that did not run '
            "cleanly (timeout, crashed, unreadable, missing, engine errors).</p>"
            + _table(["student", "status", "notebooks", "message"], body) + "</section>")


def _slowest(rows):
    body = [f'<tr><td>{_student(row["student_id"])}</td>'
            f'<td class="num">{row["seconds"]:.2f}</td></tr>' for row in rows]
    return (f'<section id="{TIMING_SECTION}"><h2>Slowest submissions</h2><p>Time in the sandbox: '
            "runaway code shows here.</p>" + _table(["student", "seconds"], body) + "</section>")


# ------------------------------------------------------------------ similarity
NOT_AN_ACCUSATION = (
    "This is a ranking for a human to look at, never an accusation: similar code has many "
    "innocent causes (a shared study group, the lecture's own code, a textbook idiom). "
    "Similarity is the share of fingerprints two pieces have in common after names, comments, "
    "docstrings, strings and layout are set aside, and after the code the release gives "
    "everyone is taken away: 1 means the same code up to those.")


def _similarity(similarity, ranking, code):
    parts = ['<section id="similarity"><h2>Similar code</h2>',
             f"<p>{esc(NOT_AN_ACCUSATION)}</p>",
             "<p>Compared: " + (", ".join(f"<code>{esc(i)}</code>" for i in ranking.items)
                                or "nothing") + ".</p>"]
    if ranking.skipped:
        parts.append("<p>Left out: " + ", ".join(f"<code>{esc(i)}</code>"
                                                 for i, _ in ranking.skipped)
                     + f" ({esc(ranking.skipped[0][1])}).</p>")
    parts.append(_pairs(ranking.pairs, code))
    parts.append(_reference(similarity["reference"]))
    return "".join(parts) + "</section>"


def _reference(rows):
    if not rows:
        return "<h3>Matches with the reference solution</h3><p>None.</p>"
    by_item = {}
    for row in rows:     # most similar first already
        by_item.setdefault(row["item"], []).append(row)
    body = [f'<tr><td><code>{esc(item)}</code></td><td class="num">{len(matches)}</td><td>'
            + ", ".join(f'{_student(m["student_id"])} ({m["similarity"]:.2f})' for m in matches)
            + "</td></tr>" for item, matches in by_item.items()]
    return ("<h3>Matches with the reference solution</h3><p>Worth knowing: the solution may "
            "have leaked (or, in a sample class, is the sample). Students this close to the "
            "reference are not paired with each other for that item.</p>"
            + _table(["item", "students", "who (similarity)"], body))


def _pairs(pairs, code):
    if not pairs:
        return "<h3>Pairs of students</h3><p>No pair of students shares enough code.</p>"
    shown = pairs[:PAIRS_SHOWN]
    more = f" (the first {PAIRS_SHOWN} of {len(pairs)}: all in similarity.csv)" \
        if len(pairs) > PAIRS_SHOWN else ""
    blocks = [f'<div class="pair"><h4><code>{esc(p.item)}</code>: {_student(p.student_a)} and '
              f"{_student(p.student_b)}, similarity {p.similarity:.2f}</h4>"
              f'<div class="side"><pre class="code">{esc(code[p.student_a].get(p.item, ""))}'
              f'</pre><pre class="code">{esc(code[p.student_b].get(p.item, ""))}</pre></div></div>'
              for p in shown]
    return f"<h3>Pairs of students, most similar first{more}</h3>" + "".join(blocks)
