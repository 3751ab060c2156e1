"""Boundaries for maps: a GeoJSON file in the project's data/ folder (the ONS's counties and
unitary authorities, say), each feature a Polygon or MultiPolygon with a `code` property (and a
`name`).

Loading checks the file and reads which areas it draws, without importing shapely (a load only
needs the codes and names). `shapes` makes the outlines a map draws: projected, simplified to the
size they are drawn at with shapely's `coverage_simplify` (which simplifies each border once, so
two neighbours' shared border stays shared: no slivers, no gaps), with each region's outline
merged from its areas' simplified shapes, so region borders lie exactly on area borders
(shapely's `union_all`: its faster `coverage_union` refuses the few borders the published
file's rounding left a hair apart). A build
makes them once per map and keeps them (jsna/build/pipeline.py), keyed by the file's digest.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from jsna.errors import JsnaError, Position
from jsna.load.safety import decode, inside
from jsna.model import Boundaries
from jsna.records import record

DATA_DIR = "data"
POLYGONS = ("Polygon", "MultiPolygon")
# The most a simplified border may stray from the published one, in points at the drawn size:
# less than a thin line's width, and the map's SVG stays well under 150 KB.
TOLERANCE = 0.75


@record
class Shapes:
    """What a map draws, in projected units (x east, y north, equal scales): each area's rings
    and each region's outline (rings of its merged areas), with the extent (x0, y0, x1, y1)."""

    areas: tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]
    regions: tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]
    extent: tuple[float, float, float, float]


def file_digest(path: Path) -> str:
    from jsna.build.store import digest

    return digest("boundaries", path.read_bytes())


def load_boundaries(root: Path, name: str, attribution: str, at: Position, remember=None) -> Boundaries:
    """The boundary file data/`name`, checked, with the attribution its licence requires; with
    `remember`, read once per version of its bytes. `at`: where jsna.yaml names it, for a file
    that is missing."""
    rel = f"{DATA_DIR}/{name}"
    path = root / DATA_DIR / name
    if not path.is_file():
        raise JsnaError(at, f"expected boundaries to name a GeoJSON file in data/, found no file {rel}")
    if not inside(root, path):
        raise JsnaError(at, f"expected boundaries to name a file inside the project, found {rel} linking outside it")
    digest = file_digest(path)
    if remember is None:
        return Boundaries(name, digest, _areas(root, name), attribution)
    return Boundaries(name, digest, remember(f"boundaries:{digest}", lambda: _areas(root, name)), attribution)


def _areas(root: Path, name: str) -> tuple[tuple[str, str], ...]:
    rel = f"{DATA_DIR}/{name}"
    text = decode(rel, (root / DATA_DIR / name).read_bytes())
    return tuple((code, area_name) for code, area_name, _ in features(text, rel))


def features(text: str, rel: str) -> list[tuple[str, str, dict]]:
    """(code, name, geometry) of each feature of a GeoJSON FeatureCollection; a problem is a
    JsnaError at the feature's line and column."""
    try:
        doc = json.loads(text.removeprefix("\ufeff"))  # past a byte-order mark some tools write
    except json.JSONDecodeError as exc:
        raise JsnaError(Position(rel, exc.lineno, exc.colno), f"expected GeoJSON (JSON text), found {exc.msg.lower()}") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise JsnaError(Position(rel, 1, 1), f"expected a GeoJSON FeatureCollection with a list of features, found {found!r}")
    out, seen = [], set()
    for index, feature in enumerate(doc["features"]):
        problem = _feature_problem(feature, seen)
        if problem:
            raise JsnaError(_feature_position(text, rel, index), f"{problem} (feature {index + 1})")
        code = feature["properties"]["code"].strip()
        seen.add(code)
        out.append((code, str(feature["properties"].get("name") or code), feature["geometry"]))
    if not out:
        raise JsnaError(Position(rel, 1, 1), "expected at least one feature, found none")
    return out


