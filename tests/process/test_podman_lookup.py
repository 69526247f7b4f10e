"""``leger podman lookup`` as a process: what only a process shows of the lookup's deadline
(leger/commands/podman_lookup/deadline.py), its age and how it ends the process."""

from __future__ import annotations

import subprocess
import sys

DEADLINE = "leger.commands.podman_lookup.deadline"


def python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_the_age_counts_from_the_start_of_the_process():
    done = python(f"import time; time.sleep(1); from {DEADLINE} import *; print(process_age())")
    assert done.returncode == 0, done.stderr
    assert 1 <= float(done.stdout) < 5


def test_expiry_writes_its_line_and_ends_the_process_with_1_whatever_the_main_thread_does():
    code = (
        f"import time; from {DEADLINE} import Deadline, exit_with\n"
        "with Deadline(0.3, exit_with('leger: cannot read secret k: too slow')):\n"
        "    time.sleep(30)\n"
        "print('not reached')\n"
    )
    done = python(code)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "leger: cannot read secret k: too slow\n"
