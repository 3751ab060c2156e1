"""The scheduler with fake make functions: order, workers, the store, errors."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from jsna.build.scheduler import Scheduler
from jsna.build.store import Store
from jsna.build.targets import HERE, PACKED, TEXT, Target
from jsna.errors import JsnaError

CALLS: list[str] = []


@pytest.fixture(autouse=True)
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    CALLS.clear()


def word(text: str) -> str:
    CALLS.append(text)
    return text


def join(separator: str, *parts: str) -> str:
    CALLS.append("join:" + separator.join(parts))
    return separator.join(parts)


def fail(message: str) -> str:
    raise ValueError(message)


def double(text: str) -> tuple[bytes, bytes]:
    return (text.encode(), text.encode() * 2)


def first_text(pair: tuple[bytes, bytes]) -> str:
    return pair[0].decode()


def more(text: str) -> list[Target]:
    return [Target(f"more:{letter}", word, (letter,), (letter,), keep=TEXT) for letter in text]


def _chain() -> list[Target]:
    return [
        Target("c", join, ("+",), needs=("a", "b"), keep=TEXT),
        Target("a", word, ("A",), ("A",), keep=TEXT),
        Target("b", word, ("B",), ("B",), keep=TEXT),
    ]


def test_needs_are_made_first_and_passed_in_order(tmp_path):
    results = Scheduler(Store(tmp_path / "s"), {}).run(_chain())
    assert results["c"] == "A+B"
    assert CALLS == ["A", "B", "join:A+B"]


def test_lower_order_first_and_the_missing_before_the_kept(tmp_path):
    store = Store(tmp_path / "s")
    Scheduler(store, {}).run([Target("kept", word, ("K",), ("K",), keep=TEXT)])
    CALLS.clear()
    seen: list[str] = []
    targets = [
        Target("kept", word, ("K",), ("K",), keep=TEXT),
        Target("late", word, ("L",), ("L",), keep=TEXT, order=2),
        Target("missing", word, ("M",), ("M",), keep=TEXT),
    ]
    scheduler = Scheduler(store, {}, done=lambda target, result, made: seen.append(target.name))
    scheduler.run(targets)
    assert seen == ["missing", "kept", "late"]
    assert CALLS == ["M", "L"], "the kept one is read, not made"


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_one_worker_gives_what_two_give(tmp_path, pool):
    targets = [Target(f"t{n}", double, (str(n),), (str(n),), where="w", keep=PACKED) for n in range(6)]
    targets.append(Target("all", join, ("",), needs=("t0-text", "t5-text")))
    targets += [Target(f"t{n}-text", first_text, needs=(f"t{n}",)) for n in (0, 5)]
    here = Scheduler(Store(tmp_path / "one"), {}).run(targets)
    two = Scheduler(Store(tmp_path / "two"), {"w": lambda count: (pool(max_workers=2), 2)}).run(targets)
    assert here == two
    assert two["t3"] == (b"3", b"33")


def test_a_lost_or_damaged_entry_is_made_again(tmp_path):
    store = Store(tmp_path / "s")
    Scheduler(store, {}).run(_chain())
    entries = sorted(p for p in (tmp_path / "s").rglob("*") if p.is_file())
    entries[0].write_bytes(entries[0].read_bytes()[:-1])
    entries[1].unlink()
    CALLS.clear()
    assert Scheduler(store, {}).run(_chain())["c"] == "A+B"
    assert len(CALLS) == 2, "the damaged and the lost entries are made again, the third is read"


@pytest.mark.parametrize("pools", [{}, {"w": lambda count: (ThreadPoolExecutor(max_workers=2), 2)}])
def test_an_error_names_the_target(tmp_path, pools):
    targets = [Target("chart:chapter/figure-2.svg", fail, ("no such axis",), where="w")]
    with pytest.raises(JsnaError) as caught:
        Scheduler(Store(tmp_path / "s"), pools).run(targets)
    assert str(caught.value) == (
        "chart:chapter/figure-2.svg: expected to make chart:chapter/figure-2.svg, found ValueError: no such axis"
    )


def test_a_need_no_target_declares_is_an_error(tmp_path):
    with pytest.raises(JsnaError, match="needs nowhere, which no target declared"):
        Scheduler(None, {}).run([Target("page", join, ("",), needs=("nowhere",))])


def test_lazy_targets_are_made_only_for_a_target_being_made(tmp_path):
    store = Store(tmp_path / "s")
    targets = [
        Target("html", word, ("H",), ("H",), lazy=True),
        Target("pdf", join, ("",), ("v1",), needs=("html",), keep=TEXT),
    ]
    Scheduler(store, {}).run(targets)
    assert CALLS == ["H", "join:H"]
    CALLS.clear()
    Scheduler(store, {}).run(targets)
    assert CALLS == [], "the PDF is kept: its HTML is not made"


def test_a_target_keyed_by_content_is_reused_when_its_needs_come_out_the_same(tmp_path):
    store = Store(tmp_path / "s")

    def targets(setting: str) -> list[Target]:
        return [
            Target("html", word, ("same",), (setting,), lazy=True),
            Target("pdf", join, ("",), needs=("html",), keep=TEXT, by_content=True),
        ]

    Scheduler(store, {}).run(targets("one"))
    CALLS.clear()
    Scheduler(store, {}).run(targets("two"))
    assert CALLS == ["same"], "the HTML is made again; it came out the same, so the PDF is read"


def test_a_result_declares_more_targets(tmp_path):
    results = Scheduler(Store(tmp_path / "s"), {}).run([Target("view", word, ("xy",), ("xy",), keep=TEXT, then=more)])
    assert results["more:x"] == "x" and results["more:y"] == "y"


def test_an_equivalent_kept_target_serves_instead(tmp_path):
    store = Store(tmp_path / "s")
    both = Target("chart", double, ("c",), ("c", "with PDF"), keep=PACKED)
    Scheduler(store, {}).run([both])
    alone = Target("chart", word, ("c",), ("c", "alone"), keep=PACKED, instead=both)
    assert Scheduler(store, {}).run([alone])["chart"] == (b"c", b"cc")
    assert CALLS == []


def test_pools_are_made_only_when_there_is_work_for_them(tmp_path):
    made = []

    def factory(count):
        made.append(count)
        return ThreadPoolExecutor(max_workers=1), 1

    store = Store(tmp_path / "s")
    targets = [Target(f"t{n}", double, (str(n),), (str(n),), where="w", keep=PACKED) for n in range(3)]
    Scheduler(store, {"w": factory}).run(targets)
    Scheduler(store, {"w": factory}).run(targets)
    assert made == [3], "one pool, sized for the three targets missing; none when all are kept"


def drawn(text: str) -> list[Target]:
    """A view's result declares a target for a pool and some to make here."""
    return [Target(f"chart-{text}", word, ("chart",), (text,), where="w", keep=TEXT)] + [
        Target(f"page{n}-{text}", word, (f"page-{text}",), (f"page{n}-{text}",), keep=TEXT) for n in range(2)]


