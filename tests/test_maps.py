"""Maps, end to end: a site built from the published DfE and ONS files and the ONS boundaries
(variants made here by code), read back: the SVG's size, the attribution on the map, the local
area outlined, areas missing from the data hatched with a legend entry, a changed code never
matched, every area in the table, the region zoomed, and the boundaries in the chart's key."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from jsna.build.pipeline import build
from jsna.cli import main
from jsna.project import input_files
from test_data import B1, NEED, RATE, SHARED, data_project, published
from test_incremental import _tree

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="the published files are not here")

GEO = "geography/counties-and-unitary-authorities-2023-england.geojson"
ATTRIBUTION = ("Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
               "Contains OS data © Crown copyright and database right 2023")
BOUNDARIES = f'boundaries:\n  file: {GEO}\n  attribution: "{ATTRIBUTION}"\n'
CHAPTER = NEED + """\

```figure
indicator: cin-rate
type: map
```

```figure
indicator: cin-rate
type: map
group: region
fill: quintile
```
"""


def _project(root: Path, keep_years=None, drop_area: str | None = None) -> Path:
    """The published files, and a chapter with an England map and a zoomed one of the region;
    rows after `keep_years` or of `drop_area` left out of table B1 (a variant made here)."""
    data_project(root, RATE, config_extra="area_code: E06000055\n" + BOUNDARIES)
    (root / "data" / "geography").mkdir(parents=True)
    shutil.copyfile(SHARED / GEO, root / "data" / GEO)
    (root / "chapters" / "children-in-need.md").write_text(CHAPTER, encoding="utf-8")
    if keep_years or drop_area:
        lines = (SHARED / B1).read_text(encoding="utf-8-sig").splitlines(keepends=True)
        kept = [lines[0]] + [
            line for line in lines[1:]
            if (keep_years is None or int(line[:4]) <= keep_years) and (drop_area is None or f",{drop_area}," not in line)
        ]
        (root / "data" / B1).write_text("".join(kept), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """One build with PDFs, Northumberland's rows left out of the data."""
    root = _project(tmp_path_factory.mktemp("maps"), drop_area="E06000057")
    build(root, root / "site", workers=1, compendium_pdf=False)
    return root / "site" / "children-in-need"


def _texts(svg: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b.*?</text>", svg, re.S))


def _rows(folder: Path, number: int) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / f"figure-{number}.csv").read_text(encoding="utf-8"))))


def test_the_map_is_small_and_carries_the_attribution(site):
    for name in ("figure-1.svg", "figure-1-small.svg", "figure-2.svg", "figure-2-small.svg"):
        svg = (site / name).read_text(encoding="utf-8")
        assert len(svg.encode("utf-8")) < 150_000, name
        assert " ".join(ATTRIBUTION.split()) in " ".join(_texts(svg).split()), name
    page = (site / "index.html").read_text(encoding="utf-8")
    assert ATTRIBUTION in page


def test_the_local_area_is_outlined_and_named(site):
    svg = (site / "figure-1.svg").read_text(encoding="utf-8")
    assert "Bedford Borough" in _texts(svg) and "Bedford Borough (outlined)" in _texts(svg)
    assert re.search(r'style="fill: none; stroke: #0b0c0c; stroke-width: 1\.6', svg)


def test_an_area_missing_from_the_data_is_hatched_and_in_the_legend(site):
    svg = (site / "figure-1.svg").read_text(encoding="utf-8")
    assert "Not in the data (hatched)" in _texts(svg)
    assert "<pattern" in svg  # the hatching
    rows = {row["area_code"]: row for row in _rows(site, 1)}
    assert rows["E06000057"]["status"] == "not in the data" and rows["E06000057"]["value"] == ""
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "1 has no row in the data (hatched)" in page


def test_the_table_and_csv_list_every_area(site):
    published_codes = {f["properties"]["code"] for f in json.loads((SHARED / GEO).read_text())["features"]}
    rows = _rows(site, 1)
    assert {row["area_code"] for row in rows} == published_codes
    bedford = next(row for row in rows if row["area_code"] == "E06000055")
    count = float(published(B1, "E06000055", "2025", "At31_episodes"))
    assert bedford["comparison_95"] in ("higher", "similar", "lower") and float(bedford["value"]) > 0 < count
    page = (site / "index.html").read_text(encoding="utf-8")
    table = page[page.index('id="figure-1-data"'):]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == 1 + 1 + len(published_codes)  # the head, England, every area
    assert "Bedford Borough (this area)" in table


