"""WeasyPrint is imported without the `ldconfig` and `gcc` runs of its library search."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import ctypes.util, subprocess, sys
calls = []
original = subprocess.Popen.__init__
def spy(self, args, *a, **k):
    calls.append(args)
    return original(self, args, *a, **k)
subprocess.Popen.__init__ = spy
from jsna.render.pdf import import_weasyprint, render_pdf
import_weasyprint()
data, pages, _ = render_pdf('<html lang="en"><title>t</title><p>x</p></html>', {})
print(len(calls), pages, data[:5])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library search is Linux's")
def test_weasyprint_is_imported_without_running_ldconfig_or_gcc():
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["0", "1", "b'%PDF-'"]
