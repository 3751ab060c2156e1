"""Safety of what a project's inputs can do: links and images, templates in the sandbox, files
and links outside the project, and the good inputs that must still be accepted. Positions of
bad inputs are covered case by case in tests/bad_inputs/ (test_bad_inputs_corpus.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CHAPTER, CONFIG, INDICATORS, OTHER, write_project
from test_bad_input import assert_rejected, at, built, edit, run_build, snapshot  # noqa: F401 (fixture)
from jsna.errors import JsnaError, JsnaErrors, Position
from jsna.model import Text
from jsna.render.html import render_blocks

CIN = "chapters/children-in-need.md"
SECRET = "TOP-SECRET-CONTENT"


def page(project: Path, slug: str = "children-in-need") -> str:
    return (project / "site" / slug / "index.html").read_text(encoding="utf-8")


def outside(project: Path, name: str, text: str) -> Path:
    """A file beside the project (not in it), holding text."""
    path = project.parent / name
    path.write_text(text, encoding="utf-8")
    return path


# Links and raw HTML ----------------------------------------------------------------------------


def test_raw_html_in_a_chapter_is_shown_as_text(project, capsys):
    text = edit(CHAPTER, "Contacts fell.", "Contacts fell. <script>alert(1)</script> <img src=x onerror=alert(2)>")
    write_project(project, {CIN: text})
    status, err = run_build(project, capsys)
    assert status == 0, err
    html = page(project)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script>alert(1)" not in html and "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(2)&gt;", "")


@pytest.mark.parametrize(
    "markdown, tag",
    [
        ("[a](javascript:alert(1))", "<a>a</a>"),
        ("[a](&#106;avascript:alert(1))", "<a>a</a>"),
        ("[a](java\tscript:alert(1))", "<a>a</a>"),
        ("[a][r]\n\n[r]: JaVaScRiPt:alert(1)", "<a>a</a>"),
        ("![i](javascript:alert(1))", '<img alt="i">'),
        ("![i](https://evil.example/t.png)", '<img alt="i">'),
        ("![i](//evil.example/t.png)", '<img alt="i">'),
    ],
)
def test_rendering_drops_an_address_the_loader_would_refuse(markdown, tag):
    # The loader refuses these with their position; rendering never lets one through either.
    html = render_blocks([Text(markdown, Position(CIN, 1, 1))], {}, "intro", {}, 1, {})
    assert tag in html
    assert "script:" not in html.lower() and "evil" not in html


@pytest.mark.parametrize("fence", ["```", "~~~~", "```text"])
def test_a_fenced_block_that_is_no_figure_is_code_shown_as_it_is(project, capsys, fence):
    """A fenced block (not a figure) is code: its lines are shown as written, in a <pre>, and
    nothing in it is read as a heading, a link, HTML or a value (it once stopped the build on
    `{{ ... }}`, with no line to point at)."""
    closing = fence.rstrip("text")
    block = f"{fence}\n## Not a section\n{{{{ nope }}}} and <b>bold</b> and [x](javascript:alert(1))\n{closing}\n"
    text = edit(CHAPTER, "Contacts fell.", "Contacts fell.\n\n" + block)
    write_project(project, {CIN: text})
    status, err = run_build(project, capsys)
    assert status == 0, err
    html = page(project)
    code = html[html.index("<pre><code"):html.index("</code></pre>")]
    assert "## Not a section\n{{ nope }} and &lt;b&gt;bold&lt;/b&gt; and [x](javascript:alert(1))" in code
    assert "<h2>Not a section" not in html and "<b>bold" not in html and 'href="javascript' not in html


def test_an_unknown_value_outside_what_the_loader_reads_is_left_as_text():
    html = render_blocks([Text("Shown {{ as: written }} here", Position(CIN, 1, 1))], {}, "intro", {}, 1, {})
    assert "Shown {{ as: written }} here" in html


@pytest.mark.parametrize("definition, address", [("[l]: <javascript:alert(1)>", "<javascript"),
                                                 ("[l]: <JaVaScRiPt:alert(1)> \"A title\"", "<JaVaScRiPt")])
def test_a_reference_definition_in_angle_brackets_is_judged_by_its_address(project, built, capsys, definition, address):
    text = edit(CHAPTER, "Contacts fell.", f"Contacts fell, [l].\n\n{definition}")
    write_project(project, {CIN: text})
    assert_rejected(project, built, capsys, [(at(CIN, text, address), ["scheme 'javascript:'"])])


def test_links_and_images_that_are_allowed(project, capsys):
    (project / "chapters" / "pic.png").write_bytes(b"\x89PNG")
    text = edit(
        CHAPTER, "Contacts fell.",
        "Contacts fell: [site](https://example.org/a(b)) [mail](mailto:a@example.org) "
        "[phone](tel:+441234) [page](#x) [rel](notes/a.html) ![pic](pic.png) `[code](javascript:x)`",
    )
    write_project(project, {CIN: text})
    status, err = run_build(project, capsys)
    assert status == 0, err
    html = page(project)
    for href in ('href="https://example.org/a(b)"', 'href="mailto:a@example.org"', 'href="tel:+441234"', 'href="notes/a.html"', 'src="pic.png"'):
        assert href in html


# Templates ---------------------------------------------------------------------------------------


def test_a_template_cannot_run_a_command(project, built, capsys):
    marker = project.parent / "ran"
    template = f"<p>{{{{ page.title }}}}</p>\n{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n"
    write_project(project, {"templates/chapter.html": template})
    assert_rejected(project, built, capsys, [("templates/chapter.html:2: ", ["sandbox", "__init__"])])
    assert not marker.exists()


def test_the_built_in_templates_render_in_the_sandbox(project, capsys):
    status, err = run_build(project, capsys)
    assert status == 0, err
    assert "Children in need" in page(project) and (project / "site" / "index.html").is_file()


def test_a_template_linking_outside_the_project_is_not_read(project, built, capsys):
    (project / "templates").mkdir()
    os.symlink(outside(project, "evil.html", SECRET), project / "templates" / "chapter.html")
    lines = assert_rejected(project, built, capsys, [("templates/chapter.html: ", ["outside"])])
    assert SECRET not in "".join(lines)


# Files and links outside the project ---------------------------------------------------------------


@pytest.mark.parametrize("folder", [False, True], ids=["file", "folder"])
def test_a_chapter_linking_outside_the_project_is_refused_unread(project, built, capsys, folder):
    secret = "---\ntitle: " + SECRET + "\n: bad yaml: here\n---\n"
    target = outside(project, "secret.md", secret)
    if folder:
        (project.parent / "secret").mkdir()
        os.symlink(target, project.parent / "secret" / "index.md")
        os.symlink(project.parent / "secret", project / "chapters" / "leak")
        # The no-change check does not look into a linked folder: change a chapter too.
        (project / "chapters" / "other.md").write_text(OTHER + "\n", encoding="utf-8")
        name = "chapters/leak"
    else:
        os.symlink(target, project / "chapters" / "leak.md")
        name = "chapters/leak.md"
    lines = assert_rejected(project, built, capsys, [(f"{name}: ", ["outside"])])
    assert SECRET not in "".join(lines)


def test_a_link_inside_a_chapter_folder_leaving_the_project(project, built, capsys):
    (project / "chapters" / "leak").mkdir()
    os.symlink(outside(project, "secret.md", SECRET), project / "chapters" / "leak" / "index.md")
    lines = assert_rejected(project, built, capsys, [("chapters/leak/index.md: ", ["outside"])])
    assert SECRET not in "".join(lines)


@pytest.mark.parametrize("absolute", [False, True], ids=["parent", "absolute"])
def test_a_logo_outside_the_project_is_refused(project, built, capsys, absolute):
    logo = outside(project, "outside-logo.svg", "<svg/>")
    name = str(logo) if absolute else "../outside-logo.svg"
    config = CONFIG + f"logo: {name}\n"
    write_project(project, {"jsna.yaml": config})
    assert_rejected(project, built, capsys, [(at("jsna.yaml", config, name), ["a path inside the project"])])


def test_a_logo_linking_outside_the_project(project, built, capsys):
    (project / "assets").mkdir()
    os.symlink(outside(project, "logo.svg", "<svg/>"), project / "assets" / "logo.svg")
    config = CONFIG + "logo: assets/logo.svg\n"
    write_project(project, {"jsna.yaml": config})
    assert_rejected(project, built, capsys, [(at("jsna.yaml", config, "assets/logo.svg"), ["outside"])])


def test_an_image_through_a_link_leaving_the_project(project, built, capsys):
    os.symlink(project.parent, project / "chapters" / "up")
    text = edit(CHAPTER, "Contacts fell.", "Contacts fell ![i](up/pic.png).")
    write_project(project, {CIN: text})
    assert_rejected(project, built, capsys, [(at(CIN, text, "up/pic.png"), ["leaving the project"])])


def test_a_logo_inside_the_project_is_copied(project, capsys):
    (project / "assets").mkdir()
    (project / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    write_project(project, {"jsna.yaml": CONFIG + "logo: assets/logo.svg\n"})
    status, err = run_build(project, capsys)
    assert status == 0, err
    assert (project / "site" / "assets" / "logo.svg").is_file()


# YAML ----------------------------------------------------------------------------------------------


def test_a_merge_key_and_an_alias_share_fields_between_indicators(project, capsys):
    text = edit(INDICATORS, "    source:\n      publisher: Test Council", "    source: &src\n      publisher: Test Council")
    text = edit(text, "    source:\n      publisher: Department for Education\n      dataset: Characteristics of children in need\n", "    source: *src\n")
    text = edit(text, "    per: 10000\n", "    <<: {per: 10000}\n")
    write_project(project, {"indicators.yaml": text})
    status, err = run_build(project, capsys)
    assert status == 0, err
    assert "Characteristics of children in need" not in page(project) and "Test returns" in page(project)


def test_an_anchor_error_shared_by_many_items_is_one_line():
    error = JsnaError(Position("indicators.yaml", 8, 7), "expected the required field 'dataset', found it missing")
    again = JsnaError(Position("indicators.yaml", 8, 7), "the same place, said of another indicator")
    other = JsnaError(Position("indicators.yaml", 30, 7), "another place")
    assert JsnaErrors([error, again, other, again]).errors == [error, other]


def test_an_error_repeating_a_control_character_stays_on_one_line():
    error = JsnaError(Position("jsna.yaml", 1, 8), "found 'a\nb\x1b[2J'")
    assert str(error) == "jsna.yaml:1:8: found 'a\\nb\\x1b[2J'"


# Dates and values ----------------------------------------------------------------------------------


def test_next_review_on_the_day_last_updated_is_accepted(project, capsys):
    write_project(project, {CIN: edit(CHAPTER, "next_review: 2016-02-01", "next_review: 2015-02-01")})
    status, err = run_build(project, capsys)
    assert status == 0, err


def test_a_percentage_numerator_above_its_denominator(project, built, capsys):
    text = edit(INDICATORS, "    measure: count\n", "    measure: percentage\n")
    text = edit(text, "{value: 8197, derived", "{value: null, numerator: 51, denominator: 50, derived")
    text = edit(text, "      2013-14: 7541\n", "      2013-14: 75.4\n")
    write_project(project, {"indicators.yaml": text})
    assert_rejected(project, built, capsys, [(at("indicators.yaml", text, "numerator: 51", "51"), ["no greater than the denominator", "51 of 50"])])


def test_a_chapter_with_a_byte_order_mark_and_windows_line_ends_builds(project, capsys):
    (project / CIN).write_bytes(b"\xef\xbb\xbf" + CHAPTER.replace("\n", "\r\n").encode("utf-8"))
    (project / "jsna.yaml").write_bytes(b"\xef\xbb\xbf" + CONFIG.replace("\n", "\r\n").encode("utf-8"))
    status, err = run_build(project, capsys)
    assert status == 0, err
    assert "Contacts fell." in page(project)


def test_a_billion_laughs_is_refused_quickly(project, built, capsys):
    levels = "".join(f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 30))
    config = CONFIG + "layouts:\n  l0: &l0 [lol]\n" + levels
    write_project(project, {"jsna.yaml": config})
    assert_rejected(project, built, capsys, [(at("jsna.yaml", config, "[lol]", "lol"), ["a section as a mapping"])])
