"""The build hook: a wheel carries the repo's top-level templates/ (the one source of the
built-in templates) as jsna/templates/, and the example JSNA (jsna.yaml, indicators.yaml,
chapters/ and data/, for `jsna new --example`) as jsna/example/. An editable install needs
neither: jsna then finds both in the checkout (jsna/project.py)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# (what, in the repo) -> where it goes inside the package
CARRIED = (
    ("templates", "templates"),
    ("jsna.yaml", "example/jsna.yaml"),
    ("indicators.yaml", "example/indicators.yaml"),
    ("chapters", "example/chapters"),
    ("data", "example/data"),
)
SKIPPED = shutil.ignore_patterns(".*", "__pycache__", "*.pyc")


class BuildPy(build_py):
    """build_py, then the templates and the example copied into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        package = Path(self.build_lib) / "jsna"
        for source, target in CARRIED:
            origin, copy = HERE / source, package / target
            if origin.is_dir():
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(origin, copy, ignore=SKIPPED)
            elif origin.is_file():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(origin, copy)


setup(cmdclass={"build_py": BuildPy})