def test_the_alt_text_counts_the_comparisons_and_places_the_local_area(site):
    rows = [row for row in _rows(site, 1) if row["status"] != "not in the data"]
    counts = {c: sum(1 for row in rows if row["comparison_95"] == c) for c in ("lower", "similar", "higher")}
    page = (site / "index.html").read_text(encoding="utf-8")
    alt = re.search(r'<img src="figure-1.svg" alt="([^"]*)"', page)[1]
    assert f"Compared with England: {counts['lower']} lower, {counts['similar']} similar, {counts['higher']} higher." in alt
    assert "Bedford Borough (outlined)" in alt


def test_a_region_is_zoomed_and_filled_by_fifths(site):
    rows = _rows(site, 2)
    assert len(rows) == 11 and {row["group"] for row in rows} == {"region"}  # the East of England's authorities
    assert sorted(int(row["fifth"]) for row in rows).count(1) >= 2
    svg = (site / "figure-2.svg").read_text(encoding="utf-8")
    assert "Lowest fifth" in _texts(svg) and "Region border" in _texts(svg)


def test_the_map_is_in_the_pdf(site):
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(site / "children-in-need.pdf").pages)
    assert "Contains OS data" in text and "Not in the data" in text


def test_a_changed_code_is_never_matched(tmp_path):
    """In 2020 the data has Northamptonshire (E10000021), which the 2023 boundaries split into
    North and West Northamptonshire: the county is listed as not on the map, the two are not
    in the data, and no area is drawn with another's value."""
    root = _project(tmp_path, keep_years=2020)
    main(["build", "--project", str(root), "--no-pdf", "--workers", "1", "-q"])
    rows = {row["area_code"]: row for row in _rows(root / "site" / "children-in-need", 1)}
    assert rows["E10000021"]["on_map"] == "no" and rows["E10000021"]["value"] != ""
    for code in ("E06000061", "E06000062"):
        assert rows[code]["status"] == "not in the data" and rows[code]["value"] == ""
    page = (root / "site" / "children-in-need" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Not on the map: [^<]*Northamptonshire \(E10000021\)", page)


def test_the_boundaries_are_an_input_of_the_map(tmp_path):
    """The boundary file is hashed with the inputs, and a changed one redraws the map as a
    clean build draws it."""
    root = _project(tmp_path)
    assert root / "data" / GEO in input_files(root)
    out = root / "site"
    build(root, out, pdf=False, workers=1)
    before = (out / "children-in-need" / "figure-1.svg").read_bytes()
    doc = json.loads((root / "data" / GEO).read_text())
    doc["features"] = [f for f in doc["features"] if f["properties"]["code"] != "E06000032"]  # Luton
    (root / "data" / GEO).write_text(json.dumps(doc))
    build(root, out, pdf=False, workers=1)
    assert (out / "children-in-need" / "figure-1.svg").read_bytes() != before
    assert "Not on the map: Luton (E06000032)" in (out / "children-in-need" / "index.html").read_text()
    fresh = tmp_path / "fresh"
    build(root, fresh, pdf=False, workers=1, cache=False)
    assert _tree(out) == _tree(fresh)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda root: (root / "jsna.yaml").write_text((root / "jsna.yaml").read_text().replace(BOUNDARIES, "")),
     "chapters/children-in-need.md:11:7: expected boundaries (file and attribution) in jsna.yaml for a map, found none"),
    (lambda root: (root / "data" / GEO).unlink(),
     "jsna.yaml:6:9: expected a GeoJSON file in data/, found no file data/" + GEO),
    (lambda root: (root / "data" / GEO).write_text('{"type": "FeatureCollection", "features": [\n  {"type": "Feature", "properties": {"name": "x"}, "geometry": null}]}'),
     f"data/{GEO}:2:3: expected a `code` property (the area's ONS code, such as E06000055), found none (feature 1)"),
])
def test_bad_boundaries_stop_the_build_with_one_line(tmp_path, capsys, change, expected):
    root = _project(tmp_path)
    change(root)
    assert main(["build", "--project", str(root), "--no-pdf", "--workers", "1", "-q"]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_the_shapes_are_made_once_per_map_and_kept(tmp_path, monkeypatch):
    """A map's wide and small charts share its shapes, made once; a rebuild that keeps the
    charts makes none."""
    import jsna.load.geography as geography

    calls = []
    made = geography.shapes
    monkeypatch.setattr(geography, "shapes", lambda *args: calls.append(args[2]) or made(*args))
    root = _project(tmp_path)
    build(root, root / "site", pdf=False, workers=1)
    assert len(calls) == 2  # the England map and the region's
    chapter = root / "chapters" / "children-in-need.md"
    chapter.write_text(chapter.read_text() + "\nMore words.\n")
    calls.clear()
    build(root, root / "site", pdf=False, workers=1)
    assert calls == []


EAST = ("E06000031", "E06000032", "E06000033", "E06000034", "E06000055", "E06000056", "E10000003", "E10000012",
        "E10000015", "E10000020", "E10000029")  # the East of England's authorities: a map wider than tall


@pytest.fixture(scope="module")
def maps():
    """The published boundaries, and the shapes of England's map and the East of England's."""
    from jsna.draw.maps import BOX
    from jsna.load import geography

    root = Path(__file__).resolve().parent.parent
    boundaries = geography.load_boundaries(root, GEO, ATTRIBUTION, None)
    codes = tuple(code for code, _ in boundaries.areas)
    return boundaries, {"england": geography.shapes(root, GEO, codes, (), BOX), "east": geography.shapes(root, GEO, EAST, (), BOX)}


@pytest.mark.parametrize(("extent", "local"), [
    ("england", "E06000057"), ("england", "E06000052"), ("england", "E10000016"), ("england", "E09000001"),
    ("england", "E06000055"), ("east", "E10000020"), ("east", "E06000055"),
])
@pytest.mark.parametrize("small", [False, True])
def test_every_text_stays_inside_the_canvas(maps, extent, local, small):
    """The local area's name, the legend and the attribution inside the canvas wherever the area
    is (Northumberland at the top, Cornwall at the bottom left, Kent at the right, the City of
    London, Bedford; Norfolk at the right of a wide region), and the map never under the legend."""
    from matplotlib.figure import Figure

    from jsna.compute.maps import MapArea, MapSpec
    from jsna.draw.charts import SMALL, WIDE
    from jsna.draw.maps import plot

    boundaries, shapes = maps[0], maps[1][extent]
    drawn = dict(shapes.areas)
    areas = tuple(MapArea(code, name, "similar", code == local) for code, name in boundaries.areas if code in drawn)
    legend = (("better", "Significantly better than England"), ("similar", "Similar to England"),
              ("worse", "Significantly worse than England"), ("not in the data", "Not in the data (hatched)"))
    spec = MapSpec("t-figure-1", "map", GEO, boundaries.digest, areas, (), legend, "Compared with England, 2025",
                   boundaries.name(local), ATTRIBUTION)
    figure = plot(Figure, spec, SMALL if small else WIDE, shapes)
    figure.draw_without_rendering()  # the legend's texts are placed when it is drawn
    renderer = figure._get_renderer()
    canvas = figure.bbox
    texts = [t for t in figure.findobj(lambda a: hasattr(a, "get_text") and a.get_text()) if t.get_visible()]
    assert len(texts) >= 4
    for text in texts:
        box = text.get_window_extent(renderer)
        assert canvas.x0 - 0.5 <= box.x0 and box.x1 <= canvas.x1 + 0.5, text.get_text()
        assert canvas.y0 - 0.5 <= box.y0 and box.y1 <= canvas.y1 + 0.5, text.get_text()
    map_box = figure.axes[0].get_window_extent(renderer)
    legend_box = figure.legends[0].get_window_extent(renderer)
    assert not map_box.overlaps(legend_box)


def test_a_local_area_the_boundaries_lack_is_said_to_be_off_the_map(tmp_path):
    from jsna.compute.views import compute_site
    from jsna.load.site import load_site

    root = _project(tmp_path)
    doc = json.loads((root / "data" / GEO).read_text())
    doc["features"] = [f for f in doc["features"] if f["properties"]["code"] != "E06000055"]
    (root / "data" / GEO).write_text(json.dumps(doc))
    (view,) = compute_site(load_site(root))
    england_map = view.figures[0]
    assert "Bedford Borough, " in england_map.alt and "is not on the map: the boundaries have no area with its code E06000055." in england_map.alt
    assert not any(area.local for area in england_map.chart.areas)
    assert ("Bedford Borough (this area)", ("E06000055",)) in [(name, cells[:1]) for name, cells in england_map.table.rows]


def _luminance(colour: str) -> float:
    """WCAG's relative luminance of a #RRGGBB colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_fills_are_ordered_by_lightness_alone():
    """Read in greyscale (or with any colour vision), each fill is told from the next by its
    lightness: the worse (or higher), the darker, each step at least 2:1."""
    from jsna.draw.maps import FILLS

    def ratio(light: str, dark: str) -> float:
        return (_luminance(FILLS[light]) + 0.05) / (_luminance(FILLS[dark]) + 0.05)

    for order in (("better", "similar", "worse"), ("lower", "similar", "higher"), ("q1", "q2", "q3", "q4", "q5")):
        for light, dark in zip(order, order[1:]):
            assert ratio(light, dark) >= (2 if len(order) == 3 else 1.4), (light, dark)
