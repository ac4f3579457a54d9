"""Run a benchmark script for a smoke test, bounded in time, leaving nothing behind.

Why not ``subprocess.run(timeout=…)``: on a timeout it kills the script alone, and the servers the
script started keep running (they held ports and memory after earlier timed-out runs). The script
runs in its own process group here, and the whole group is killed when the time is up.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest


def run_bounded(cmd: list[str], seconds: float, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"{Path(cmd[1]).name} did not finish within {seconds:g} s (its process group was killed): "
                    f"{err[-2000:]}")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
