"""The command line: `jsna build`, `check`, `serve`, `data` (describe a data file), and `new`,
`new-chapter`, `schema` to start a JSNA. Errors are printed here, once, as
`file:line:col: message`, with exit status 1 and no traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from jsna import __version__
from jsna.errors import JsnaError, JsnaErrors


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jsna", description="Build JSNA chapters into a website and PDFs.")
    parser.add_argument("--version", action="version", version=f"jsna {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the site")
    build.add_argument("--project", type=Path, default=Path("."), help="the JSNA folder (default: here)")
    build.add_argument("--out", type=Path, default=None, help="where to write the site (default: PROJECT/site)")
    build.add_argument("--no-pdf", action="store_true", help="skip the PDFs")
    build.add_argument("--no-compendium", action="store_true", help="skip site/jsna.pdf, the whole JSNA in one PDF")
    build.add_argument("-q", "--quiet", action="store_true", help="print only warnings, errors and the summary")
    build.add_argument("--workers", type=int, default=None, help="processes for charts and PDFs (default: all processors)")
    build.add_argument("--clean", action="store_true", help="empty the cache first: build everything afresh")
    build.add_argument("--no-cache", action="store_true", help="neither use nor keep the cache")
    serve = commands.add_parser("serve", help="preview the site, rebuilding and reloading on every change")
    serve.add_argument("--project", type=Path, default=Path("."), help="the JSNA folder (default: here)")
    serve.add_argument("--out", type=Path, default=None, help="where to write the site (default: PROJECT/site)")
    serve.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (0: any free port)")
    serve.add_argument("--no-pdf", action="store_true", help="skip the PDFs")
    check = commands.add_parser("check", help="validate everything without writing")
    check.add_argument("--project", type=Path, default=Path("."), help="the JSNA folder (default: here)")
    new = commands.add_parser("new", help="make a new JSNA folder that builds at once")
    new.add_argument("folder", type=Path, help="the new folder (absent or empty)")
    new.add_argument("--area-code", default=None, help="the council's ONS code, such as E06000055 (Bedford)")
    new.add_argument("--example", action="store_true", help="copy jsna's example JSNA instead")
    chapter = commands.add_parser("new-chapter", help="add a chapter with the project's layout of sections")
    chapter.add_argument("slug", help="its file name and address: lower-case letters, digits and hyphens")
    chapter.add_argument("--title", required=True, help="the chapter's title")
    chapter.add_argument("--theme", default="General", help="the index groups chapters by theme (default: General)")
    chapter.add_argument("--summary", default="To be written.", help="one or two sentences for the index")
    chapter.add_argument("--layout", default=None, help="one of jsna.yaml's layouts (default: its default layout)")
    chapter.add_argument("--project", type=Path, default=Path("."), help="the JSNA folder (default: here)")
    schema = commands.add_parser("schema", help="write the JSON Schemas of jsna's inputs, for editors")
    schema.add_argument("folder", type=Path, nargs="?", default=Path("schemas"), help="where (default: schemas)")
    data = commands.add_parser("data", help="describe a data file (EES, Fingertips or tidy CSV) for writing an indicator")
    data.add_argument("file", type=Path, help="the CSV file")
    data.add_argument("--area", default=None, help="show the rows of one area, by code or name")
    return parser


def _start(args) -> int:
    """`jsna new`, `new-chapter` and `schema`: files written for the editor to fill in."""
    if args.command == "schema":
        from jsna.schema import write_schemas

        for path in write_schemas(args.folder):
            print(path)
        return 0
    from jsna.scaffold import new_project, write_chapter

    if args.command == "new":
        files = new_project(args.folder, args.area_code, args.example)
        print(f"made a new JSNA in {args.folder} ({len(files)} files); next: cd {args.folder} && jsna build")
        if not args.area_code and not args.example:
            from jsna.scaffold import DEFAULT_AREA, area

            print(f"it is set up for {area(DEFAULT_AREA)['name']} ({DEFAULT_AREA}) as an example: give --area-code for your council")
        return 0
    path = write_chapter(args.project, args.slug, args.title, args.theme, args.summary, layout=args.layout)
    print(f"made {path}")
    return 0


def _check(project: Path) -> int:
    """`jsna check`: every problem the loader and the schemas find, in one run."""
    from jsna.build.pipeline import check
    from jsna.schema import check_project, merged

    found = check_project(project)
    try:
        site = check(project)
    except (JsnaError, JsnaErrors) as exc:
        for error in merged(found, exc.errors if isinstance(exc, JsnaErrors) else [exc]):
            print(error, file=sys.stderr)
        return 1
    if found:  # what the schemas refuse and the loader took
        for error in found:
            print(error, file=sys.stderr)
        return 1
    for warning in site.warnings:
        print(warning, file=sys.stderr)
    print(f"ok: {len(site.chapters)} chapters, {len(site.indicators)} indicators, {len(site.warnings)} warnings")
    return 0


def _serve(args) -> int:
    """`jsna serve`: with chart and PDF workers kept warm from one rebuild to the next."""
    from functools import partial

    from jsna.build.pipeline import build, warm_pools
    from jsna.serve import serve

    out = args.out if args.out is not None else args.project / "site"
    warm = warm_pools()
    try:
        serve(args.project, out, partial(build, warm=warm), port=args.port, pdf=not args.no_pdf,
              log=lambda msg: print(f"jsna: {msg}", flush=True))
    finally:
        if warm is not None:
            warm.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "data":
        return _data(args.file, args.area)
    try:
        if args.command in ("new", "new-chapter", "schema"):
            return _start(args)
        if args.command == "check":
            return _check(args.project)
        if args.command == "serve":
            return _serve(args)
        from jsna.build.pipeline import build

        out = args.out if args.out is not None else args.project / "site"
        log = (lambda _msg: None) if args.quiet else (lambda msg: print(f"jsna: {msg}", file=sys.stderr))
        result = build(
            args.project, out, pdf=not args.no_pdf, compendium_pdf=not args.no_compendium,
            workers=args.workers, cache=not args.no_cache,
            clean=args.clean, log=log,
        )
    except (JsnaError, JsnaErrors) as exc:
        found = exc.errors if isinstance(exc, JsnaErrors) else [exc]
        if args.command == "build":
            from jsna.schema import check_project, merged

            found = merged(check_project(args.project), found)
        for error in found:
            print(error, file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    what = f"{result.chapters} chapters, {result.figures} figures, {result.pdfs} PDFs ({result.files} files) in {out}"
    if result.unchanged:
        print(f"unchanged: {what}; nothing to do; {len(result.warnings)} warnings; {result.seconds:.2f} s")
    else:
        print(
            f"built {what}; {result.built} pieces made, {result.reused} reused; "
            f"{len(result.warnings)} warnings; {result.seconds:.1f} s"
        )
    return 0


def _data(path: Path, area: str | None) -> int:
    """`jsna data FILE [--area X]`: print what the file holds, or one area's rows."""
    from jsna.load.data import DataProblem
    from jsna.load.describe import describe

    from jsna.errors import printable

    try:
        print("\n".join(printable(line) for line in describe(path, area).splitlines()))
    except DataProblem as problem:
        print(f"{problem.where}: {problem.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{path}: expected a readable file, found {exc.strerror.lower()}", file=sys.stderr)
        return 1
    return 0


def run(argv: list[str] | None = None) -> None:
    """Entry point of `jsna`, `python -m jsna` and build.py. The process ends with the command:
    its last garbage collection need not walk what the build made (some 40 ms at N = 50)."""
    code = main(argv)
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
