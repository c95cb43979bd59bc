"""nbgrader ``zip_collect`` plugin for Gradescope's "Export Submissions" zip.

    mkdir -p downloaded/neural_networks/archive
    cp submissions.zip downloaded/neural_networks/archive/
    python -m nbgrader zip_collect neural_networks \\
        --collector=autograders.collect.gradescope.GradescopeCollector

(``python -m`` puts the course root on the import path, so autograders is
found.) The export holds one ``submission_<number>/`` folder per submission
and a ``submission_metadata.yml`` naming its submitters; the collector names
each submission by the student's SID (else the e-mail's local part), and
without the metadata by the submission number, as nbgrader's plain
FileNameCollectorPlugin with ``GRADESCOPE_REGEXP`` does.
"""
import datetime
from pathlib import Path

import dateutil.parser
import yaml
from nbgrader.plugins import FileNameCollectorPlugin
from traitlets import Unicode

from autograders.collect.classroom import safe_id

METADATA_FILE = "submission_metadata.yml"
# A notebook in a submission_<number>/ folder, anywhere in the extracted export.
GRADESCOPE_REGEXP = (r".*/(?P<submission>submission_(?P<student_id>\d+))/"
                     r"(?P<file_id>[^/]+\.ipynb)$")


class GradescopeCollector(FileNameCollectorPlugin):
    """Gradescope's export layout, with students named by their SID (see the module)."""
    named_regexp = Unicode(GRADESCOPE_REGEXP, help="see FileNameCollectorPlugin").tag(config=True)

    def collect(self, submitted_file):
        info = super().collect(submitted_file)
        if not info:
            return info
        submission = info.pop("submission", None)
        entry = self._metadata(Path(submitted_file)).get(submission) or {}
        submitters = entry.get(":submitters") or [{}]
        if len(submitters) > 1:
            self.log.warning("%s is a group submission: collected for its first submitter "
                             "only", submission)
        sid = str(submitters[0].get(":sid") or "").strip()
        email = str(submitters[0].get(":email") or "").split("@")[0]
        info["student_id"] = safe_id(sid or email) or info["student_id"]
        if entry.get(":created_at"):
            info["timestamp"] = utc_iso(entry[":created_at"])
        return info

    def _metadata(self, path):
        """The submission_metadata.yml in the nearest folder above the file ({} if none)."""
        for folder in path.parents:
            if (folder / METADATA_FILE).is_file():
                return read_metadata(folder / METADATA_FILE)
        return {}


def utc_iso(text):
    """Gradescope's '2025-01-20 12:00:00.123456789 -08:00' as ISO 8601 in UTC, for nbgrader."""
    moment = dateutil.parser.parse(text)
    return moment.astimezone(datetime.timezone.utc).isoformat()


def read_metadata(path):
    """submission_metadata.yml, every value as text (Gradescope writes Ruby-style YAML)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
