"""Build the JSNA site: `python build.py [--project DIR] [--out DIR] [--no-pdf]` (as `jsna build`)."""

import sys

from jsna.cli import run

if __name__ == "__main__":
    run(["build", *sys.argv[1:]])
