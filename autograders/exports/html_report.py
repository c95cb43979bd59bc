"""OUT/<student_id>/feedback.html: a student's feedback page, self-contained.

Scores per notebook and item, a line on a late submission (hours late, the
course's late penalty, the score after it), each lost item's feedback with its diagnoses
and the catalogue's hints, and the pictures the judges' details allow (any
item may provide them; the formats are in the functions below):
- details["loss_curves"]: the student's loss curves beside the reference's
  (train_and_evaluate: on the judge's small training run);
- backprop's details["rel_errors"]: the per-layer relative gradient errors
  against central differences, as a table;
- details["fit"]: x, target, and the student's and reference's predictions.
Plots are PNGs (matplotlib, Agg) embedded as base64, so the page is one file.
Everything that can come from a student (messages quoting their errors,
ids) is HTML-escaped; the page shows verdict messages and numbers only,
never the hidden tests' source.
"""
import functools
import json
from pathlib import Path

from autograders.catalogue import catalogue
from autograders.exports.common import (isolation_line, item_verdicts, late_line,
                                        notebook_scores, points, student_dir, write_text)
from autograders.exports.style import STYLE, esc, figure as _figure, png as _png
from autograders.items import ITEMS, NOTEBOOKS

PER_STUDENT = True  # each result on its own (exports.ResultStream)
FILE_NAME = "feedback.html"


def write(results, out_dir, course=None):
    for result in results:
        write_text(student_dir(Path(out_dir), result) / FILE_NAME, feedback_page(result))


