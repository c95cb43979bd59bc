"""A submission's notebooks, in a child forked from the warmed worker.

The child confines itself (new session, rlimits, an unprivileged user,
no_new_privs, output to a pipe the worker caps), then, notebook by notebook,
runs the graded cells in a fresh ``__main__`` namespace and the probes of
the notebook's items, writing each item's observations with
autograders.observations.dump.
It reports every step to the worker as JSON lines on its own pipe, so a
child the worker has to kill still leaves a record of where it was.

Each cell and probe runs under an interval timer that raises ``Interrupted``
(a BaseException: student code catching Exception does not swallow it). The
child never returns: it leaves with os._exit, so no atexit handler or
buffered output of student code runs on the way out.
"""
import os
import random
import signal
import sys
import tempfile
import types

import matplotlib.pyplot as plt
import numpy as np
import torch

from autograders import observations as observation_files
from autograders.sandbox import limits as sandbox_limits
from autograders.sandbox import notebook_file, privileges, processes, protocol
from autograders.student_call import describe_error

SEED = 0
EXIT_OK = 0
EXIT_CHANNEL_LOST = 71


class Interrupted(BaseException):
    """The step's time is up."""


class ChannelLost(Exception):
    """Student code closed or broke the events pipe."""


def run(task, probes, events_fd, output_fd, close_fds, confinement=None):
    """The child's whole life; never returns. confinement: the namespace-free
    tier's Landlock and seccomp (namespace_free.Confinement), or None."""
    try:
        _confine(task, output_fd, close_fds, confinement)
        _run_notebooks(task, probes, events_fd)
        code = EXIT_OK
    except ChannelLost:
        code = EXIT_CHANNEL_LOST
    except BaseException:  # noqa: BLE001 - whatever happens, leave through os._exit
        code = 70
    _flush_stdio()
    os._exit(code)


def _confine(task, output_fd, close_fds, confinement):
    os.setsid()  # own process group: the worker kills the group
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    for fd in (devnull, output_fd, *close_fds):
        os.close(fd)
    sys.stdout, sys.stderr = (open(fd, "w", buffering=1, encoding="utf-8",
                                   errors="backslashreplace", closefd=False) for fd in (1, 2))
    limits = sandbox_limits.Limits.from_wire(task["limits"])
    nproc, own_pids = task["processes"], False
    # Every file system read-only but its scratch folder: it cannot change the course,
    # nor leave files in world-writable places (/tmp, /var/tmp, /dev/shm).
    scratch = os.path.dirname(task["home"])
    # Not as root: namespaces of its own, before the limits (the namespace's process
    # limit is set from ours when it is made), so the process limit counts this child only.
    if task["uid"] is None:
        namespaces = privileges.own_namespaces(writable=(scratch,))
        nproc = limits.processes if namespaces.user else nproc
        own_pids = namespaces.pid
    sandbox_limits.apply_rlimits(limits, nproc)
    processes.first_to_be_killed()
    os.chdir(task["workdir"])
    if task["uid"] is not None:
        if confinement is None or not confinement.abi:  # Landlock, where there, does this
            privileges.read_only_except((scratch,))  # as root: a mount namespace needs no user one
        privileges.drop(task["uid"], keep=task["keep_capability"])
    if confinement is not None:
        processes.prctl(processes.PR_SET_NO_NEW_PRIVS, 1)
        confinement.apply()  # the last wall: from here on only student code runs
    processes.die_with_parent()  # after the drop: changing credentials clears it
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # too large a file: an OSError, not death
    os.environ.update(HOME=task["home"], TMPDIR=task["home"], MPLCONFIGDIR=task["home"],
                      USER="student", LOGNAME="student")
    tempfile.tempdir = task["home"]  # the worker's, cached by an earlier call, is not writable
    if own_pids:
        _become_pid_one()


def _become_pid_one():
    """Go on as pid 1 of the new pid namespace; this process only waits and passes on.

    The process that goes on (student code) can then signal nothing but its
    own descendants (kill(-1) included), and when it ends the kernel kills
    whatever it left. This one exits as it did, signal included, so the
    worker reports the same status as without the namespace.
    """
    pid = os.fork()
    if pid == 0:
        # A group of its own, so that kill(0) cannot reach this waiting process either;
        # the worker's kill of this one's group still ends it (its parent-death signal).
        os.setsid()
        processes.die_with_parent()
        return
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number != signal.SIGKILL:
            signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 70)


def _run_notebooks(task, probes, events_fd):
    def report(**event):
        try:
            protocol.send(events_fd, event)
        except OSError:
            raise ChannelLost() from None

    for notebook in task["notebooks"]:
        _write_output(f"--- {notebook['name']} ---\n")
        report(event="notebook", name=notebook["name"])
        _run_notebook(notebook, task, probes, report)
        report(event="notebook_end", name=notebook["name"])
        plt.close("all")
    report(event="finished")


def _run_notebook(notebook, task, probes, report):
    """Each notebook in a new __main__, as in its own kernel; cells, then probes."""
    try:
        cells = notebook_file.code_cells(notebook["path"])
    except notebook_file.Unreadable as problem:
        report(event="unreadable", status=problem.status, message=problem.message)
        return
    namespace = _fresh_main()
    _seed()
    skip = set(notebook["skip_cells"])
    for index, grade_id, source in cells:
        if index in skip:
            continue
        report(event="cell", index=index, grade_id=grade_id)
        report(event="cell_end", index=index, **_run_cell(index, source, namespace, task))
    for item in notebook["items"]:
        report(event="probe", item=item)
        report(event="probe_end", item=item, **_run_probe(item, probes[item], namespace, task))


def _run_cell(index, source, namespace, task):
    try:
        code = compile(source, f"<cell {index + 1}>", "exec")
        _timed(task["cell_timeout"], exec, code, namespace)
    except Interrupted:
        return {"outcome": "timeout"}
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt: outcomes too
        error = describe_error(exc)
        return {"outcome": "error", "error": f"{error['type']}: {error['message']}"}
    finally:
        _flush_stdio()
    return {"outcome": "ok"}


def _run_probe(item, probe, namespace, task):
    _seed()
    directory = os.path.join(task["observations"], item)
    try:
        _timed(task["probe_timeout"], lambda: observation_files.dump(probe(namespace), directory))
    except Interrupted:
        return {"outcome": "timeout"}
    except BaseException as exc:  # noqa: BLE001 - e.g. student code calling sys.exit
        error = describe_error(exc)
        return {"outcome": "error",
                "error": f"{error['type']} in the probe of `{item}`: {error['message']}"}
    finally:
        _flush_stdio()
    return {"outcome": "ok"}


def _timed(seconds, function, *args):
    """Run function(*args); raise Interrupted in it after seconds (wall clock)."""
    signal.signal(signal.SIGALRM, _interrupt)  # again each time: a cell may have replaced it
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _interrupt(signum, frame):
    raise Interrupted()


def _fresh_main():
    """A new __main__ module, as a kernel has: classes defined in cells can be pickled.

    Jupyter's ``display`` is there too (printing, as nothing is shown), so a
    graded cell that calls it does not fail here when it works in Jupyter.
    """
    module = types.ModuleType("__main__")
    module.display = _display
    sys.modules["__main__"] = module
    return module.__dict__


def _display(*objects, **options):
    for value in objects:
        print(repr(value))


def _seed():
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)


def _write_output(text):
    """Straight to fd 1: student code may have replaced sys.stdout."""
    _flush_stdio()
    try:
        os.write(1, text.encode())
    except OSError:
        pass


def _flush_stdio():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - student code may have replaced or broken it
            pass
