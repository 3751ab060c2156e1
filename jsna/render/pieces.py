"""The HTML pieces of a site, as a build's targets make them (jsna/build/pipeline.py): each
function takes the `Context` (the site, the templates, the print stylesheet, the dates) and the
results of what it needs, and renders with jsna/render/html.py, compendium.py and pages.py."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from jsna.compute.views import ChapterView
from jsna.model import Site
from jsna.render.compendium import (
    chapter_numbering,
    print_page,
    render_compendium_front,
    render_compendium_part,
    render_page_numbers,
)

if TYPE_CHECKING:
    import jinja2

    from jsna.render.html import PdfInfo

# Where a chapter page gives its PDF's size and pages: the page is rendered before its PDF is
# made, and this is replaced once it is (`with_pdf_label`). Text from the inputs is escaped, so
# it cannot hold this mark.
PDF_LABEL = Markup("<jsna-pdf-label/>")


@dataclass(frozen=True)
class Context:
    """What every HTML piece is rendered with: the site; the templates' folders (compiled into
    `compiled`, if given); what every template is given, `build_date` (the day a chapter's next
    review is judged against) and `attribution` (who published the data files, for every
    footer); the print stylesheet; `edition` (SOURCE_DATE_EPOCH's date, if set); whether PDFs
    are made. Its Jinja2 environment (`env`) is made when first rendered with, so that a build
    with a chart to draw has started its chart worker before importing Jinja2 and Markdown."""

    site: Site
    templates: tuple[Path, ...]
    compiled: Path | None
    build_date: str
    attribution: str
    pdf_css: str
    edition: dt.date | None
    pdf: bool

    @functools.cached_property
    def env(self) -> jinja2.Environment:
        from jsna.render.html import environment

        env = environment(self.templates, self.compiled)
        env.globals["build_date"] = self.build_date
        env.globals["data_attribution"] = self.attribution
        return env


class _Pending:
    """A PDF still to be made, as a page's downloads box shows it."""

    label = PDF_LABEL


def chapter_content(context: Context, view: ChapterView) -> dict:
    """Everything a chapter's page and print versions show (its Markdown rendered)."""
    from jsna.render.html import chapter_page

    return chapter_page(context.env, context.site, view)


def chapter_html(context: Context, content: dict) -> str:
    """The chapter's web page; where PDFs are made, with `PDF_LABEL` for its PDF's size."""
    from jsna.render.html import render_chapter

    return render_chapter(context.env, context.site, content, _Pending() if context.pdf else None)


def pdf_info(pdf: tuple) -> PdfInfo:
    """What a page says of a PDF download (its size and pages), from the rendered PDF."""
    from jsna.render.html import PdfInfo

    return PdfInfo(len(pdf[0]), pdf[1])


def with_pdf_label(page: str, info: PdfInfo) -> bytes:
    """The page as published: its PDF's size and pages in place of `PDF_LABEL`."""
    return page.replace(PDF_LABEL, info.label).encode("utf-8")


def print_html(context: Context, content: dict) -> str:
    """The HTML WeasyPrint turns into the chapter's own PDF."""
    from jsna.render.html import render_chapter_print

    page = print_page(context.site, content, context.edition)
    return render_chapter_print(context.env, context.site, page, context.pdf_css)


def part_html(context: Context, content: dict) -> str:
    """The HTML of the chapter's part of the compendium."""
    return render_compendium_part(context.env, context.site, content, context.pdf_css, context.edition)


def front_html(context: Context, *parts_then_contents: tuple) -> str:
    """The compendium's title page and contents: the parts (each with its page count and its
    anchors' pages) in the compendium's order, then what the contents needs of each chapter
    (compendium.py: `contents_page`) in that order."""
    half = len(parts_then_contents) // 2
    parts, pages = parts_then_contents[:half], parts_then_contents[half:]
    anchor_pages, _ = chapter_numbering([(part[1], part[2]) for part in parts])
    return render_compendium_front(context.env, context.site, list(pages), context.pdf_css, context.edition, anchor_pages)


def numbers_html(context: Context, roman: bool, *made: tuple) -> str:
    """Blank pages numbered for the compendium: as many as the PDFs `made` have (the front,
    `roman`; or the chapters' parts)."""
    pages = sum(pdf[1] for pdf in made)
    return render_page_numbers(context.env, context.site, context.pdf_css, pages, roman=roman)


def index_html(context: Context, slugs: tuple[str, ...], *infos: PdfInfo) -> bytes:
    """The index page: `infos` tell of the chapters' PDFs (for `slugs`), then the compendium's, if made."""
    from jsna.render.html import render_index

    compendium = infos[-1] if len(infos) > len(slugs) else None
    return render_index(context.env, context.site, dict(zip(slugs, infos)), compendium).encode("utf-8")


def other_pages(context: Context) -> dict[str, bytes]:
    """The accessibility statement, search page, 404 page and sitemap."""
    from jsna.render.pages import render_pages

    return render_pages(context.env, context.site)
