"""The autograded notebook formgrader shows, made with nbgrader's own rules.

``nbgrader autograde`` writes ``autograded/<student>/<assignment>/<nb>.ipynb``
in two passes: *sanitize* (clear outputs, de-duplicate ids, restore the
kernelspec and the locked and test cells from the gradebook's copy of the
source, validate the nbgrader metadata) and *autograde* (execute, then
``SaveAutoGrades`` reads each test cell's outputs into the gradebook).

We sanitize with the same preprocessors, and instead of executing student
code beside the hidden tests, give each test cell the outputs the in-kernel
check prints for the engine's verdict (see in_kernel.py); nbgrader's
``determine_grade`` then reads the score from them, exactly as after
``nbgrader autograde``. Formgrader shows the engine's feedback under each
test cell.

Speed: nbgrader's preprocessors query the gradebook cell by cell, commit
after every score and re-check the metadata schema for every cell, about
0.1 s per notebook. The source side is the same for the whole class, so it
is read once (``SourceNotebook``) and handed to nbgrader's per-cell code in
place of the database. The scores are saved by scores.py.
"""
import json
from types import SimpleNamespace

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.api import MissingEntry
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import ClearOutput, DeduplicateIds, OverwriteCells

from autograders.nbgrader_bridge.in_kernel import verdict_report


class SourceNotebook:
    """One source notebook as the gradebook holds it, read once for the class.

    Answers the two look-ups nbgrader's OverwriteCells makes per cell
    (``find_source_cell``, ``find_graded_cell``), so its own per-cell code
    restores the cells without a query per cell.
    """

    def __init__(self, notebook):
        self.id, self.name = notebook.id, notebook.name
        self.kernelspec = json.loads(notebook.kernelspec) if notebook.kernelspec else None
        self.source_cells = {c.name: SimpleNamespace(name=c.name, cell_type=c.cell_type,
                                                     locked=c.locked, checksum=c.checksum,
                                                     source=c.source)
                             for c in notebook.source_cells}
        graded = notebook.grade_cells + notebook.task_cells
        self.graded_cells = {c.name: SimpleNamespace(name=c.name, max_score=c.max_score)
                             for c in graded}
        # Database ids, by which a submission's Grade and Comment rows name their cell.
        self.grade_ids = {c.name: c.id for c in graded}
        self.comment_ids = {c.name: c.id for c in notebook.solution_cells + notebook.task_cells}

    def find_source_cell(self, name, notebook, assignment):
        return self._find(self.source_cells, name)

    def find_graded_cell(self, name, notebook, assignment):
        return self._find(self.graded_cells, name)

    def _find(self, cells, name):
        try:
            return cells[name]
        except KeyError:
            raise MissingEntry() from None


class _QuietOverwriteCells(OverwriteCells):
    """OverwriteCells, its change reports at debug level: every test cell
    "changed", since the release never holds the hidden tests, and a class
    would print thousands of such warnings."""

    def report_change(self, name, attr, old, new):
        self.log.debug("cell %s: %s restored from the source", name, attr)


class _CachedMetadataValidator(MetadataValidator):
    """nbgrader's metadata validation, each distinct cell checked once.

    After OverwriteCells, most cells' metadata is the source's, the same for
    every student; the per-cell schema check costs ~1 ms, and its outcome
    depends only on the metadata and the cell type.
    """
    _valid = set()

    def validate_cell(self, cell):
        key = (cell.cell_type, json.dumps(cell.metadata.get("nbgrader"), sort_keys=True))
        if key not in self._valid:
            super().validate_cell(cell)
            self._valid.add(key)


def nbgrader_resources(notebook, assignment, student, db_url):
    """The resources dict nbgrader's converters hand to every preprocessor."""
    return {
        "unique_key": notebook,
        "output_files_dir": f"{notebook}_files",
        "nbgrader": {"student": student, "assignment": assignment,
                     "notebook": notebook, "db_url": db_url},
    }


def read_submitted(path):
    """The submitted notebook as nbformat 4; raises if it is not a notebook.

    nbformat's reader without its schema validation (8 ms a notebook): what
    nbgrader needs of the structure, the sanitize pass checks.
    """
    with open(path, encoding="utf-8") as file:
        notebook = nbformat.reader.reads(file.read())
    return nbformat.convert(notebook, 4)


def sanitized(notebook, source, resources, config):
    """nbgrader autograde's sanitize pass (ClearOutput, DeduplicateIds,
    OverwriteKernelspec, OverwriteCells, CheckCellMetadata), source-side
    look-ups answered by ``source``. Raises what nbgrader raises on a
    notebook it cannot grade (e.g. duplicate grade ids)."""
    for preprocessor in (ClearOutput, DeduplicateIds):
        notebook, resources = preprocessor(config=config)(notebook, resources)
    if source.kernelspec:
        notebook.metadata["kernelspec"] = source.kernelspec
    overwrite = _QuietOverwriteCells(config=config)
    overwrite.gradebook, overwrite.notebook_id = source, source.name
    overwrite.assignment_id = resources["nbgrader"]["assignment"]
    # The per-cell pass of OverwriteCells.preprocess, minus opening the database.
    notebook, resources = Preprocessor.preprocess(overwrite, notebook, resources)
    _CachedMetadataValidator().validate_nb(notebook)
    return notebook


def test_cell_id(cell):
    metadata = cell.metadata.get("nbgrader", {})
    if cell.cell_type == "code" and metadata.get("grade") and not metadata.get("solution"):
        return metadata.get("grade_id")
    return None


def publish_verdicts(notebook, verdicts_by_test_id):
    """Give each judged test cell the in-kernel check's outputs for its verdict.

    The printed report, then the points as the cell's result: nbgrader reads
    a numeric result as partial credit. Test cells without a verdict keep no
    output (scores.from_notebook leaves them to the grader).
    """
    for cell in notebook.cells:
        verdict = verdicts_by_test_id.get(test_cell_id(cell))
        if verdict is None:
            continue
        # Built as plain nbformat 4 outputs: new_output() validates each one
        # against the schema, which would cost more than the rest of the copy.
        cell.outputs = [
            nbformat.from_dict({"output_type": "stream", "name": "stdout",
                                "text": verdict_report(verdict) + "\n"}),
            nbformat.from_dict({"output_type": "execute_result", "execution_count": None,
                                "metadata": {},
                                "data": {"text/plain": repr(float(verdict.points))}}),
        ]
    return notebook


def notebook_text(notebook):
    """The notebook as nbformat writes it to disk, without another schema check."""
    return nbformat.v4.writes(notebook)
