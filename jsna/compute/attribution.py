"""Who published the data files a site reads, for the attribution in every page's footer, the
site's data sources page and each chapter's PDF. Made from the files the indicators read and
their sources (jsna.yaml's `data_sources`, else the reading indicators' own), never typed per page.
"""

from __future__ import annotations

from jsna.model import Config, DataSource, Indicator, file_sources
from jsna.records import record

UNKNOWN = "source not given (data_sources in jsna.yaml)"


@record
class DataFileSource:
    path: str  # data/dfe/b1.csv
    sources: tuple[str, ...]  # each source in words; (UNKNOWN,) where none is given
    urls: tuple[str, ...]
    licences: tuple[str, ...]
    indicators: tuple[str, ...]  # the titles of the indicators that read it


@record
class Attribution:
    files: tuple[DataFileSource, ...]
    publishers: tuple[str, ...]
    licences: tuple[str, ...]

    @property
    def line(self) -> str:
        """One sentence for a footer: 'Data from the Department for Education and ..., under
        the Open Government Licence v3.0.'"""
        if not self.files:
            return ""
        who = _joined(self.publishers) or "publishers not given"
        terms = f", under the {_joined(self.licences)}" if self.licences else ""
        return f"Data from {who}{terms}."


def _joined(words: tuple[str, ...]) -> str:
    return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1] if words else ""


def source_words(source: DataSource) -> str:
    return f"{source.publisher}, {source.dataset}"


def attribution(config: Config, indicators: tuple[Indicator, ...]) -> Attribution:
    """The data files `indicators` read, each with its sources, and all their publishers and
    licences, in the files' order."""
    found = file_sources(config, indicators)
    files = []
    for path, sources, readers in found:
        files.append(DataFileSource(
            path=path,
            sources=tuple(source_words(s) for s in sources) or (UNKNOWN,),
            urls=tuple(dict.fromkeys(s.url for s in sources if s.url)),
            licences=tuple(dict.fromkeys(s.licence for s in sources if s.licence)),
            indicators=tuple(dict.fromkeys(i.title for i in readers)),
        ))
    all_sources = [s for _, sources, _ in found for s in sources]
    return Attribution(
        files=tuple(files),
        publishers=tuple(dict.fromkeys(s.publisher for s in all_sources)),
        licences=tuple(dict.fromkeys(s.licence for s in all_sources if s.licence)),
    )
