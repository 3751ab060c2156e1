"""Put charts drawn as one-page PDFs into a PDF that WeasyPrint laid out with a blank image in
each chart's place (jsna/render/pdf.py).

Each blank is a white JPEG of the chart's size, told from the others by a comment inside it
("jsna blank 3"); WeasyPrint puts a JPEG into the PDF as it is, so the blank is found again by its
bytes. (A PNG blank was decoded and encoded again by WeasyPrint, and made by jsna each time:
about 7% of a chapter PDF's CPU time, measured.) Its image is then swapped for the chart's page
as a form XObject (pikepdf), so the drawing sits inside the figure's tagged content, under its
alt text. The charts' Type 3 fonts (their glyphs, from DejaVu Sans) are merged into one font per
typeface: each chart brings only the glyphs it uses, and a chapter's dozen charts share most of
them.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
from decimal import Decimal


class Placing:
    """The charts of one PDF (name in the HTML -> one-page PDF bytes): their sizes (to lay out
    their `blanks`), then `place` to swap them in."""

    def __init__(self, charts: dict[str, bytes]):
        self._charts = []
        self.sizes: dict[str, tuple[int, int]] = {}
        if charts:
            import pikepdf

            for name in sorted(charts):
                chart = pikepdf.open(io.BytesIO(charts[name]))
                self._charts.append(chart)
                self.sizes[name] = _size(chart)

    def place(self, data: bytes) -> bytes:
        """The PDF `data` with each blank image swapped for its chart, scaled to fit the blank's
        box and keeping its shape (a blank's whole pixels make its shape differ from the chart's
        by under half a point)."""
        if not self._charts:
            return data
        import pikepdf

        pdf = pikepdf.open(io.BytesIO(data))
        wanted = {blank: index for index, blank in enumerate(blanks(self.sizes).values())}
        forms: dict[int, object] = {}
        found: dict[tuple[int, int], int | None] = {}
        for page in pdf.pages:
            xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
            for key in sorted(xobjects.keys()):
                image = xobjects[key]
                if image.get("/Subtype") != "/Image":
                    continue
                if image.objgen not in found:
                    found[image.objgen] = wanted.get(image.read_raw_bytes()) if image.get("/Filter") == "/DCTDecode" else None
                index = found[image.objgen]
                if index is None:
                    continue
                if index not in forms:
                    forms[index] = _form(pdf, self._charts[index], int(image.Width), int(image.Height))
                xobjects[key] = forms[index]
        _share_fonts(pdf, [forms[i] for i in sorted(forms)])
        out = io.BytesIO()
        # Object streams are not generated: with copied objects, qpdf's choice of them was seen
        # to differ from one process to the next (the same PDF, in other bytes).
        pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def blanks(sizes: dict[str, tuple[int, int]]) -> dict[str, bytes]:
    """The blank images to lay out for charts of these sizes (name -> pixels, a pixel a point):
    each a JPEG of its own, numbered by the names' order."""
    return {name: _blank(sizes[name], index) for index, name in enumerate(sorted(sizes))}


def svg_size(head: bytes) -> tuple[int, int] | None:
    """The blank size (`_size`) of a chart from the start of its SVG, drawn from the same layout as
    its PDF and so of the same size in points; None if the start is not a matplotlib SVG's."""
    found = _SVG_SIZE.search(head)
    return _pixels(float(found[1]), float(found[2])) if found else None


def previous_sizes(folder: str, files: tuple[tuple[str, str], ...]) -> dict[str, tuple[int, int]] | None:
    """The blank sizes of charts as a site `folder` has them (`files`: each chart's name in the
    HTML and the path of its SVG in the site); None unless every one is found."""
    sizes = {}
    for name, path in files:
        try:
            with open(os.path.join(folder, path), "rb") as file:
                sizes[name] = svg_size(file.read(1024))
        except OSError:
            return None
        if sizes[name] is None:
            return None
    return sizes


_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([0-9.]+)pt"\s+height="([0-9.]+)pt"')


def _size(chart) -> tuple[int, int]:
    """A chart's blank, in pixels: one a point, so it has about the chart's shape."""
    x0, y0, x1, y1 = (float(v) for v in chart.pages[0].MediaBox)
    return _pixels(x1 - x0, y1 - y0)


def _pixels(width: float, height: float) -> tuple[int, int]:
    """A blank's size for a chart of `width` by `height` points."""
    return max(1, round(width)), max(1, round(height))


