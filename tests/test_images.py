"""A chapter's own images: each an image file in the chapter's folder, published beside its page
and placed in its PDF; a changed image makes its page's file and its PDF again."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from PIL import Image

from conftest import CHAPTER, write_project
from test_bad_input import CIN, at, edit, run_build
from jsna.cli import main


def png(colour: str, size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def pdf_images(path: Path) -> list[tuple[int, int]]:
    """The (width, height) of every raster image the PDF's pages draw, in forms drawn too."""
    def images(resources) -> list[tuple[int, int]]:
        found = []
        for x in resources.get("/XObject", {}).values():
            if x.get("/Subtype") == "/Image":
                found.append((int(x.Width), int(x.Height)))
            elif x.get("/Subtype") == "/Form":
                found += images(x.get("/Resources", {}))
        return found

    with pikepdf.open(path) as pdf:
        return sorted(size for page in pdf.pages for size in images(page.obj.get("/Resources", {})))


def test_an_image_is_published_beside_its_page_and_placed_in_its_pdf(project, capsys):
    (project / "chapters" / "img").mkdir()
    (project / "chapters" / "img" / "map of areas.png").write_bytes(png("red"))
    text = edit(CHAPTER, "Contacts fell.", "Contacts fell.\n\n![Areas shaded by need](img/map%20of%20areas.png)\n")
    write_project(project, {CIN: text})
    args = ["build", "--project", str(project), "--out", str(project / "site"), "-q"]
    assert main(args) == 0, capsys.readouterr().err
    site = project / "site" / "children-in-need"
    assert (site / "img" / "map of areas.png").read_bytes() == png("red")
    assert '<img alt="Areas shaded by need" src="img/map%20of%20areas.png"' in (site / "index.html").read_text()
    assert (40, 20) in pdf_images(site / "children-in-need.pdf")
    before = (site / "children-in-need.pdf").read_bytes()

    (project / "chapters" / "img" / "map of areas.png").write_bytes(png("blue", (30, 30)))  # the chapter's text as it was
    assert main(args) == 0, capsys.readouterr().err
    assert (site / "img" / "map of areas.png").read_bytes() == png("blue", (30, 30))
    assert (30, 30) in pdf_images(site / "children-in-need.pdf") and (40, 20) not in pdf_images(site / "children-in-need.pdf")
    assert (site / "children-in-need.pdf").read_bytes() != before
    assert (30, 30) in pdf_images(project / "site" / "jsna.pdf")


def test_an_image_that_is_missing_not_an_image_or_outside_the_chapters_folder_is_refused(project, capsys):
    (project / "chapters" / "notes.txt").write_text("not an image")
    (project / "elsewhere.png").write_bytes(png("red"))
    text = edit(CHAPTER, "Contacts fell.", "Contacts fell.\n\n![a](img/none.png) ![b](notes.txt) ![c](../elsewhere.png)\n")
    write_project(project, {CIN: text})
    status, err = run_build(project, capsys)
    assert status == 1 and "Traceback" not in err
    lines = err.splitlines()
    assert [line.split(" found ")[0] for line in lines] == [
        at(CIN, text, "img/none.png") + "expected an image as a relative path to an image file in the chapter's folder,",
        at(CIN, text, "notes.txt") + "expected an image as a relative path to an image file in the chapter's folder,",
        at(CIN, text, "../elsewhere.png") + "expected an image as a relative path to an image file in the chapter's folder,",
    ], err
    assert "no file 'img/none.png' in chapters/" in lines[0]
    assert "not an image" in lines[1] and "leaving the chapter's folder" in lines[2]
