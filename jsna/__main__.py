"""`python -m jsna` runs the command line."""

from jsna.cli import run

run()