@functools.lru_cache(maxsize=1024)
def _blank(size: tuple[int, int], index: int) -> bytes:
    """The `index`th blank of a PDF, white, of `size` pixels (kept: the same blanks recur, as
    charts of the same shape do, and a chapter's PDF is laid out, then placed)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", size, 255).save(out, format="JPEG", comment=f"jsna blank {index}".encode("ascii"))
    return out.getvalue()


def _form(pdf, chart, width: int, height: int):
    """The chart's page as a form XObject of `pdf`, mapped into the unit square that a `width`
    by `height` image fills: centred, its shape kept."""
    import pikepdf

    form = pdf.copy_foreign(chart.pages[0].as_form_xobject())
    x0, y0, x1, y1 = (float(v) for v in form.BBox)
    scale = min(width / (x1 - x0), height / (y1 - y0))
    sx, sy = scale / width, scale / height
    tx = (1 - (x1 - x0) * sx) / 2 - x0 * sx
    ty = (1 - (y1 - y0) * sy) / 2 - y0 * sy
    form.Matrix = pikepdf.Array([Decimal(f"{v:.6f}") for v in (sx, 0, 0, sy, tx, ty)])
    return form


_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\[([^\]]*)\]")


def _share_fonts(pdf, forms: list) -> None:
    """Give the charts one Type 3 font per typeface, holding every glyph any of them uses.

    matplotlib names each chart's font TAG+Typeface, with codes 0 to 255 standing for the same
    characters in every chart (Latin-1), so the glyphs, widths and Unicode values of one code
    agree across the charts and can be pooled."""
    groups: dict[str, list] = {}  # typeface -> the charts' font dictionaries
    users: list[tuple[object, object, str]] = []  # (font resources, resource name, typeface)
    for form in forms:
        fonts = form.get("/Resources", {}).get("/Font", {})
        for name in sorted(fonts.keys()):
            font = fonts[name]
            if font.get("/Subtype") != "/Type3":
                continue
            face = str(font.BaseFont).partition("+")[2] or str(font.BaseFont)[1:]
            groups.setdefault(face, []).append(font)
            users.append((fonts, name, face))
    shared = {face: _pooled(pdf, face, fonts) for face, fonts in groups.items() if len(fonts) > 1}
    for fonts, name, face in users:
        if face in shared:
            fonts[name] = shared[face]


def _pooled(pdf, face: str, fonts: list):
    """One Type 3 font with all the glyphs of `fonts` (of one typeface)."""
    import pikepdf

    names: dict[int, str] = {}  # code -> glyph name
    widths: dict[int, object] = {}
    unicode: dict[int, bytes] = {}
    procs: dict[str, object] = {}
    for font in fonts:
        code = None
        for item in font.Encoding.Differences:
            if isinstance(item, int):
                code = item
                continue
            names.setdefault(code, str(item))
            first = int(font.FirstChar)
            widths.setdefault(code, font.Widths[code - first])
            code += 1
        for key in font.CharProcs.keys():
            procs.setdefault(key, font.CharProcs[key])
        if "/ToUnicode" in font:
            for start, end, values in _RANGE.findall(font.ToUnicode.read_bytes()):
                for offset, value in enumerate(re.findall(rb"<([0-9a-fA-F]+)>", values)):
                    unicode.setdefault(int(start, 16) + offset, value)
    codes = sorted(names)
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(" ".join(names[c] for c in codes).encode()).digest()[:6])
    differences: list = []
    for code in codes:
        if not differences or code != last + 1:
            differences.append(code)
        differences.append(pikepdf.Name(names[code]))
        last = code
    font = pikepdf.Dictionary(fonts[0])  # a shallow copy: its matrix, box and descriptor
    font.BaseFont = font.Name = pikepdf.Name(f"/{tag}+{face}")
    font.FirstChar, font.LastChar = codes[0], codes[-1]
    font.Widths = pikepdf.Array([widths.get(c, 0) for c in range(codes[0], codes[-1] + 1)])
    font.Encoding = pikepdf.Dictionary(Type=pikepdf.Name.Encoding, Differences=pikepdf.Array(differences))
    font.CharProcs = pikepdf.Dictionary({key: procs[key] for key in sorted(procs)})
    if unicode:
        font.ToUnicode = pdf.make_stream(_cmap(unicode))
    return pdf.make_indirect(font)


def _cmap(unicode: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap for one-byte codes."""
    pairs = [f"<{code:02x}> <{unicode[code].decode()}>" for code in sorted(unicode)]
    chunks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]  # at most 100 a block
    body = "".join(f"{len(c)} beginbfchar\n" + "\n".join(c) + "\nendbfchar\n" for c in chunks)
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <ff>\nendcodespacerange\n"
        f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")
