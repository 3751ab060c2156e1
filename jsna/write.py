"""Write the built site: into a temporary folder beside the target, then swap it in, so a
failed build never leaves a half-written site and the previous good site stays as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable


def write_site(files: dict[str, bytes], out: Path, before_swap: Callable[[Path], None] | None = None) -> None:
    """Replace the folder `out` with exactly `files` (relative path -> bytes); `before_swap`, if
    given, may add to the written folder (the search index) before it replaces `out`."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    retired = out.parent / f".{out.name}.previous-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name in sorted(files):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[name])
        if before_swap is not None:
            before_swap(staging)
        if out.exists():
            os.replace(out, retired)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out.exists():
            os.replace(retired, out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