def test_a_pool_is_made_as_soon_as_the_views_declaring_its_work_are_made(tmp_path):
    def factory(count):
        CALLS.append(f"pool for {count}")
        return ThreadPoolExecutor(max_workers=1), 1

    views = [Target(f"view{n}", word, (f"view{n}",), (f"view{n}",), keep=TEXT, then=drawn) for n in range(2)]
    Scheduler(Store(tmp_path / "s"), {"w": factory}).run(views)
    made_here = [c for c in CALLS if c != "chart"]
    assert made_here[:3] == ["view0", "view1", "pool for 2"], (
        "the pool starts once both views are made (sized for both charts) and before the pages "
        f"made here, so that its workers import while those are made: {CALLS}")


def page_of(view: str) -> list[Target]:
    return [
        Target("content", word, (), needs=("view",), lazy=True),
        Target("page", join, ("",), ("page",), needs=("content",), keep=TEXT),
    ]


def test_a_damaged_target_and_what_its_result_declares_are_made_again(tmp_path):
    store = Store(tmp_path / "s")
    targets = [Target("view", word, ("V",), ("V",), keep=TEXT, then=page_of)]
    Scheduler(store, {}).run(targets)
    for path in (p for p in (tmp_path / "s").rglob("*") if p.is_file()):
        path.write_bytes(b"damaged")
    CALLS.clear()
    assert Scheduler(store, {}).run(targets)["page"] == "V"
    assert CALLS == ["V", "V", "join:V"]