def _feature_problem(feature, seen: set[str]) -> str | None:
    """What is wrong with one feature, or None."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return "expected a GeoJSON Feature"
    properties = feature.get("properties")
    code = properties.get("code") if isinstance(properties, dict) else None
    if not isinstance(code, str) or not code.strip():
        found = "none" if code is None or code == "" else repr(code)
        return f"expected a `code` property (the area's ONS code, such as E06000055), found {found}"
    if code.strip() in seen:
        return f"expected each area once, found a second feature with code {code.strip()}"
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in POLYGONS:
        return f"expected a Polygon or MultiPolygon geometry for {code}, found {kind or 'none'}"
    polygons = geometry.get("coordinates")
    polygons = [polygons] if kind == "Polygon" else polygons
    if not isinstance(polygons, list) or not polygons or not all(_polygon(p) for p in polygons):
        return f"expected rings of at least four [longitude, latitude] points for {code}, found other coordinates"
    return None


def _polygon(rings) -> bool:
    return isinstance(rings, list) and bool(rings) and all(
        isinstance(ring, list) and len(ring) >= 4 and all(
            isinstance(point, list) and len(point) >= 2 and all(
                isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in point[:2])
            for point in ring)
        for ring in rings)


def _feature_position(text: str, rel: str, index: int) -> Position:
    """Where the index-th feature starts (found again only when one is wrong)."""
    decoder = json.JSONDecoder()
    start = text.find("[", text.find('"features"'))
    at = start + 1
    for _ in range(index + 1):
        while text[at] in " \t\n\r,":
            at += 1
        begin = at
        _, at = decoder.raw_decode(text, at)
    line = text.count("\n", 0, begin) + 1
    return Position(rel, line, begin - text.rfind("\n", 0, begin))


def shapes(root: Path, name: str, codes: tuple[str, ...], regions: tuple[tuple[str, tuple[str, ...]], ...],
           box: tuple[float, float]) -> Shapes:
    """The areas `codes` of data/`name` and the outlines of `regions` (region -> its codes),
    projected and simplified for a map drawn in a box `box` (width, height) inches."""
    import numpy
    import shapely

    rel = f"{DATA_DIR}/{name}"
    found = {code: geometry for code, _, geometry in features(decode(rel, (root / DATA_DIR / name).read_bytes()), rel)}
    chosen = [code for code in codes if code in found]
    if not chosen:
        return Shapes((), (), (0.0, 0.0, 1.0, 1.0))
    geoms = shapely.make_valid([shapely.geometry.shape(found[c]) for c in chosen], method="structure", keep_collapsed=False)
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    scale = numpy.array([math.cos(math.radians((y0 + y1) / 2)), 1.0])
    geoms = shapely.transform(geoms, lambda xy: xy * scale)
    x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(geoms))
    per_point = max((x1 - x0) / box[0], (y1 - y0) / box[1]) / 72
    simple = shapely.coverage_simplify(geoms, TOLERANCE * per_point)
    by_code = dict(zip(chosen, simple))
    speck = (TOLERANCE * per_point) ** 2
    outlines = tuple(
        (region, _rings(shapely.union_all([by_code[c] for c in members if c in by_code]), speck))
        for region, members in regions
    )
    return Shapes(tuple((c, _rings(by_code[c], speck)) for c in chosen), outlines, (x0, y0, x1, y1))


def _rings(geometry, speck: float) -> tuple[tuple[tuple[float, float], ...], ...]:
    """A polygonal geometry's rings (exterior, then holes, per part), leaving out parts and holes
    smaller than `speck` (too small to see), though never an area's largest part."""
    import shapely

    parts = sorted(shapely.get_parts(geometry), key=lambda p: -p.area)
    rings = []
    for number, part in enumerate(parts):
        if part.is_empty or (number and part.area < speck):
            continue
        for ring in (part.exterior, *part.interiors):
            if ring is part.exterior or shapely.Polygon(ring).area >= speck:
                rings.append(tuple((round(x, 5), round(y, 5)) for x, y in ring.coords))
    return tuple(rings)