def feedback_page(result):
    title = f"Feedback: {result.assignment}, {result.student_id}"
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{esc(title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>Autograded score: <strong>{points(result.score)} / {points(result.max_score)}"
        "</strong>. Free-text answers are graded by hand and are not included here.</p>",
        _status(result),
        _overview(result),
    ]
    for notebook in NOTEBOOKS:
        section = [v for item, v in item_verdicts(result) if item.notebook == notebook]
        if section:
            parts.append(_notebook_section(notebook, section))
    parts += _pictures(result.verdicts)
    parts += ["</body>", "</html>", ""]
    return "\n".join(part for part in parts if part)


def _status(result):
    notes = []
    if result.seconds_late > 0:
        notes.append(esc(late_line(result)))
    if result.status != "ok":
        notes.append(f"Status: <strong>{esc(result.status)}</strong>. {esc(result.message)}")
    notes.append(esc(isolation_line(result)))
    return "".join(f'<p class="status">{note}</p>' for note in notes)


def _overview(result):
    rows = "".join(f'<tr><td>{esc(name)}</td>'
                   f'<td class="num">{points(got)} / {points(most)}</td></tr>'
                   for name, (got, most) in notebook_scores(result).items())
    return f"<table><tr><th>notebook</th><th>points</th></tr>{rows}</table>"


def _notebook_section(notebook, verdicts):
    rows = []
    for verdict in verdicts:
        kind = "full" if verdict.passed else "lost"
        rows.append(
            f'<tr class="{kind}"><td><code>{esc(verdict.item)}</code></td>'
            f'<td class="num">{points(verdict.points)} / {points(verdict.max_points)}</td>'
            f"<td><pre>{esc(verdict.message)}</pre>{_diagnoses(verdict)}</td></tr>")
    manual = [item for item in ITEMS if item.notebook == notebook and item.kind == "manual"]
    note = ""
    if manual:
        names = ", ".join(f"<code>{esc(item.id)}</code> ({item.points} points)" for item in manual)
        note = f"<p>Graded by hand: {names}.</p>"
    return (f"<h2>{esc(notebook)}</h2><table><tr><th>item</th><th>points</th><th>feedback</th></tr>"
            + "".join(rows) + "</table>" + note)


def _diagnoses(verdict):
    """The catalogue entries behind a lost item: id and the hint that teaches the fix."""
    entries = [(m, catalogue().get(m)) for m in verdict.misconceptions]
    items = [f'<li><code>{esc(m)}</code>: <span class="hint">{esc(entry.hint)}</span></li>'
             for m, entry in entries if entry is not None]
    return f"<p>Diagnoses:</p><ul>{''.join(items)}</ul>" if items else ""


# ------------------------------------------------------------------ pictures
def _pictures(verdicts):
    """Plots and tables from the verdicts' details, in points-table order."""
    parts = []
    for verdict in verdicts:
        details = verdict.details
        if isinstance(details.get("loss_curves"), dict):
            parts.append(_loss_curves(verdict.item, details["loss_curves"]))
        if verdict.item == "backprop" and details.get("rel_errors"):
            parts.append(_gradient_table(details))
        if isinstance(details.get("fit"), dict):
            parts.append(_fit(verdict.item, details["fit"]))
    return parts


def _loss_curves(item, curves):
    """details["loss_curves"]: {"student": {"train_losses": [...], "val_losses": [...]} or
    None, "reference": the same, and optionally "caption" or "epochs" and "lr"}."""
    caption = curves.get("caption") or (
        f"The grader's small training run ({curves.get('epochs', '?')} epochs, "
        f"lr={curves.get('lr', '?')}, no early stopping)")
    intro = (f"<h2>Loss curves: {esc(item)}</h2><p>{esc(caption)}: yours (left) and the "
             "reference's (right). Equal curves mean the same training.</p>")
    if not curves.get("student"):
        intro += ("<p>No loss curves of yours on this run: your code raised or did not "
                  "return what the task asks for.</p>")
    png = loss_plot(json.dumps(curves.get("student")), json.dumps(curves.get("reference")))
    return intro + f'<figure><img alt="loss curves" src="{png}"></figure>'


def _gradient_table(details):
    limit = details.get("rel_error_max")
    cases = details["rel_errors"]
    width = max((len(case.get("layers") or []) for case in cases), default=0)
    rows = []
    for case in cases:
        layers = list(case.get("layers") or [])
        cells = "".join(_error_cell(layer.get(key), limit) for layer in layers
                        for key in ("dw_rel_error", "db_rel_error"))
        cells += "<td></td><td></td>" * (width - len(layers))
        mark = "passed" if case.get("passed") else "failed"
        rows.append(f"<tr><td>{esc(case.get('case', ''))}</td><td>{mark}</td>{cells}</tr>")
    header = "".join(f"<th>dw[{j}]</th><th>db[{j}]</th>" for j in range(width))
    rule = f"A case passes when every error is at most {esc(limit)}." if limit is not None else ""
    return ("<h2>Gradient check of backprop</h2><p>Relative error of your gradients against "
            f"central differences, per layer (layer 0 is the first). {rule}</p>"
            f"<table><tr><th>case</th><th>result</th>{header}</tr>{''.join(rows)}</table>")


def _error_cell(value, limit):
    if not isinstance(value, (int, float)):
        return '<td class="num bad">shape differs</td>'
    bad = " bad" if isinstance(limit, (int, float)) and value > limit else ""
    return f'<td class="num{bad}">{value:.1e}</td>'


def _fit(item, fit):
    """details["fit"]: {"x": [...], "target": [...], "student": [...], "reference": [...]}."""
    png = fit_plot(json.dumps(fit, sort_keys=True))
    return (f"<h2>The fit: {esc(item)}</h2><figure><img alt=\"the fit\" src=\"{png}\">"
            f"<figcaption>{esc(fit.get('caption', 'your model and the reference'))}"
            "</figcaption></figure>")


# Plots are cached by their data: most students' curves equal the reference's,
# and a PNG costs about 0.1 s, far more than the rest of a page.
@functools.lru_cache(maxsize=256)
def loss_plot(student_json, reference_json):
    """Two panels sharing the loss axis: the student's curves, the reference's."""
    figure, panels = _figure(2)
    for axes, title, series_json in ((panels[0], "yours", student_json),
                                     (panels[1], "reference", reference_json)):
        series = json.loads(series_json) or {}
        for key, label in (("train_losses", "training"), ("val_losses", "validation")):
            values = series.get(key) or []
            axes.plot(range(1, len(values) + 1), [_plottable(v) for v in values], marker="o",
                      label=label)
        axes.set_title(title)
        axes.set_xlabel("epoch")
        axes.xaxis.get_major_locator().set_params(integer=True)
    panels[0].set_ylabel("MSE loss")
    panels[1].legend()
    return _png(figure)


@functools.lru_cache(maxsize=64)
def fit_plot(fit_json):
    fit = json.loads(fit_json)
    figure, (axes,) = _figure(1)
    axes.plot(fit["x"], fit["target"], color="black", linewidth=1, label="target")
    for key, label in (("reference", "reference"), ("student", "yours")):
        if fit.get(key):
            axes.plot(fit["x"], [_plottable(v) for v in fit[key]], label=label)
    axes.set_xlabel("x")
    axes.legend()
    return _png(figure)


def _plottable(value):
    return float("nan") if value is None else value
