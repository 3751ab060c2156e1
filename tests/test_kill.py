"""A build killed with `kill -9` leaves no worker running, and the next build removes the staging
folder it left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CHAPTER, write_project


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid`."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_kill_9_leaves_no_workers_and_the_next_build_clears_its_staging_folder(tmp_path):
    chapters = {f"chapters/chapter-{n}.md": CHAPTER.replace("title: Children in need", f"title: Chapter {n}")
                for n in range(8)}
    project = write_project(tmp_path / "project", chapters)
    out = project / "site"
    command = [sys.executable, "-m", "jsna", "build", "--project", str(project), "--out", str(out), "--workers", "2", "-q"]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None:
        workers |= _children(build.pid)
        if workers and list(project.glob(".site.building-*")):
            break
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be killed"
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert list(project.glob(".site.building-*")), "a killed build leaves its staging folder"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "no worker outlives the build"
    subprocess.run([*command, "--no-pdf"], check=True, capture_output=True)
    assert not list(project.glob(".site.*")), "the next build removes what the killed one left"
    assert (out / "index.html").is_file()
