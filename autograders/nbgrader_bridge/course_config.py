"""An nbgrader course's settings, read the way nbgrader reads them.

The gradebook URL, the course id and the folder layout (``submitted/``,
``autograded/``, their ``{student_id}/{assignment_id}`` format) come from the
course's ``nbgrader_config.py``, so the export writes where ``nbgrader
autograde`` and formgrader look, whatever the instructor configured.
"""
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"


def course_directory(root, db_url=None):
    """nbgrader's CourseDirectory for the course at ``root``.

    ``db_url`` overrides the configured gradebook (e.g. a test's own sqlite
    file). Without a config file, nbgrader's defaults apply (gradebook.db at
    the root). The root is always the folder given: a config copied from
    another place must not send the grades there.
    """
    root = Path(root).resolve()
    config = Config()
    if (root / CONFIG_FILE).exists():
        config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return CourseDirectory(config=config)
