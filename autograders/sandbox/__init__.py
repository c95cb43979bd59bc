"""The execution core: student notebooks and probes run here, judges never do.

Data path (parent = the trusted grading process):

    parent (pool.WorkerPool)
      | stdin: probe bundle, then one job per line (JSON)      ^ replies (JSON lines)
      v                                                        | outputs read back safely
    worker (inside bwrap when it works): preloaded numpy/torch, warmed once
      | fork per submission (again after a kill, to resume)
      v
    child: new session, rlimits, own user id, no_new_privs; runs the graded
           cells of each notebook, then the probes; writes observations
           (JSON + .npy) and reports each step on a pipe

Parent side: ``pool`` (scheduling), ``worker_process`` (one worker's life and
the watchdog), ``bwrap`` (the sandbox command line), ``probe_bundle`` (the
code the worker may see). Sandbox side, shipped in the bundle: ``bootstrap``
(the worker's first code), ``worker``, ``child``, ``progress``,
``notebook_file``, ``limits``, ``privileges``, ``processes``, ``protocol``;
``transfer`` (copies across the boundary) is used on both sides.
"""
