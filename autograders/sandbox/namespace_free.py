"""The namespace-free tier, sandbox side: Landlock and seccomp, built once, applied per child.

For platforms that deny namespaces (Gradescope's Docker container, JupyterHub
pods under the runtime-default seccomp profile, laptops without bubblewrap).
The worker builds both at start-up, while it can still open every path; each
child, after its rlimits, its own user id (as root) and no_new_privs,
applies them and only then runs student code:

- Landlock: read (and execute) the system folders, /proc, /sys and the Python
  installation the parent listed (never the hidden packages, the course, the
  gradebook, other submissions, the reports); read and write its worker's
  scratch folder, which holds only the submission being graded; a few
  harmless devices. Where the ABI allows, no TCP bind or connect, and
  signals and abstract unix sockets only within the child's own domain.
- seccomp (seccomp.py): no network sockets, ptrace, namespaces, mounts and
  the rest of the deny-list.

The parent's plan (allow_list.py) arrives as the worker's config:
{"abi", "read", "list_only", "devices", "write"}. Where the kernel has no
Landlock (abi 0) only the filter is applied: a root grader then relies on
the child's own user id and the files' permissions, and says so.
"""
from autograders.sandbox import landlock, seccomp


class Confinement:
    def __init__(self, plan):
        self.abi = int(plan.get("abi") or 0)
        self.ruleset = None
        if self.abi >= 1:
            self.ruleset = landlock.Ruleset(self.abi)
            for key, access in (("read", landlock.READ), ("list_only", landlock.READ_DIR),
                                ("devices", landlock.READ_WRITE_DEVICE),
                                ("write", landlock.READ_WRITE)):
                for path in plan.get(key, ()):
                    self.ruleset.allow(path, access)
        self.filter = seccomp.build()

    def apply(self):
        """In the child, after no_new_privs: from here on the walls stand."""
        if self.ruleset is not None:
            self.ruleset.restrict_self()
        self.filter.load()
