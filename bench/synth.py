"""Generate a synthetic JSNA of N chapters with 12 figures each, for benchmarks only.

Every title, value and sentence is made up and says so: this corpus is never shipped as content.
Usage: python bench/synth.py OUT_DIR N
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

CHART_TYPES = ("line", "bar", "grouped-bar", "line", "bar", "grouped-bar")
PERIODS = ("2011-12", "2012-13", "2013-14", "2014-15", "2015-16", "2016-17")
SECTIONS = (
    "What are the key issues?",
    "Who is at risk and why?",
    "What is the level of need?",
    "What services are currently provided?",
    "What is the projected level of need?",
    "What are the key inequalities?",
)
WORDS = (
    "synthetic benchmark text describing made-up services needs outcomes families children "
    "partners review evidence local support early help demand trend pressure capacity"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 18))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(4))


def write_corpus(out: Path, chapters: int) -> None:
    rng = random.Random(1234)
    (out / "chapters").mkdir(parents=True, exist_ok=True)
    (out / "jsna.yaml").write_text(
        "title: Synthetic JSNA (benchmark only)\n"
        "organisation: Synthetic benchmark data, not real\n"
        "area: Synthetic area\n"
        "comparators:\n  england: England (synthetic)\n  region: Region (synthetic)\n",
        encoding="utf-8",
    )
    indicators = ["indicators:"]
    for c in range(chapters):
        body = []
        for f in range(12):
            ident = f"c{c:03d}-i{f:02d}"
            base = rng.uniform(50, 500)
            indicators.append(
                f"  - id: {ident}\n"
                f"    title: Synthetic indicator {c}.{f}\n"
                f"    definition: A made-up rate for benchmarking, not real data.\n"
                f"    measure: rate\n    per: 10000\n    unit: children aged 0-17\n"
                f"    polarity: lower-is-better\n"
                f"    source: {{publisher: jsna benchmark, dataset: synthetic data}}\n"
                f"    values:\n"
                + "".join(
                    f"      {p}: {{value: {n / 3:.1f}, numerator: {n}, denominator: 30000}}\n"
                    for p, n in ((p, int(base * (1 + 0.05 * i) * 3)) for i, p in enumerate(PERIODS))
                )
                + "    comparators:\n"
                + "      england: {" + ", ".join(f"{p}: {base * 0.9:.1f}" for p in PERIODS) + "}\n"
                + "      region: {" + ", ".join(f"{p}: {base * 1.1:.1f}" for p in PERIODS) + "}\n"
            )
            body.append(
                f"{_paragraph(rng)} The latest value is {{{{ {ident} }}}}, {{{{ {ident}: change }}}}.\n\n"
                f"```figure\nindicator: {ident}\ntype: {CHART_TYPES[f % len(CHART_TYPES)]}\n```\n"
            )
        sections = []
        for s, title in enumerate(SECTIONS):
            figures = body[s * 2 : s * 2 + 2]
            sections.append(f"## {title}\n\n{_paragraph(rng)}\n\n" + "\n".join(figures))
        (out / "chapters" / f"chapter-{c:03d}.md").write_text(
            "---\n"
            f"title: Synthetic chapter {c}\n"
            "summary: Made-up chapter for benchmarking jsna; not real data.\n"
            f"theme: Synthetic theme {c % 5}\n"
            "last_updated: 2016-04-01\n"
            "---\n"
            "This chapter is synthetic benchmark content.\n\n" + "\n".join(sections),
            encoding="utf-8",
        )
    (out / "indicators.yaml").write_text("\n".join(indicators), encoding="utf-8")


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]), int(sys.argv[2]))
