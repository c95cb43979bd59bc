"""The look every HTML report shares: one stylesheet, escaping, embedded plots.

The students' feedback pages (html_report.py) and the instructor's class
page (class_page.py) both use STYLE, so they look alike; ``esc`` escapes
every text that can come from a student (names, messages, code); ``png``
embeds a matplotlib figure as a data: URL, so a page is one file that needs
no network.
"""
import base64
import html
import io

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bad { color: #c0392b; font-weight: bold; }
tr.lost td:first-child { border-left: 4px solid #c0392b; }
tr.full td:first-child { border-left: 4px solid #27ae60; }
pre { white-space: pre-wrap; margin: 0; font-family: inherit; }
pre.code { font-family: ui-monospace, monospace; font-size: .85rem; background: #f7f7f7;
           padding: .5rem; overflow-x: auto; }
.status { padding: .5rem 1rem; background: #fdf2e9; border-left: 4px solid #e67e22; }
.hint { color: #555; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
figure { margin: 0 1rem 1rem 0; display: inline-block; vertical-align: top; max-width: 20rem; }
figcaption { font-size: .9rem; color: #555; }
"""


def esc(value):
    return html.escape(str(value), quote=True)


def figure(panels):
    """A pyplot-free matplotlib Figure with panels side by side (no global state, no display)."""
    from matplotlib.figure import Figure
    made = Figure(figsize=(4 * panels, 3), dpi=80, layout="tight")
    return made, made.subplots(1, panels, sharey=True, squeeze=False)[0]


def png(made):
    """The figure as a data: URL of a PNG whose bytes depend on the data only."""
    buffer = io.BytesIO()
    made.savefig(buffer, format="png", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
