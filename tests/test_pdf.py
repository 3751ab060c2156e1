"""The PDFs read back with pypdf: metadata, tagging, outline, contents page numbers, figures with
alt text, tables, page breaks, links, fonts, the compendium, and identical bytes on a rebuild.

One build of the tiny project (with a third chapter holding a table long enough to run over a
page break, a sub-heading and external links) serves most tests; it is read, never changed.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from conftest import CONFIG, INDICATORS, write_project
from jsna.cli import main
from jsna.load.site import DEFAULT_LAYOUTS

pypdf = pytest.importorskip("pypdf")
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject  # noqa: E402

pytestmark = pytest.mark.slow

LONG_INDICATOR = "".join(
    ["  - id: long-series\n    title: Births registered\n    definition: Live births registered in the year.\n",
     "    measure: count\n    polarity: no-judgement\n",
     "    source: {publisher: Office for National Statistics, dataset: Births in England and Wales}\n",
     "    values:\n"]
    + [f'      "{year}": {1000 + 7 * (year - 1950)}\n' for year in range(1950, 2016)]
)

LONG_CHAPTER = """\
---
title: Births
summary: Births registered in Testshire since 1950.
theme: Adults
last_updated: 2015-06-01
references:
  - text: Office for National Statistics (2016) Births in England and Wales.
    url: https://www.ons.gov.uk/births
---
Births have been counted since 1950; see [GOV.UK guidance](https://www.gov.uk/guidance) and
<https://example.org/births>. The [figures as a table](figure-1.csv) are on the site.

## What are the key issues?

### Long-run trend

```figure
indicator: long-series
type: line
```

## Recommendations

Keep counting.
"""

# Forty sub-headings with paragraphs of one to five lines between them: some page break falls
# right after a heading unless the stylesheet keeps headings with what follows.
NOTES_CHAPTER = "---\ntitle: Notes\nsummary: Notes.\ntheme: Adults\nlast_updated: 2015-06-01\n---\n" + (
    "## What are the key issues?\n\n"
    + "\n".join(f"### Point {i}\n\n" + " ".join(["Words that fill a line of the page."] * (1 + i % 5)) + "\n" for i in range(1, 41))
)

STANDARD = [s.title for s in dict(DEFAULT_LAYOUTS)["standard"]]


# Helpers ------------------------------------------------------------------------------------


def write_tiny(root: Path, config: str = CONFIG, **files: str | None) -> Path:
    return write_project(
        root,
        {
            "jsna.yaml": config,
            "indicators.yaml": INDICATORS + LONG_INDICATOR,
            "chapters/births.md": LONG_CHAPTER,
            "chapters/notes.md": NOTES_CHAPTER,
            **files,
        },
    )


def build(project: Path, out: Path, *args: str) -> Path:
    assert main(["build", "--project", str(project), "--out", str(out), "-q", *args]) == 0
    return out


def outline(reader) -> list:
    """The outline as nested [(title, page number from 1, [children])]."""

    def walk(items):
        result = []
        for item in items:
            if isinstance(item, list):
                result[-1][2].extend(walk(item))
            else:
                result.append((item.title, reader.get_destination_page_number(item) + 1, []))
        return result

    return walk(reader.outline)


def flat(entries, depth: int = 9) -> list[tuple[str, int]]:
    """(title, page) of the outline's entries down to `depth`, in document order."""
    result = []
    for title, page, kids in entries:
        result.append((title, page))
        if depth > 1:
            result.extend(flat(kids, depth - 1))
    return result


def contents(reader) -> list[tuple[str, int]]:
    """(entry, page number) from the contents pages, 'Title 12' with a rule under each entry: a
    chapter's list from its title page (each entry numbered, '3. Title 12'), the compendium's
    on its front, the pages labelled i, ii, ..."""
    front = [i for i, label in enumerate(reader.page_labels) if not label.isdigit()]
    pattern = r"^(.+?)\s+(\d+)\s*$" if front else r"^(\d+\.\s+.+?)\s+(\d+)\s*$"
    found = []
    for page in [reader.pages[i] for i in front] if front else reader.pages[:4]:
        text = page.extract_text()
        if "Contents" not in text and not found:
            continue
        lines = [m.groups() for m in re.finditer(pattern, text, re.M)]
        if not lines:
            break
        found += [(re.sub(r"^\d+\.\s+", "", title.strip()), int(n)) for title, n in lines]  # less the list number
    return found


def struct_elements(reader) -> list[DictionaryObject]:
    """Every structure element, in the tree's (reading) order."""
    out = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, DictionaryObject) or node.get("/Type") == "/OBJR":
            return
        out.append(node)
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, (IndirectObject, DictionaryObject)):
                walk(kid)

    for kid in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        walk(kid)
    return out


