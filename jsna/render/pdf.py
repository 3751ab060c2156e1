"""Render print HTML to PDF bytes with WeasyPrint: a chapter's own PDF, or a piece of the
compendium (its front, a chapter's part, the page numbers) for jsna/render/assemble.py.

The charts come drawn as one-page PDFs (jsna/draw/charts.py). WeasyPrint lays out a blank image of each
chart's size where the HTML shows it, tagged as the figure with its alt text; that image is then
swapped for the chart's page (jsna/render/place_charts.py), so WeasyPrint never draws a chart (which
took about 40% of a chapter PDF's time, from SVG). Resources come only from the charts
given, never from the disk or the network. The
PDF is tagged (WeasyPrint's PDF/UA-1 variant: structure tree, MarkInfo, /Lang, DisplayDocTitle,
/Alt on every figure, header cells linked to data cells) and its dates come from the HTML's
dcterms meta, so the same input gives the same bytes. A small finishing step repairs two things
in WeasyPrint 70's tagging: the running header and footer become pagination artifacts (WeasyPrint
tags their text but leaves it out of the structure tree), and each figure's /BBox is put in PDF
units. WeasyPrint is imported only here, only when a PDF is rendered.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
from urllib.parse import unquote

from jsna.render.place_charts import Placing, blanks, previous_sizes

_BASE = "file:///jsna-chapter/"
_PT_PER_PX = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)


def render_pdf(html: str, charts: dict[str, bytes], *, tagged: bool = True, ids: str = "",
               ahead: tuple | None = None, images: tuple[tuple[str, bytes], ...] = ()) -> tuple[bytes, int, dict[str, int]]:
    """The PDF, its page count and the page (from 0) each anchor (id) is on. `charts` maps the
    names the HTML's images use (figure-1.svg) to the charts drawn as one-page PDFs.
    `tagged=False` for the page numbers laid over the compendium's pages (artifacts, not
    content); `ids` prefixes the structure elements' IDs (the table header cells'), so that parts
    put together in one PDF cannot share one. `ahead`: the PDF laid out before the charts were
    drawn (`lay_out`) and the sizes it was laid out for, used where the charts have those sizes
    (the same bytes as laying it out now). `images`: the other images the HTML shows (its
    address from the page's folder, bytes)."""
    placing = Placing(charts)
    if ahead is not None and ahead[1] == placing.sizes:
        laid = ahead[0]
    else:
        laid = lay_out(html, placing.sizes, tagged=tagged, ids=ids, images=images)
    return placing.place(laid[0]), laid[1], laid[2]


def lay_out(html: str, sizes: dict[str, tuple[int, int]], *, tagged: bool = True, ids: str = "",
            images: tuple[tuple[str, bytes], ...] = ()) -> tuple[bytes, int, dict[str, int]]:
    """`render_pdf`'s PDF before its charts are placed, laid out with a blank for each chart of
    `sizes` (name -> blank size, jsna/render/place_charts.py) and the `images`."""
    from jsna.load.safety import IMAGE_TYPES

    served = {name: (data, "image/jpeg") for name, data in blanks(sizes).items()}
    served.update((name, (data, IMAGE_TYPES[os.path.splitext(name)[1].lower()])) for name, data in images)
    with _collector_held():
        return _lay_out(html, served, tagged, ids)


@contextlib.contextmanager
def _collector_held():
    """Python's cycle collector held off while WeasyPrint works, then run once over what is
    left of the render (its youngest generation). WeasyPrint makes hundreds of thousands of
    objects for a chapter (boxes, styles, Pango layouts: several for every table cell), nearly
    all freed by reference counting, yet every 700 of them set the collector walking the young
    ones, and its full collections walk everything the process holds (a build's site and
    views, matplotlib). In a process holding a site, a compare-areas figure with its table of
    153 rows added 0.5 to 0.65 s of CPU to its chapter's PDF with the collector running, 0.35
    to 0.5 s without (medians, bench/costs.py). What is held meanwhile is the render's cyclic
    garbage: a few MB."""
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def _lay_out(html: str, served: dict[str, tuple[bytes, str]], tagged: bool, ids: str) -> tuple[bytes, int, dict[str, int]]:
    """The PDF laid out with the images `served` (address -> bytes and type): the charts' blanks
    and the chapter's own images."""
    weasyprint = import_weasyprint()
    from weasyprint.urls import URLFetcherResponse

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    class _Fetcher(weasyprint.URLFetcher):
        """Serve the images from memory; refuse everything else."""

        def fetch(self, url, headers=None):
            name = unquote(url[len(_BASE):]) if url.startswith(_BASE) else None
            if name in served:
                return URLFetcherResponse(url, served[name][0], {"Content-Type": served[name][1]})
            raise ValueError(f"jsna does not fetch {url}: PDFs use only the chapter's own charts")

    document = weasyprint.HTML(string=html, base_url=_BASE, url_fetcher=_Fetcher()).render()
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    out = io.BytesIO()
    if tagged:
        document.write_pdf(out, pdf_variant="pdf/ua-1", pdf_identifier=identifier, finisher=lambda d, pdf: _finish(d, pdf, ids))
    else:
        document.write_pdf(out, pdf_identifier=identifier)
    anchors = {name: number for number, page in enumerate(document.pages) for name in page.anchors}
    return out.getvalue(), len(document.pages), anchors


def import_weasyprint():
    """WeasyPrint, imported without the library search it starts with where it can be spared.
    It asks for each C library by several names, most first through `ctypes.util.find_library`,
    which runs `ldconfig` and `gcc` (some 0.2 to 0.3 s a process, on the way to every PDF);
    the names it tries next (`libpango-1.0.so.0`) are loaded directly. Where that fails, it is
    imported again as it is."""
    import sys

    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint
        return weasyprint
    import ctypes.util

    find = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
        return weasyprint
    except OSError:  # its libraries have other names here: the search it would have made
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = find
    import weasyprint
    return weasyprint


def prepare() -> None:
    """Import WeasyPrint and pikepdf and lay out one line, so that a worker's first PDF does not
    pay for the imports and the fonts' set-up (about 0.6 s here): it is done while the charts
    are drawn."""
    import pikepdf  # noqa: F401

    render_pdf('<html lang="en"><head><title>-</title></head><body><p>-</p></body></html>', {})


def _finish(document, pdf, ids: str) -> None:
    """Small repairs to WeasyPrint 70's tagging, made on the PDF objects before writing."""
    import pydyf

    elements = {
        obj.reference: obj
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
    }
    _pagination_artifacts(pdf, elements)
    _figure_boxes(pdf, elements)
    _header_scopes(elements)
    if ids:
        _prefix_ids(elements, ids)
    _id_tree(pdf, elements)
    _link_descriptions(document)


def _header_scopes(elements) -> None:
    """Each header cell's /Scope, as the HTML's `scope` says (WeasyPrint 70 reads it to link
    data cells to their headers but does not write it): /Row for a header that data cells of
    its own row name in /Headers, /Column otherwise."""
    import pydyf

    for row in elements.values():
        if row.get("S") != "/TR":
            continue
        cells = [elements[k] for k in row.get("K", ()) if k in elements]
        named = {h.string for c in cells if c.get("S") == "/TD" for h in c.get("A", {}).get("Headers", ())}
        for cell in cells:
            if cell.get("S") == "/TH" and "ID" in cell:
                attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                attributes["Scope"] = "/Row" if cell["ID"].string in named else "/Column"


def _id_tree(pdf, elements) -> None:
    """The structure tree's /IDTree (ISO 32000-1, 14.7.2): every element ID to its element, so
    that a cell's /Headers can be followed to its header cells."""
    import pydyf

    named = sorted((element["ID"].string, reference) for reference, element in elements.items() if "ID" in element)
    if not named:
        return
    root = next(obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructTreeRoot")
    root["IDTree"] = pydyf.Dictionary({"Names": pydyf.Array([v for name, ref in named for v in (pydyf.String(name), ref)])})


def _link_descriptions(document) -> None:
    """Each link's /Contents, its description for assistive technology, from the link's own
    text: WeasyPrint writes its target there (for a link within the PDF, a bare id)."""
    import pydyf

    for page in document.pages:
        for _, _, _, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            element = getattr(box, "element", None)
            if annotation is None or element is None:
                continue
            text = " ".join("".join(element.itertext()).split())
            if text:
                annotation["Contents"] = pydyf.String(text)


def _prefix_ids(elements, prefix: str) -> None:
    """Put `prefix` before every structure element ID and every reference to one (/Headers)."""
    import pydyf

    def prefixed(value: pydyf.String) -> pydyf.String:
        return pydyf.String(prefix + value.string)

    for element in elements.values():
        if "ID" in element:
            element["ID"] = prefixed(element["ID"])
        headers = element.get("A", {}).get("Headers")
        if headers is not None:
            element["A"]["Headers"] = pydyf.Array([prefixed(h) for h in headers])


def _figure_boxes(pdf, elements) -> None:
    """A figure's /BBox in PDF user space (points, from the page's foot): WeasyPrint writes the
    layout's CSS pixels from the page's top."""
    import pydyf

    for element in elements.values():
        box = element.get("A", {}).get("BBox") if element.get("S") == "/Figure" else None
        if box is None:
            continue
        height = pdf.objects[int(element["Pg"].split()[0])]["MediaBox"][3]
        x1, y1, x2, y2 = (float(v) * _PT_PER_PX for v in box)
        element["A"]["BBox"] = pydyf.Array([round(x1, 3), round(height - y2, 3), round(x2, 3), round(height - y1, 3)])


def _pagination_artifacts(pdf, elements) -> None:
    """Mark the text of the page margins (running header, "Page X of Y", organisation) as
    /Artifact /Pagination instead of tagged content that no structure element holds.

    WeasyPrint 70 builds structure elements for margin boxes but never links them into the tree
    (pdf/tags.py: "could be included in tree as Artifact, but that's only allowed in PDF 2.0").
    Their marked content is found here by that: every marked-content id owned by an element the
    tree does not reach becomes an artifact in its page's content stream.
    """
    import pydyf

    linked = set()
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") in ("/StructElem", "/StructTreeRoot"):
            linked.update(k for k in obj.get("K", ()) if isinstance(k, bytes))

    loose: dict[bytes, set[int]] = {}  # page reference -> marked-content ids to make artifacts

    def collect(element):
        for kid in element.get("K", ()):
            if isinstance(kid, int):
                loose.setdefault(element["Pg"], set()).add(kid)
            elif kid in elements:
                collect(elements[kid])

    for reference, element in elements.items():
        if reference not in linked:
            collect(element)

    for page_reference, ids in loose.items():
        page = pdf.objects[int(page_reference.split()[0])]
        contents = page["Contents"]
        stream = pdf.objects[int(contents.split()[0])].stream
        for index, item in enumerate(stream):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in ids and stream[index + 1] == b"BDC":
                stream[index - 1] = "/Artifact"
                stream[index] = pydyf.Dictionary({"Type": "/Pagination"})


def render_job(tagged: bool, ids: str, names: tuple[str, ...], images: tuple, ahead: bool, html: str,
               *charts: tuple) -> tuple[bytes, int, dict[str, int]]:
    """A PDF target's make (jsna/build/pipeline.py): `render_pdf` of the print HTML, each chart
    (drawn as SVG and PDF) placed under the name its image has there. `ahead`: the PDF's layout
    target (`lay_out_job`) comes after the charts: its layout is used where their sizes are as
    expected."""
    if not ahead:
        return render_pdf(html, _named(names, charts), tagged=tagged, ids=ids, images=images)
    *drawn, laid = charts
    return render_pdf(html, _named(names, drawn), tagged=tagged, ids=ids, ahead=laid, images=images)


def lay_out_job(tagged: bool, ids: str, images: tuple, previous: str, files: tuple[tuple[str, str], ...], html: str) -> tuple | None:
    """A PDF's layout target's make (jsna/build/pipeline.py): `lay_out`, while the charts are
    drawn, for the sizes they have in the `previous` site (`files`: each chart's name in the HTML
    and path there), with those sizes; None where a chart is not found there."""
    sizes = previous_sizes(previous, files)
    return None if sizes is None else (lay_out(html, sizes, tagged=tagged, ids=ids, images=images), sizes)


def _named(names: tuple[str, ...], charts: tuple[tuple[bytes, ...], ...]) -> dict[str, bytes]:
    """The charts' PDFs (each chart drawn as SVG and PDF) by the names their images have in the HTML."""
    return {name: chart[1] for name, chart in zip(names, charts)}
