"""Where submissions arrive: the nbgrader exchange's inbound/, or submitted/ directly.

``latest()`` maps each student to their latest submission: a ``Submission``
whose ``key`` changes whenever the student submits again. ``collect(student)``
brings it into submitted/ (nbgrader's own collect for that student, with
--update: the latest timestamp wins, as ``nbgrader collect`` decides).
"""
import hashlib
from dataclasses import dataclass
import datetime
from pathlib import Path


@dataclass(frozen=True)
class Submission:
    key: str                 # names this submission of this student
    time: datetime.datetime  # when the student submitted (UTC, naive as nbgrader's)
    folder: Path             # the submitted files (submission_secret.txt among them)


class Inbound:
    """The exchange's inbound folder of the course, read by nbgrader's ExchangeCollect."""

    def __init__(self, api, assignment):
        self.api, self.assignment = api, assignment

    def _collector(self):
        return self.api.exchange.Collect(coursedir=self.api.coursedir,
                                         authenticator=self.api.authenticator, parent=self.api)

    def latest(self):
        from nbgrader.utils import temp_attrs
        with temp_attrs(self.api.coursedir, assignment_id=self.assignment, student_id="*"):
            collector = self._collector()
            collector.init_src()   # its records: each student's latest, nbgrader's own choice
        return {record["username"]: Submission(record["filename"], record["timestamp"],
                                               Path(collector.inbound_path) / record["filename"])
                for record in collector.src_records}

    def collect(self, student):
        from nbgrader.utils import temp_attrs
        with temp_attrs(self.api.coursedir, assignment_id=self.assignment, student_id=student):
            collector = self._collector()
            collector.update = True
            collector.start()


class Submitted:
    """submitted/<student>/<assignment>/ itself: a submission is its timestamp and files."""

    def __init__(self, api, assignment):
        self.api, self.assignment = api, assignment

    def latest(self):
        from nbgrader.utils import parse_utc
        found = {}
        submitted = Path(self.api.coursedir.root) / self.api.coursedir.submitted_directory
        for folder in submitted.glob(f"*/{self.assignment}"):
            stamp = folder / "timestamp.txt"
            try:
                time = parse_utc(stamp.read_text().strip())
            except (OSError, ValueError):
                continue   # not there yet, or being written
            digest = hashlib.sha256(stamp.read_bytes())
            for path in sorted(folder.glob("*.ipynb")):
                status = path.stat()
                digest.update(f"{path.name} {status.st_size} {status.st_mtime_ns}".encode())
            found[folder.parent.name] = Submission(digest.hexdigest()[:16], time, folder)
        return found

    def collect(self, student):
        """Already in submitted/."""
