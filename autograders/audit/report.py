"""audit.json and audit.html: the audit's figures, its missed mutants, its details.

audit.json: {"summary", "settings", "timings", "mutants": [every mutant with
its outcome]}. audit.html: one self-contained page (the reports' stylesheet):
the mutation score per item and overall with the counts of each outcome and
the share of killed mutants whose feedback names a catalogue misconception;
each missed mutant's diff and distinguishing input; the probably equivalent
ones; then every mutant in a table.
"""
from pathlib import Path

from autograders.exports.common import write_json, write_text
from autograders.exports.style import STYLE, esc

OUTCOME_WORDS = {
    "killed_on_item": "killed on its item", "killed_elsewhere": "killed elsewhere only",
    "killed_by_error": "killed by error", "equivalent": "probably equivalent",
    "missed": "missed", "survived": "survived (not compared)", "engine_error": "engine error",
}


def percent(value):
    return "–" if value is None else f"{100 * value:.1f} %"


def write(out, summary, outcomes, settings, timings):
    out = Path(out)
    data = {"summary": summary, "settings": settings, "timings": timings,
            "mutants": [o.to_json() for o in outcomes]}
    write_json(out / "audit.json", data)
    write_text(out / "audit.html", page(summary, outcomes, settings, timings))
    return out / "audit.json", out / "audit.html"


def _score_row(name, row):
    cells = [name, row["mutants"], row["killed_on_item"], row["killed_elsewhere"],
             row["killed_by_error"], row["equivalent"], row["missed"], row["engine_error"]]
    bad = row["score"] is not None and row["score"] < 0.9
    html = "".join(f"<td>{esc(c)}</td>" if i == 0 else f'<td class="num">{c}</td>'
                   for i, c in enumerate(cells))
    html += f'<td class="num{" bad" if bad else ""}">{percent(row["score"])}</td>'
    html += f'<td class="num">{percent(row["diagnosed_share"])}</td>'
    return f"<tr>{html}</tr>"


def page(summary, outcomes, settings, timings):
    overall = summary["overall"]
    head = ("<tr><th>item</th><th>mutants</th><th>killed on item</th><th>killed elsewhere"
            "</th><th>killed by error</th><th>probably equivalent</th><th>missed</th>"
            "<th>engine errors</th><th>mutation score</th><th>diagnosed</th></tr>")
    rows = [_score_row(item, row) for item, row in summary["items"].items()]
    rows.append(_score_row("overall", overall))
    missed = [o for o in outcomes if o.outcome == "missed"]
    equivalent = [o for o in outcomes if o.outcome == "equivalent"]
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Autograder audit</title>",
        f"<style>{STYLE}</style></head><body><h1>Autograder audit</h1>",
        f"<p>Mutation score <b>{percent(overall['score'])}</b>: {overall['killed']} of "
        f"{overall['counted']} non-equivalent mutants of the reference solution lose points "
        f"({overall['equivalent']} probably equivalent mutants not counted). "
        f"{percent(overall['diagnosed_share'])} of the killed mutants get feedback that "
        "names a catalogue misconception (the column <i>diagnosed</i>).</p>",
        f"<p class='hint'>{esc(_settings_line(settings, timings))}</p>",
        f"<table>{head}{''.join(rows)}</table>",
        f"<h2>Missed mutants ({len(missed)})</h2>",
        "<p>Full marks, yet different from the reference: strengthen the judge, or accept "
        "the mutant in the README with the reason.</p>" if missed else "<p>None.</p>",
    ]
    for o in missed:
        parts.append(_mutant_block(o, show_input=True))
    parts.append(f"<h2>Probably equivalent mutants ({len(equivalent)})</h2>")
    parts.append("<p>The same outputs as the reference on the judges' inputs and on random "
                 "inputs: not counted.</p>")
    for o in equivalent:
        parts.append(_mutant_block(o, show_input=False))
    parts.append("<h2>Every mutant</h2><table><tr><th>mutant</th><th>operator</th>"
                 "<th>change</th><th>outcome</th><th>items that lost points</th>"
                 "<th>misconceptions named</th></tr>")
    for o in outcomes:
        lost = ", ".join(f"{k} {v[0]:g}/{v[1]:g}" for k, v in o.lost.items())
        parts.append(f"<tr><td>{esc(o.mutant.id)}</td><td>{esc(o.mutant.operator)}</td>"
                     f"<td>{esc(o.mutant.description)}</td>"
                     f"<td>{esc(OUTCOME_WORDS[o.outcome])}</td><td>{esc(lost)}</td>"
                     f"<td>{esc(', '.join(o.misconceptions))}</td></tr>")
    parts.append("</table></body></html>\n")
    return "\n".join(parts)


def _settings_line(settings, timings):
    sample = settings.get("sample")
    scope = f"at most {sample} mutants per item (a sample)" if sample else "every mutant"
    tiers = ", ".join(settings.get("isolation") or ["?"])
    return (f"{scope}; items: {', '.join(settings['items'])}; {settings['workers']} workers, "
            f"sandbox {settings['sandbox']} ({tiers}); "
            f"graded {timings.get('graded', 0)} submissions "
            f"({timings.get('reused', 0)} reused from the last audit) in "
            f"{timings.get('grading_seconds', 0):.0f} s; {timings.get('compared', 0)} survivors "
            f"compared in {timings.get('comparing_seconds', 0):.0f} s; "
            f"total {timings.get('total_seconds', 0):.0f} s.")


def _mutant_block(outcome, show_input):
    m = outcome.mutant
    parts = [f"<h3>{esc(m.id)} <small>({esc(m.item)}, {esc(m.operator)})</small></h3>",
             f"<p>{esc(m.description)}</p>", f"<pre class='code'>{esc(m.diff)}</pre>"]
    if show_input:
        parts.append(f"<p>Distinguishing input: <code>{esc(outcome.input)}</code><br>"
                     f"Difference (reference vs mutant): <code>{esc(outcome.difference)}</code>"
                     "</p>")
    return "\n".join(parts)
