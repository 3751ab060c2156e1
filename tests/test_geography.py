"""The boundary file of the maps (jsna/load/geography.py): read from the ONS's published GeoJSON
(the project's copy of ../shared/data/geography/), its problems reported at their line and
column, and its areas simplified with their shared borders kept shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jsna.errors import JsnaError, Position
from jsna.load import geography

ROOT = Path(__file__).resolve().parent.parent
NAME = "geography/counties-and-unitary-authorities-2023-england.geojson"
PUBLISHED = ROOT / "data" / NAME
YAML = Position("jsna.yaml", 3, 13)


def _project(tmp_path: Path, text: str) -> Path:
    (tmp_path / "data" / "geography").mkdir(parents=True)
    (tmp_path / "data" / NAME).write_text(text, encoding="utf-8")
    return tmp_path


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(JsnaError) as caught:
        geography.load_boundaries(_project(tmp_path, text), NAME, "", YAML)
    return str(caught.value)


def test_the_published_file_has_every_county_and_unitary_authority():
    boundaries = geography.load_boundaries(ROOT, NAME, "", YAML)
    codes = [code for code, _ in boundaries.areas]
    assert len(codes) == len(set(codes)) == len(json.loads(PUBLISHED.read_text())["features"])
    assert all(code[:3] in ("E06", "E08", "E09", "E10") for code in codes)
    assert boundaries.name("E06000055") == "Bedford"


def test_a_file_that_is_not_json_is_reported_at_its_line_and_column(tmp_path):
    message = _error(tmp_path, '{"type": "FeatureCollection",\n  "features": [}\n')
    assert message.startswith(f"data/{NAME}:2:16: expected GeoJSON (JSON text), found ")


def test_json_that_is_not_a_feature_collection_is_reported(tmp_path):
    message = _error(tmp_path, '{"type": "Topology"}')
    assert message == f"data/{NAME}:1:1: expected a GeoJSON FeatureCollection with a list of features, found 'Topology'"


def test_a_feature_without_a_code_is_reported_where_it_starts(tmp_path):
    doc = json.loads(PUBLISHED.read_text())
    features = doc["features"][:3]
    del features[2]["properties"]["code"]
    lines = ['{"type": "FeatureCollection", "features": ['] + [
        "  " + json.dumps(f) + ("," if n < len(features) - 1 else "") for n, f in enumerate(features)] + ["]}"]
    message = _error(tmp_path, "\n".join(lines))
    assert message == (f"data/{NAME}:4:3: expected a `code` property (the area's ONS code, such as E06000055), "
                       "found none (feature 3)")


@pytest.mark.parametrize("change, expected", [
    (lambda f: f["geometry"].update(type="Point", coordinates=[0, 51]), "expected a Polygon or MultiPolygon geometry for"),
    (lambda f: f["geometry"].update(coordinates=[[[[0, 51], [1, 51]]]]), "expected rings of at least four"),
])
def test_a_feature_that_is_not_a_polygon_is_reported(tmp_path, change, expected):
    doc = json.loads(PUBLISHED.read_text())
    change(doc["features"][1])
    message = _error(tmp_path, json.dumps(doc))
    assert message.startswith(f"data/{NAME}:1:") and expected in message and message.endswith("(feature 2)")


def test_a_missing_file_is_reported_where_jsna_yaml_names_it(tmp_path):
    with pytest.raises(JsnaError) as caught:
        geography.load_boundaries(tmp_path, "geography/none.geojson", "", YAML)
    assert str(caught.value).startswith("jsna.yaml:3:13: expected boundaries to name a GeoJSON file in data/")


def test_simplified_areas_keep_their_shared_borders_shared():
    """Each border is simplified once: neighbours still meet exactly (no gap, no overlap beyond
    what the published file's rounding already had), and a region's outline is its areas'."""
    import shapely

    codes = tuple(code for code, _ in geography.load_boundaries(ROOT, NAME, "", YAML).areas)
    north_east = ("E06000001", "E06000002", "E06000003", "E06000004", "E06000005", "E06000047", "E06000057",
                  "E08000021", "E08000022", "E08000023", "E08000024", "E08000037")
    shapes = geography.shapes(ROOT, NAME, codes, (("E12000001", north_east),), (4.4, 5.4))
    polygons = {code: shapely.MultiPolygon([shapely.Polygon(r) for r in rings]) for code, rings in shapes.areas}
    assert set(polygons) == set(codes)
    published = sum(len(ring) for code, rings in shapes.areas for ring in rings)
    original = sum(shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"]))
                   for f in json.loads(PUBLISHED.read_text())["features"])
    assert published < original / 3  # simplified to the drawn size
    # Hartlepool and Stockton-on-Tees share a border: it is the same line in both.
    shared = polygons["E06000001"].boundary.intersection(polygons["E06000004"].boundary)
    assert shared.length > 0.02
    assert polygons["E06000001"].intersection(polygons["E06000004"]).area < 1e-6
    # The region's outline is the union of its areas (but for specks too small to draw).
    region = shapely.MultiPolygon([shapely.Polygon(r) for r in shapes.regions[0][1]])
    union = shapely.union_all([polygons[c] for c in north_east])
    assert region.symmetric_difference(union).area < 1e-4 < union.area / 1000


def test_a_byte_order_mark_is_read_past_and_a_code_that_is_not_text_is_reported(tmp_path):
    doc = json.loads(PUBLISHED.read_text())
    root = _project(tmp_path, "\ufeff" + json.dumps(doc))
    assert len(geography.load_boundaries(root, NAME, "", YAML).areas) == len(doc["features"])
    doc["features"][0]["properties"]["code"] = 6000001
    message = _error(tmp_path / "number", json.dumps(doc))
    assert message == f"data/{NAME}:1:44: expected a `code` property (the area's ONS code, such as E06000055), found 6000001 (feature 1)"
