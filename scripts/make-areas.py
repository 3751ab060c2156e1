"""Write jsna/scaffold/areas.csv, what `jsna new --area-code` fills in, from the published files
in ../shared/data (read as they are): each English county and unitary authority's code and name
(ONS boundaries, December 2023) and its children in need at 31 March 2021 to 2025 (DfE, table
b1, At31_episodes; 'c', 'x', 'z' kept as published). Both under the Open Government Licence v3.0.

    python scripts/make-areas.py [DATA_FOLDER]
"""

import csv
import json
import sys
from pathlib import Path

YEARS = ("2021", "2022", "2023", "2024", "2025")


def main(data: Path) -> None:
    places = json.loads((data / "geography/counties-and-unitary-authorities-2023-england.geojson").read_text())
    names = {f["properties"]["code"]: f["properties"]["name"] for f in places["features"]}
    counts: dict[tuple[str, str], str] = {}
    with open(data / "dfe/b1_children_in_need_2013_to_2025.csv", newline="", encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            if row["geographic_level"] == "Local authority" and row["time_period"] in YEARS:
                counts[(row["new_la_code"], row["time_period"])] = row["At31_episodes"].strip()
    out = Path(__file__).resolve().parent.parent / "jsna/scaffold/areas.csv"
    with open(out, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["code", "name", *YEARS])
        for code in sorted(names):
            writer.writerow([code, names[code], *(counts.get((code, year), "") for year in YEARS)])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/data")