def test_a_failure_while_building_names_the_piece_in_one_line_and_keeps_the_site(project, monkeypatch, capsys):
    """End to end: a chart that cannot be drawn is named, in one line, exit 1; the site stays."""
    import jsna.draw.charts
    from jsna.cli import main

    out = project / "site"
    args = ["build", "--project", str(project), "--out", str(out), "--no-pdf", "-q", "--workers", "1"]
    assert main(args) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (project / "chapters" / "children-in-need.md").write_text(
        (project / "chapters" / "children-in-need.md").read_text().replace("Contacts fell.", "Contacts went down."))
    (project / "indicators.yaml").write_text((project / "indicators.yaml").read_text().replace("7541", "7542"))

    def broken(spec, small=False, pdf=False, shapes=None):
        raise RuntimeError("the font cache is unreadable")

    monkeypatch.setattr(jsna.draw.charts, "draw", broken)
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["chart:children-in-need/figure-1.svg: expected to make chart:children-in-need/figure-1.svg, "
                   "found RuntimeError: the font cache is unreadable"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


class CountingStore(Store):
    """A store that counts the entries read from it."""

    reads = 0

    def get(self, key):
        CountingStore.reads += 1
        return super().get(key)


def test_a_kept_target_nothing_made_needs_is_not_read_when_its_files_are_in_place(tmp_path):
    store = CountingStore(tmp_path / "s")
    files = lambda text: {f"{text}.txt": text.encode()}  # noqa: E731
    targets = [Target(f"t{n}", word, (f"w{n}",), (f"w{n}",), keep=TEXT, writes=files) for n in range(3)]
    targets.append(Target("joined", join, ("+",), ("+",), needs=("t0",)))  # made each time: needs t0
    Scheduler(store, {}).run(targets)
    asked = []

    def reuse(target, key):
        asked.append(target.name)
        return target.name != "t2"

    CountingStore.reads = 0
    results = Scheduler(store, {}, reuse=reuse).run(targets)
    assert sorted(asked) == ["t1", "t2"], "t0 is read for the target made from it; the others are asked about"
    assert CountingStore.reads == 2 and "t1" not in results and results["t2"] == "w2"


def sleepy(text: str) -> str:
    time.sleep(0.3)
    return text


def test_a_kept_target_settled_unread_is_read_when_a_target_made_later_needs_it(tmp_path):
    # "late" is keyed by "front"'s key, and "front" by what "slow" comes out as, so "late" is
    # decided only once "slow" is made in its pool: by then "kept" was settled without a read.
    store = Store(tmp_path / "s")
    files = lambda text: {f"{text}.txt": text.encode()}  # noqa: E731

    def site(slow: str) -> list[Target]:
        return [
            Target("kept", word, ("k",), ("k",), keep=TEXT, writes=files),
            Target("slow", sleepy, (slow,), (slow,), where="w", keep=TEXT),
            Target("front", join, ("-",), needs=("slow",), by_content=True, keep=TEXT),
            Target("late", join, ("+",), needs=("front", "kept")),
        ]

    Scheduler(store, {}).run(site("s"))
    pool = lambda jobs: (ThreadPoolExecutor(max_workers=1), 1)  # noqa: E731
    results = Scheduler(store, {"w": pool}, reuse=lambda target, key: True).run(site("s2"))
    assert results["late"] == "s2+k"


def _using(hint: str) -> list[Target]:
    return [
        Target("t", join, ("+",), ("t",), needs=("a",), uses=("hint",), keep=TEXT),
        Target("a", word, ("A",), ("A",), keep=TEXT),
        Target("hint", word, (hint,), (hint,), lazy=True),
    ]


def test_what_a_target_uses_is_made_for_it_passed_after_its_needs_and_in_no_key(tmp_path):
    # `uses` is for a result that only lets a target be made sooner (a PDF laid out ahead of its
    # charts): it is waited for and passed like a need, but a target's key does not cover it.
    store = Store(tmp_path / "s")
    first = Scheduler(store, {})
    assert first.run(_using("H1"))["t"] == "A+H1"
    assert CALLS == ["A", "H1", "join:A+H1"]
    CALLS.clear()
    second = Scheduler(store, {})
    results = second.run(_using("H2"))
    assert second.keys["t"] == first.keys["t"] and results["t"] == "A+H1", "kept under the same key"
    assert CALLS == [], "what only a kept target uses is not made"


def test_a_pool_is_sized_without_the_lazy_targets_made_there(tmp_path):
    sizes: list[int] = []

    def pool(jobs: int):
        sizes.append(jobs)
        return ThreadPoolExecutor(1), 1

    targets = [
        Target("t", join, ("+",), ("t",), needs=("a",), uses=("hint",), keep=TEXT, where="pool"),
        Target("a", word, ("A",), ("A",), keep=TEXT),
        Target("hint", word, ("H",), ("H",), lazy=True, where="pool"),
    ]
    assert Scheduler(Store(tmp_path / "s"), {"pool": pool}).run(targets)["t"] == "A+H"
    assert sizes == [1], "one worker: the lazy target goes before the one that uses it"



RUNNING: list[str] = []
PEAK: list[int] = [0]


def held(text: str, *_needs: str) -> str:
    """A job that takes a while, noting when it starts and how many run at once."""
    CALLS.append(text)
    RUNNING.append(text)
    PEAK[0] = max(PEAK[0], len(RUNNING))
    time.sleep(0.03)
    RUNNING.remove(text)
    return text


def _shared_places() -> list[Target]:
    """Six charts ready at once, and a PDF ready once a page is made here, sooner in order."""
    return [Target(f"chart{n}", held, (f"chart{n}",), (f"c{n}",), where="charts", order=3) for n in range(6)] + [
        Target("page", word, ("page",), ("page",)),
        Target("pdf", held, ("pdf",), ("pdf",), needs=("page",), where="pdfs", order=1),
    ]


@pytest.mark.parametrize("slots", [0, 2])
def test_places_sharing_slots_run_no_more_targets_at_once_and_the_next_by_order(tmp_path, slots):
    RUNNING.clear()
    PEAK[0] = 0
    pools = {where: lambda jobs: (ThreadPoolExecutor(max_workers=2), 2) for where in ("charts", "pdfs")}
    shared = (frozenset({"charts", "pdfs"}), slots) if slots else (frozenset(), 0)
    Scheduler(Store(tmp_path / "s"), pools, slots=shared).run(_shared_places())
    started = [c for c in CALLS if c != "page"]
    if slots:
        assert PEAK[0] == 2, "the two pools' four workers never run more than the two slots between them"
        assert started.index("pdf") == 2, f"the PDF goes as soon as a slot is free, before the charts waiting: {started}"
    else:
        assert PEAK[0] == 3, "without slots the PDF runs beside both charts"
