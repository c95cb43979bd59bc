# JupyterHub: run the watcher as a Hub-managed service (README: "Grading on submission").
# Add this to the Hub's jupyterhub_config.py and adapt the paths and the user. The Hub
# starts the service with itself and restarts it when it exits; its output goes to the
# Hub's log. The service needs no API token (it talks to nobody): it reads the nbgrader
# exchange and writes feedback there, which students fetch from the Assignments tab.
COURSE = "/srv/nbgrader/nn-lecture"

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

c.JupyterHub.services = [
    {
        "name": "nn-lecture-autograder",
        "command": [f"{COURSE}/.venv/bin/python", "-m", "autograders", "watch",
                    "--course", COURSE, "--poll", "30", "--rate-limit", "10",
                    "--scores", "after-due"],
        "cwd": COURSE,
        "environment": {"MPLBACKEND": "Agg"},
        # The instructor's account that owns the course (JupyterHub's "user" key of a
        # managed service: run as this system user instead of the Hub's).
        "user": "grader",
    },
]
