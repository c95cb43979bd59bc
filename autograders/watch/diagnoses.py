"""Feedback with the diagnoses and without the scores (``--scores after-due``).

nbgrader's generate_feedback with two changes: ``HideScores`` runs after the
course's feedback preprocessors and takes the points out of every test cell's
output (the engine's autograded copy prints "item: points / max" above the
diagnosis and publishes the points as the cell's result:
nbgrader_bridge.autograded_copy.publish_verdicts), and the page is rendered
with templates/diagnoses/diagnoses.html.j2, nbgrader's feedback template
without its score lines.
"""
import copy
import os
import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from autograders.nbgrader_bridge.autograded_copy import test_cell_id

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
SCORE_LINE = re.compile(r"\A[\w.-]+: [-\d.e+]+ / [-\d.e+]+\n?")


class HideScores(Preprocessor):
    """Each test cell keeps its printed diagnosis; its score line and result go."""
    enabled = Bool(True).tag(config=True)   # nbconvert's preprocessors are off by default

    def preprocess_cell(self, cell, resources, index):
        if test_cell_id(cell) is None:
            return cell, resources
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") in ("execute_result", "display_data"):
                continue
            if output.get("output_type") == "stream":
                output.text = SCORE_LINE.sub("", output.text)
            kept.append(output)
        cell.outputs = kept
        return cell, resources


def diagnoses_config(config):
    """A copy of the course's nbgrader config that generates diagnoses-only feedback."""
    from nbgrader.converters.generate_feedback import GenerateFeedback
    changed = copy.deepcopy(config)
    preprocessors = list(config.GenerateFeedback.get("preprocessors",
                                                     GenerateFeedback.preprocessors.default()))
    changed.GenerateFeedback.preprocessors = preprocessors + [HideScores]
    changed.HTMLExporter.template_name = "diagnoses"
    changed.HTMLExporter.template_file = "diagnoses.html.j2"
    changed.HTMLExporter.extra_template_basedirs = [TEMPLATES, _nbgrader_templates()]
    return changed


def _nbgrader_templates():
    """nbgrader's own templates folder (its feedback template is the base of ours)."""
    import nbgrader
    return os.path.join(os.path.dirname(os.path.abspath(nbgrader.__file__)), "server_extensions",
                        "formgrader", "templates")
