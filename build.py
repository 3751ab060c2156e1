"""Build the JSNA site: `python build.py [--project DIR] [--out DIR] [--no-pdf]` (as `jsna build`)."""

import sys

from jsna.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