def page_numbers(reader) -> dict[int, int]:
    return {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, start=1)}


def text_runs(page) -> list[tuple[float, str]]:
    """(height above the page's foot in points, text) of the page's own text, not the charts'."""
    runs = []

    def visit(text, cm, tm, font, size):
        matrix = pypdf.mult(tm, cm)
        if text.strip() and matrix[3] > 0:
            runs.append((matrix[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def web_alts(out: Path, slug: str) -> list[str]:
    page = (out / slug / "index.html").read_text()
    return [html.unescape(a) for a in re.findall(r'<img src="figure-\d+\.svg" alt="([^"]*)"', page)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pdf")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SOURCE_DATE_EPOCH", raising=False)
        return build(write_tiny(root / "project"), root / "site")


def read(site: Path, name: str):
    return pypdf.PdfReader(site / name)


CHAPTERS = {"children-in-need": "children-in-need/children-in-need.pdf", "births": "births/births.pdf"}


# Metadata and tagging -----------------------------------------------------------------------


def test_metadata_language_and_title_in_the_viewer(site):
    reader = read(site, CHAPTERS["children-in-need"])
    info = reader.metadata
    assert info.title == "Children in need: Testshire"
    assert info.author == "Test Public Health Team"
    assert info.subject == "Contacts and children in need in Testshire."
    assert info.keywords == "JSNA, Children and young people, Children in need, Testshire"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    # Dates from the content, never the clock: created on the chapter's last_updated, modified
    # on its latest section date.
    assert info["/CreationDate"].startswith("D:20150201")
    assert info["/ModDate"].startswith("D:20160405")
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp or 'pdfuaid:part="1"' in xmp


@pytest.mark.parametrize("name", [*CHAPTERS.values(), "jsna.pdf"])
def test_tagged_with_a_structure_tree_and_mark_info(site, name):
    reader = read(site, name)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    elements = struct_elements(reader)
    assert elements[0]["/S"] == "/Document"
    tags = {e["/S"] for e in elements}
    assert {"/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Figure", "/Caption", "/Link"} <= tags


@pytest.mark.parametrize("name", [CHAPTERS["children-in-need"], "jsna.pdf"])
def test_all_page_content_is_in_the_structure_tree_or_a_pagination_artifact(site, name):
    reader = read(site, name)
    reachable = {id(e) for e in struct_elements(reader)}
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for number, page in enumerate(reader.pages, start=1):
        owners = parents[page["/StructParents"]]
        pagination = 0
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"BDC" and operands[0] == "/Artifact":
                pagination += operands[1].get("/Type") == "/Pagination"
            elif operator == b"BDC":
                mcid = operands[1]["/MCID"]
                assert id(owners[mcid].get_object()) in reachable, f"page {number}: content {mcid} is in the tree"
        # The footer's two boxes on every page, and the running header after the title pages.
        assert pagination >= 2, f"page {number}: header and footer are pagination artifacts"


def test_tables_are_tagged_with_header_cells(site):
    elements = struct_elements(read(site, CHAPTERS["children-in-need"]))
    headers = {e["/ID"] for e in elements if e["/S"] == "/TH"}
    cells = [e for e in elements if e["/S"] == "/TD"]
    assert headers and cells
    for cell in cells:
        linked = cell["/A"]["/Headers"]
        assert len(linked) == 2 and set(linked) <= headers, "each value names its row and its column"


# Figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", CHAPTERS)
def test_every_figure_has_its_alt_text_in_reading_order(site, slug):
    elements = struct_elements(read(site, CHAPTERS[slug]))
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert [str(f.get("/Alt")) for f in figures] == web_alts(site, slug)


def test_a_figure_bbox_is_where_the_chart_is_drawn(site):
    reader = read(site, CHAPTERS["children-in-need"])
    numbers = page_numbers(reader)
    figures = [e for e in struct_elements(reader) if e["/S"] == "/Figure"]
    for figure in figures:
        x1, y1, x2, y2 = (float(v) for v in figure["/A"]["/BBox"])
        page = reader.pages[numbers[figure.raw_get("/Pg").idnum] - 1]
        left, bottom, right, top = (float(v) for v in page.mediabox)
        assert left < x1 < x2 < right and bottom < y1 < y2 < top, "in points, within the page"
        assert 100 < y2 - y1 < 450 and 300 < x2 - x1 < 500, "the size of a chart in points (78% of the text width)"


def test_figures_are_vector_and_fonts_embedded_and_subset(site):
    reader = read(site, CHAPTERS["children-in-need"])
    forms = images = 0
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for x in (resources.get("/XObject") or {}).values():
            subtype = x.get_object().get("/Subtype")
            forms += subtype == "/Form"
            images += subtype == "/Image"
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert forms >= 3 and images == 0, "charts are vector forms, never pictures"
    assert fonts
    for name, descriptor in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+.+", name), f"{name} is a subset"
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{name} is embedded"
    assert (site / CHAPTERS["children-in-need"]).stat().st_size < 400_000


@pytest.mark.parametrize("slug", CHAPTERS)
def test_a_figure_stays_on_one_page_with_its_caption_and_source(site, slug):
    reader = read(site, CHAPTERS[slug])
    numbers = page_numbers(reader)
    for element in struct_elements(reader):
        if element["/S"] != "/Figure":
            continue
        # <figure> holds the caption, the chart and the source line; split over two pages it
        # would be two structure elements, one without the chart.
        figure = element["/P"].get_object()
        while not any(k.get_object().get("/S") == "/Caption" for k in figure["/K"] if isinstance(k, IndirectObject)):
            figure = figure["/P"].get_object()
        kids = [k.get_object() for k in figure["/K"] if isinstance(k, IndirectObject)]
        assert [k["/S"] for k in kids][:1] == ["/Caption"]
        assert "/P" in [k["/S"] for k in kids], "the source line"
        page = numbers[element.raw_get("/Pg").idnum]
        assert {numbers[k.raw_get("/Pg").idnum] for k in kids} == {page}
        page_text = reader.pages[page - 1].extract_text()
        assert "Source:" in page_text


# Outline, contents and page breaks ----------------------------------------------------------


def test_outline_entries_are_the_headings(site):
    chapter = outline(read(site, CHAPTERS["children-in-need"]))
    assert [(t, [k[0] for k in kids]) for t, _, kids in chapter] == [
        ("Children in need", ["Headline figures", *STANDARD, "Related chapters", "References"])
    ]
    births = outline(read(site, CHAPTERS["births"]))
    sections = births[0][2]
    assert sections[0][0] == "Headline figures"
    sections = sections[1:]
    assert sections[0][0] == "What are the key issues?"
    assert [k[0] for k in sections[0][2]] == ["Long-run trend"], "sub-headings nest under their section"


@pytest.mark.parametrize("name", [*CHAPTERS.values(), "jsna.pdf"])
def test_contents_page_numbers_are_the_pages_the_headings_land_on(site, name):
    reader = read(site, name)
    listed = contents(reader)
    assert listed, "a contents list with page numbers"
    # The number printed on each page is its label (the compendium's front is i, ii, ...; its
    # chapters are numbered from 1), which the viewer shows too.
    labels = reader.page_labels
    if name == "jsna.pdf":
        expected = [(title, int(labels[page - 1])) for title, page in flat(outline(reader), depth=2)]
        assert listed == expected, "every chapter and its sections"
    else:
        [(_, _, sections)] = outline(reader)
        assert labels == [str(n) for n in range(1, len(reader.pages) + 1)]
        assert listed == flat(sections, depth=1), "the chapter's sections"
    for title, number in listed:
        assert title in reader.pages[labels.index(str(number))].extract_text()


def stranded(reader) -> list[tuple[str, int]]:
    """Headings with nothing after them on their page (the running footer aside)."""
    found = []
    pages: dict[int, list[tuple[float, str]]] = {}
    for title, page_number in flat(outline(reader)):
        if page_number not in pages:
            pages[page_number] = text_runs(reader.pages[page_number - 1])
        runs = pages[page_number]
        body = [(y, text) for y, text in runs if 45 < y < 795]  # not the running header or footer
        at = [y for y, text in body if title.startswith(text)]
        assert at, f"{title!r} is on page {page_number}"
        if not [text for y, text in body if y < min(at) - 1 and not title.endswith(text)]:
            found.append((title, page_number))
    return found


@pytest.mark.parametrize("name", [*CHAPTERS.values(), "notes/notes.pdf", "jsna.pdf"])
def test_no_heading_is_stranded_at_the_foot_of_a_page(site, name):
    assert stranded(read(site, name)) == []


def test_the_stranded_heading_check_finds_one_when_the_stylesheet_allows_it(tmp_path):
    css = (Path(__file__).parent.parent / "templates/assets/pdf.css").read_text()
    rule = "h1, h2, h3, h4, h5, h6 { break-after: avoid; break-inside: avoid; }"
    assert rule in css
    only_notes = {f"chapters/{slug}.md": None for slug in ("children-in-need", "other", "births")}
    loose = css.replace(rule, "h3 { break-after: auto; }")
    project = write_tiny(tmp_path / "project", **only_notes, **{"templates/assets/pdf.css": loose})
    out = build(project, tmp_path / "site")
    assert stranded(pypdf.PdfReader(out / "notes/notes.pdf"))


def test_a_table_over_a_page_break_repeats_its_header_row(site):
    reader = read(site, CHAPTERS["births"])
    pages = [p.extract_text() for p in reader.pages]
    rows = [n for n, text in enumerate(pages) if re.search(r"^19[5-9]\d 1,\d{3}\s*$", text, re.M)]
    assert len(set(rows)) >= 2, "the 66-row table runs over a page break"
    for n in sorted(set(rows)):
        assert re.search(r"^Period Testshire\s*$", pages[n], re.M), f"page {n + 1} repeats the header row"


# Links ----------------------------------------------------------------------------------------


def link_uris(reader) -> list[str]:
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(action["/URI"])
    return uris


def test_external_links_are_printed_with_their_addresses(site):
    reader = read(site, CHAPTERS["births"])
    text = "".join("".join(p.extract_text() for p in reader.pages).split())  # addresses may wrap
    assert "GOV.UKguidance(https://www.gov.uk/guidance)" in text
    assert text.count("https://example.org/births") == 1, "a bare address is not printed twice"
    assert text.count("https://www.ons.gov.uk/births") == 1, "a reference shows its address once"
    assert {"https://www.gov.uk/guidance", "https://example.org/births", "https://www.ons.gov.uk/births"} <= set(
        link_uris(reader)
    )


def test_links_to_other_chapters(site, tmp_path):
    # No base_url: a chapter's own PDF cannot link to a page it does not know the address of.
    reader = read(site, CHAPTERS["children-in-need"])
    assert not [u for u in link_uris(reader) if "other" in u]
    assert any("a link to the other chapter" in " ".join(p.extract_text().split()) for p in reader.pages[:3])
    # With a base_url, the link goes to the other chapter's web page.
    config = CONFIG + "base_url: https://jsna.example.org/\n"
    out = build(write_tiny(tmp_path / "project", config), tmp_path / "site")
    uris = link_uris(pypdf.PdfReader(out / CHAPTERS["children-in-need"]))
    assert "https://jsna.example.org/other/index.html" in uris
    # Any other relative link likewise: a file on the site, or nothing without a base_url.
    assert "https://jsna.example.org/births/figure-1.csv" in link_uris(pypdf.PdfReader(out / CHAPTERS["births"]))
    assert not [u for u in link_uris(read(site, CHAPTERS["births"])) if "figure-1.csv" in u]


def test_the_compendium_links_chapters_within_itself(site):
    reader = read(site, "jsna.pdf")
    chapters = {t: p for t, p, _ in outline(reader)}
    destinations = reader.named_destinations
    internal = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                target = destinations[str(annotation["/Dest"])]
                internal.append((number, reader.get_destination_page_number(target) + 1))
    assert internal, "the contents and the links to other chapters jump within the PDF"
    assert any(source > 3 and target == chapters["Other chapter"] for source, target in internal)


# The compendium -------------------------------------------------------------------------------


def test_a_link_to_a_missing_heading_of_another_chapter_jumps_to_that_chapter(tmp_path):
    births = LONG_CHAPTER.replace("## Recommendations", "See [the other chapter](other.md#no-such-heading).\n\n## Recommendations")
    out = build(write_tiny(tmp_path / "project", **{"chapters/births.md": births}), tmp_path / "site")
    reader = pypdf.PdfReader(out / "jsna.pdf")
    chapters = {t: p for t, p, _ in outline(reader)}
    targets = []
    for page in reader.pages[chapters["Births"] - 1 : chapters["Notes"] - 1]:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                targets.append(reader.get_destination_page_number(reader.named_destinations[str(annotation["/Dest"])]) + 1)
    assert chapters["Other chapter"] in targets, "the top of the chapter it names, as a browser would go"



def test_compendium_holds_every_chapter_with_one_contents_and_one_outline(site):
    reader = read(site, "jsna.pdf")
    assert reader.metadata.title == "Test JSNA: Testshire"
    top = [t for t, _, _ in outline(reader)]
    assert top == ["Births", "Notes", "Other chapter", "Children in need"], "by theme, as the index lists them"
    texts = [p.extract_text() for p in reader.pages]
    assert sum(1 for t in texts if t.lstrip().startswith("Contents")) == 1, "one contents list"
    listed = [t for t, _ in contents(reader)]
    assert [t for t in listed if t in top] == top
    slugs = ("births", "notes", "other", "children-in-need")
    singles = sum(len(read(site, f"{slug}/{slug}.pdf").pages) for slug in slugs)
    assert len(reader.pages) >= singles - len(slugs), "every chapter's pages (less each one's contents page)"
    index = (site / "index.html").read_text()
    size = (site / "jsna.pdf").stat().st_size
    kb = f"{max(1, round(size / 1000))} KB"
    assert f'<a href="jsna.pdf">Download every chapter as one PDF (PDF, {kb}, {len(reader.pages)} pages)</a>' in index


def test_compendium_pages_are_numbered_through_and_its_parts_share_no_ids(site):
    # The compendium is put together from parts rendered on their own (jsna/render/assemble.py): its
    # front's pages are numbered i, ii, ..., its chapters' from 1, each page carries its number,
    # and the viewer's page labels say the same. No two table header cells have one ID.
    reader = read(site, "jsna.pdf")
    labels = reader.page_labels
    front = labels.index("1")
    assert front >= 2 and labels[:front] == ["i", "ii", "iii", "iv", "v"][:front]
    chapters = len(reader.pages) - front
    assert labels[front:] == [str(n) for n in range(1, chapters + 1)]
    for index, page in enumerate(reader.pages):
        text = page.extract_text()
        assert (f"Page {labels[index]} of {chapters}" if index >= front else f"Page {labels[index]}") in text, f"page {index + 1}"
    ids = [str(e["/ID"]) for e in struct_elements(reader) if "/ID" in e]
    assert ids and len(ids) == len(set(ids))
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    keys = [page["/StructParents"] for page in reader.pages]
    assert len(keys) == len(set(keys)) and root["/ParentTreeNextKey"] > max(keys)


def test_the_fronts_page_numbers_are_made_once_for_its_length(tmp_path, monkeypatch):
    # The front's page numbers need the front's length: they are made after it, once, for
    # exactly its pages (a declared dependency, not a guess made again when it was wrong).
    import jsna.render.compendium
    import jsna.render.pieces

    original = jsna.render.compendium.render_page_numbers
    roman: list[int] = []

    def counted(env, site, css, pages, **kw):
        if kw["roman"]:
            roman.append(pages)
        return original(env, site, css, pages, **kw)

    monkeypatch.setattr(jsna.render.pieces, "render_page_numbers", counted)
    out = build(write_tiny(tmp_path / "project"), tmp_path / "site", "--workers", "1")
    reader = pypdf.PdfReader(out / "jsna.pdf")
    front = reader.page_labels.index("1")
    assert roman == [front]
    assert [f"Page {label}" in page.extract_text() for label, page in zip(reader.page_labels, reader.pages[:front])] == [True] * front


def test_the_compendium_holds_one_part_open_at_a_time(tmp_path, monkeypatch):
    # An open part costs some 20 times its size in memory (qpdf's objects), so each is closed
    # once copied in: at most three PDFs are open at once (the book and a part; then the book and
    # its two runs of page numbers), however many chapters there are.
    import pikepdf

    import jsna.render.assemble

    assembling, opened, live = [], [], []
    open_pdf, close_pdf, assemble = pikepdf.open, pikepdf.Pdf.close, jsna.render.assemble.assemble

    def counted_open(*args, **kwargs):
        pdf = open_pdf(*args, **kwargs)
        if assembling:
            opened.append(pdf)
            live.append(sum(1 for p in opened if not getattr(p, "_closed_here", False)))
        return pdf

    def counted_close(self):
        self._closed_here = True
        close_pdf(self)

    def counted_assemble(front, parts, numbers):
        assembling.append(len(parts))
        return assemble(front, parts, numbers)

    monkeypatch.setattr(pikepdf, "open", counted_open)
    monkeypatch.setattr(pikepdf.Pdf, "close", counted_close)
    monkeypatch.setattr(jsna.render.assemble, "assemble", counted_assemble)
    project = write_tiny(tmp_path / "project", **{"chapters/third.md": NOTES_CHAPTER.replace("Notes", "Third")})
    build(project, tmp_path / "site", "--workers", "1")
    assert assembling and assembling[0] >= 3 and len(opened) == 1 + assembling[0] + 2
    assert max(live) == 3


def test_no_pdf_means_no_compendium(tmp_path):
    out = build(write_tiny(tmp_path / "project"), tmp_path / "site", "--no-pdf")
    assert not (out / "jsna.pdf").exists()
    assert "jsna.pdf" not in (out / "index.html").read_text()


# Reproducible ---------------------------------------------------------------------------------


def pdf_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}


def test_a_rebuild_gives_identical_bytes_and_source_date_epoch_sets_the_dates(site, tmp_path, monkeypatch):
    project = write_tiny(tmp_path / "project")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    again = pdf_bytes(build(project, tmp_path / "again"))
    assert again == pdf_bytes(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1483228800")  # 1 January 2017
    dated = build(project, tmp_path / "dated")
    reader = pypdf.PdfReader(dated / CHAPTERS["children-in-need"])
    assert reader.metadata["/ModDate"].startswith("D:20170101")
    assert reader.metadata["/CreationDate"].startswith("D:20150201")
    assert "Date published 1 January 2017" in reader.pages[0].extract_text()


def _box_pdf(width: int = 40, height: int = 20, grey: float | None = None) -> bytes:
    """A chart as the PDF workers get one: a page of `width` by `height` points, a box (black,
    or of the `grey` level given)."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(width, height))
    fill = "" if grey is None else f"{grey} g "
    pdf.pages[0].Contents = pdf.make_stream(f"{fill}0 0 {width} {height} re f".encode("ascii"))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def test_pdfs_made_in_parallel_are_the_pdfs_made_one_at_a_time():
    from jsna.build.parallel import process_pool
    from jsna.render import pdf as render_pdf

    chart = _box_pdf()
    jobs = [
        (True, "", ("c.svg",), (), False, f'<html lang="en-GB"><title>T{n}</title><h1>Doc {n}</h1><img src="c.svg" alt="A box">', (b"", chart))
        for n in range(3)
    ]
    here = [render_pdf.render_job(*job) for job in jobs]
    for prepare in (None, render_pdf.prepare):
        pool = process_pool(2, prepare)
        try:
            made = [future.result() for future in [pool.submit(render_pdf.render_job, *job) for job in jobs]]
        finally:
            pool.shutdown()
        assert made == here, "workers (prepared or not) give the PDFs made here"
    assert len({data for data, _, _ in here}) == 3, "each job its own PDF"


_READY = []


def _get_ready() -> None:
    _READY.append(True)


def _ready(_job: int) -> bool:
    return bool(_READY)


def test_prepare_runs_in_each_worker_before_its_jobs():
    from jsna.build.parallel import process_pool

    for prepare, expected in ((_get_ready, True), (None, False)):
        pool = process_pool(2, prepare)
        try:
            assert [pool.submit(_ready, n).result() for n in range(6)] == [expected] * 6
        finally:
            pool.shutdown()
    assert not _READY, "only the workers were prepared"


def test_a_bad_source_date_epoch_is_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    project = write_tiny(tmp_path / "project")
    assert main(["build", "--project", str(project), "--out", str(tmp_path / "site"), "-q"]) == 1
    assert "SOURCE_DATE_EPOCH: expected a whole number of seconds since 1970, found 'yesterday'" in capsys.readouterr().err


# Title page -----------------------------------------------------------------------------------


def test_title_page_says_what_when_and_who(site):
    first = " ".join(read(site, CHAPTERS["children-in-need"]).pages[0].extract_text().split())
    for expected in (
        "Children in need",
        "Area Testshire",
        "Organisation Test Public Health Team",
        "Date published 5 April 2016",
        "Last updated 1 February 2015",
        "Next review 1 February 2016",
        "Key contact A. Person Analyst analyst@example.org",
    ):
        assert expected in first


# Charts placed as drawn ---------------------------------------------------------------------


def _chart_forms(pdf) -> list:
    """The form XObjects the pages of a pikepdf PDF draw, once each."""
    forms = {}
    for page in pdf.pages:
        for x in page.obj.get("/Resources", {}).get("/XObject", {}).values():
            if x.get("/Subtype") == "/Form":
                forms[x.objgen] = x
    return [forms[key] for key in sorted(forms)]


@pytest.mark.parametrize("name", ["children-in-need", "compendium"])
def test_charts_are_drawn_in_the_pdf_as_matplotlib_drew_them_with_their_fonts_shared(site, name):
    import pikepdf

    path = site / (CHAPTERS[name] if name in CHAPTERS else "jsna.pdf")
    pdf = pikepdf.open(path)
    assert not any(
        x.get("/Subtype") == "/Image" for p in pdf.pages for x in p.obj.get("/Resources", {}).get("/XObject", {}).values()
    ), "every blank was swapped for its chart"
    charts = [f for f in _chart_forms(pdf) if any(t.Subtype == "/Type3" for t in f.get("/Resources", {}).get("/Font", {}).values())]
    slugs = [name] if name in CHAPTERS else list(CHAPTERS)
    assert len(charts) == sum(len(web_alts(site, slug)) for slug in slugs), "a form for each chart"
    faces: dict[str, set] = {}
    for form in charts:
        for font in form.Resources.Font.values():
            assert font.Subtype == "/Type3" and "/ToUnicode" in font
            faces.setdefault(str(font.BaseFont).partition("+")[2], set()).add(font.objgen)
    assert "DejaVuSans" in faces
    if name in CHAPTERS:
        assert all(len(fonts) == 1 for fonts in faces.values()), "one font a typeface for a PDF's charts"
    # The charts' own text can be found: the legend's and the axis titles' words.
    import subprocess

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "England" in text and "Rate per 10,000" in text


def test_a_chart_fills_its_blank_keeping_its_shape():
    import pikepdf

    from jsna.render.pdf import render_pdf

    html = '<html lang="en-GB"><title>T</title><h1>Doc</h1><img src="a.svg" alt="A"><img src="b.svg" alt="B">'
    data, _, _ = render_pdf(html, {"a.svg": _box_pdf(40, 20), "b.svg": _box_pdf(30, 45)})
    pdf = pikepdf.open(io.BytesIO(data))
    forms = _chart_forms(pdf)
    assert sorted(tuple(float(v) for v in f.BBox) for f in forms) == [(0, 0, 30, 45), (0, 0, 40, 20)]
    for form in forms:
        sx, _, _, sy, tx, ty = (float(v) for v in form.Matrix)
        _, _, width, height = (float(v) for v in form.BBox)
        assert sx * width == pytest.approx(1, abs=1e-4) and sy * height == pytest.approx(1, abs=1e-4)
        assert tx == pytest.approx(0, abs=1e-5) and ty == pytest.approx(0, abs=1e-5)


def test_charts_of_one_size_each_take_their_own_place_and_no_blank_is_left():
    # The blanks laid out for charts are told apart by their bytes, not their size.
    import pikepdf

    from jsna.render.pdf import render_pdf

    drawn = {name: _box_pdf(40, 20, grey) for name, grey in (("a.svg", 0.2), ("b.svg", 0.5), ("c.svg", 0.8))}
    html = '<html lang="en-GB"><title>T</title><h1>Doc</h1>' + "".join(f'<p><img src="{n}" alt="{n}"></p>' for n in ("c.svg", "a.svg", "b.svg"))
    pdf = pikepdf.open(io.BytesIO(render_pdf(html, drawn)[0]))
    page = pdf.pages[0]
    xobjects = page.Resources.XObject
    shown = [xobjects[operands[0]] for operands, _ in pikepdf.parse_content_stream(page, "Do")]
    assert [x.read_bytes().split()[0] for x in shown] == [b"0.8", b"0.2", b"0.5"], "each chart where its image is"
    assert not [x for x in xobjects.values() if x.get("/Subtype") == "/Image"], "no blank left"


@pytest.mark.parametrize("previous", [{"a.svg": (40, 20), "b.svg": (30, 45)}, {"a.svg": (40, 20), "b.svg": (45, 30)}, {"a.svg": (40, 20)}])
def test_a_pdf_laid_out_ahead_of_its_charts_is_the_pdf_made_with_them(tmp_path, previous):
    # A chapter's PDF may be laid out while its charts are drawn, for the sizes they have in the
    # previous site (jsna/build/pipeline.py: `_pdf_targets`); it is the same PDF whether those
    # were right (the charts are placed in that layout), wrong or missing (it is laid out again).
    from jsna.render.pdf import lay_out_job, render_job

    for name, (width, height) in previous.items():
        (tmp_path / "c").mkdir(exist_ok=True)
        (tmp_path / "c" / name).write_text(f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
                                          f'width="{width}.2pt" height="{height}.4pt" viewBox="0 0 {width} {height}">')
    html = '<html lang="en-GB"><title>T</title><h1>Doc</h1><img src="a.svg" alt="A"><img src="b.svg" alt="B">'
    names, charts = ("a.svg", "b.svg"), ((b"", _box_pdf(40, 20)), (b"", _box_pdf(30, 45)))
    laid = lay_out_job(True, "p-", (), str(tmp_path), (("a.svg", "c/a.svg"), ("b.svg", "c/b.svg")), html)
    assert (laid is None) == (len(previous) < 2)
    assert render_job(True, "p-", names, (), True, html, *charts, laid) == render_job(True, "p-", names, (), False, html, *charts)


def test_the_cycle_collector_waits_for_a_render_and_is_left_as_found():
    """WeasyPrint's work is not interrupted by Python's cycle collector (a long table's boxes and
    layouts set it walking hundreds of times, and its full collections walk the whole process):
    it runs once, over the render's young objects, when the PDF is made; a collector switched
    off stays off."""
    import gc

    from jsna.render.pdf import render_pdf

    rows = "".join(f'<tr><th scope="row">Area {n}</th><td>{n}.5</td><td>better</td></tr>' for n in range(120))
    html = f'<html lang="en-GB"><title>T</title><table><tr><th scope="col">Area</th><th scope="col">Value</th><th scope="col">Compared</th></tr>{rows}</table>'
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        assert gc.isenabled()
        _, pages, _ = render_pdf(html, {})
        assert pages > 1 and collections == [0] and gc.isenabled()
        collections.clear()
        gc.disable()
        render_pdf(html, {})
        assert collections == [] and not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)


def test_a_pdf_with_charts_is_the_same_bytes_in_another_process(tmp_path):
    """The PDF is put together with pikepdf in each worker: its bytes must not hang on the
    process (Python's string hashing differs between processes)."""
    import os
    import pickle
    import subprocess
    import sys

    from jsna.compute.views import compute_site
    from jsna.draw.charts import draw_pdf
    from jsna.draw.maps import shapes_for
    from jsna.load.site import load_site

    root = Path(__file__).resolve().parent.parent
    views = compute_site(load_site(root))
    charts = {
        f"{v.chapter.slug}-{f.svg_file}": draw_pdf(f.chart, shapes_for(root, f.chart) if f.chart.chart_type == "map" else None)
        for v in views for f in v.figures
    }
    html = '<html lang="en-GB"><title>T</title><h1>Doc</h1>' + "".join(f'<img src="{n}" alt="{n}">' for n in charts)
    job = tmp_path / "job.pickle"
    job.write_bytes(pickle.dumps((html, charts)))
    script = (
        "import sys, hashlib, pickle; sys.path[:0] = [sys.argv[1]]\n"
        "from jsna.render.pdf import render_pdf\n"
        "html, charts = pickle.loads(open(sys.argv[2], 'rb').read())\n"
        "print(hashlib.sha256(render_pdf(html, charts)[0]).hexdigest())\n"
    )
    root = str(Path(__file__).resolve().parent.parent)
    digests = {
        subprocess.run(
            [sys.executable, "-c", script, root, str(job)], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1, digests
