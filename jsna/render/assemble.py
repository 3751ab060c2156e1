"""Put the compendium (site/jsna.pdf) together from PDFs rendered on their own: its front (title
page and contents), each chapter's part, and runs of pages holding only page numbers ("Page ii"
for the front's, "Page X of Y" for the chapters', which are numbered from 1 as a book's are).

With pikepdf (qpdf) the parts' pages are copied behind the front's, and what makes the whole one
accessible document is joined, not redrawn:

- one structure tree: the parts' elements become children of the front's /Document element, and
  each part's parent-tree keys (its pages' /StructParents, its links' /StructParent) are moved past
  the ones already taken;
- one outline: the parts' bookmarks follow one another at the top level;
- one set of named destinations, so that a link written as a `GOTO` address (to a heading in
  another part, from the contents or from a chapter) becomes a jump within the document;
- page numbers: each page of the numbers PDFs is laid over the same page as a form, marked as a
  pagination artifact, as WeasyPrint marks a running footer; and page labels (i, ii, ..., 1, 2,
  ...) make a viewer show the numbers printed on the pages.

The result is saved with a content-derived /ID, so the same pieces give the same bytes. pikepdf
is imported only here, only when a compendium is put together.
"""

from __future__ import annotations

import io

from jsna.render.compendium import GOTO


def assemble(front: bytes, parts: list[bytes], numbers: list[bytes]) -> tuple[bytes, int]:
    """The compendium's bytes and page count; `numbers`: the front's page numbers (at least as
    many pages as the front has; the first are used), then the chapters'."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    merged = _Merged(pikepdf.open(io.BytesIO(front)))
    book, front_pages = merged.book, len(merged.book.pages)
    # One PDF open at a time: an open part holds some 20 times its size in qpdf's objects, and
    # what is copied from it is copied at once (pikepdf's `Pdf.close`), so it may be closed then.
    for part in parts:
        with pikepdf.open(io.BytesIO(part)) as source:
            merged.append(source)
    merged.finish()
    with pikepdf.open(io.BytesIO(numbers[0])) as front_run, pikepdf.open(io.BytesIO(numbers[1])) as chapter_run:
        _stamp(book, list(front_run.pages)[:front_pages] + list(chapter_run.pages))
    book.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.r), front_pages, Dictionary(S=Name.D)]))
    out = io.BytesIO()
    book.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue(), len(book.pages)


class _Merged:
    """The front PDF with parts appended: their pages, structure elements (under the front's
    document element), parent-tree entries (renumbered after the book's), named destinations,
    element IDs and outline items, gathered as each part comes and written by `finish`."""

    def __init__(self, book):
        from pikepdf import Name

        self.book = book
        self.tree = book.Root.StructTreeRoot
        self.document = self.tree.K[0]
        self.nums = list(self.tree.ParentTree.Nums)
        self.next_key = _next_key(self.nums)
        self.names = _destinations(book.Root)
        self.ids = _flat_names(self.tree.get(Name.IDTree))
        self.outline = _top_outline(book.Root)

    def append(self, source) -> None:
        from pikepdf import Array, Name

        book, first, base = self.book, len(self.book.pages), self.next_key
        book.pages.extend(source.pages)
        source_tree = source.Root.StructTreeRoot
        kids = list(source_tree.K[0].K)
        for kid in kids:  # cut the link up to the part's own tree, so it is not copied along
            del kid.P
        for kid in kids:
            copied = book.copy_foreign(kid)
            copied.P = self.document
            self.document.K.append(copied)
        # The parent tree's entries copied in one go (qpdf copies only objects, so as one object).
        source_nums = list(book.copy_foreign(source.make_indirect(Array(source_tree.ParentTree.Nums))))
        for index in range(0, len(source_nums), 2):
            self.nums += [int(source_nums[index]) + base, source_nums[index + 1]]
        self.next_key = base + _next_key(source_nums)
        _renumber_parents(book.pages[first:], base)
        self.names += [(name, _copy(book, destination)) for name, destination in _destinations(source.Root)]
        self.ids += [(name, book.copy_foreign(element)) for name, element in _flat_names(source_tree.get(Name.IDTree))]
        items = _top_outline(source.Root)
        for item in items:  # first cut every link up to the part's outline root, then copy
            del item.Parent
        self.outline += [book.copy_foreign(item) for item in items]

    def finish(self) -> None:
        """Write the gathered parent tree, IDs, destinations (links resolved) and outline."""
        from pikepdf import Array, Dictionary, Name, String

        book = self.book
        self.tree.ParentTree = book.make_indirect(Dictionary(Nums=Array(self.nums)))
        _id_tree(book, self.ids)
        self.tree.ParentTreeNextKey = self.next_key
        known = {name for name, _ in self.names}
        for page in book.pages:
            for annotation in page.obj.get(Name.Annots, ()):
                _resolve_goto(annotation, known)
        book.Root.Names = Dictionary(Dests=book.make_indirect(Dictionary(
            Names=Array([value for name, destination in sorted(self.names, key=lambda n: n[0])
                         for value in (String(name), destination)])
        )))
        _link_outline(book, self.outline)


def _renumber_parents(pages, base: int) -> None:
    """A part's pages and annotations point into its parent tree: move them by `base`."""
    from pikepdf import Name

    for page in pages:
        if Name.StructParents in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + base
        for annotation in page.obj.get(Name.Annots, ()):
            if Name.StructParent in annotation:
                annotation.StructParent = int(annotation.StructParent) + base


def _copy(book, obj):
    """`obj` of another PDF, in `book`: what it refers to is copied once and shared (qpdf keeps
    a map of what it copied from each PDF), so a page or element is never duplicated."""
    import pikepdf

    if not isinstance(obj, pikepdf.Object):  # a number, converted to Python by pikepdf
        return obj
    if obj.is_indirect:
        return book.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(book, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(book, value) for key, value in obj.items()})
    return obj


def _next_key(nums) -> int:
    return max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1


def _destinations(root) -> list:
    """(name, destination) of a document's named destinations."""
    from pikepdf import Name

    if Name.Names not in root or Name.Dests not in root.Names:
        return []
    return _flat_names(root.Names.Dests)


def _flat_names(tree) -> list:
    """(name, value) of a name tree written as one flat list (as WeasyPrint writes the
    destinations, and jsna/render/pdf.py the structure tree's IDs); none for no tree."""
    from pikepdf import Name

    flat = list(tree.get(Name.Names, ())) if tree is not None else []
    return [(str(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]


def _id_tree(book, ids: list) -> None:
    """The book's structure tree's /IDTree: every element ID (the front's and each part's,
    unique by their prefixes) to its element, in order."""
    from pikepdf import Array, Dictionary, String

    if ids:
        entries = [value for name, element in sorted(ids, key=lambda i: i[0]) for value in (String(name), element)]
        book.Root.StructTreeRoot.IDTree = Dictionary(Names=Array(entries))


def _top_outline(root) -> list:
    from pikepdf import Name

    items = []
    item = root.Outlines.get(Name.First) if Name.Outlines in root else None
    while item is not None:
        items.append(item)
        item = item.get(Name.Next)
    return items


def _link_outline(book, items: list) -> None:
    """One outline of `items` at the top level, each keeping its own children."""
    from pikepdf import Dictionary, Name

    if not items:
        return
    outlines = book.make_indirect(Dictionary(Type=Name.Outlines))
    count = 0
    for index, item in enumerate(items):
        item.Parent = outlines
        for key in (Name.Prev, Name.Next):
            if key in item:
                del item[key]
        if index:
            item.Prev = items[index - 1]
            items[index - 1].Next = item
        count += 1 + max(0, int(item.get(Name.Count, 0)))
    outlines.First, outlines.Last, outlines.Count = items[0], items[-1], count
    book.Root.Outlines = outlines


def _resolve_goto(annotation, known: set[str]) -> None:
    """A link to a `GOTO` address becomes a jump to that named destination; to the top of its
    chapter when the chapter has no such id (as a browser does with an unknown fragment)."""
    from pikepdf import Name, String

    action = annotation.get(Name.A)
    uri = str(action.get(Name.URI, "")) if action is not None else ""
    if not uri.startswith(GOTO):
        return
    name = uri[len(GOTO):]
    if name not in known:
        name = name.partition("--")[0] + "--top"
    del annotation[Name.A]
    annotation.Dest = String(name)  # its /Contents, the link's text, stays


def _stamp(book, numbers: list) -> None:
    """Lay page N of `numbers` over page N of `book`, as a pagination artifact."""
    from pikepdf import Name

    if len(numbers) != len(book.pages):
        raise ValueError(f"expected {len(book.pages)} pages of page numbers, found {len(numbers)}")
    for number, (page, stamp) in enumerate(zip(book.pages, numbers), start=1):
        form = book.copy_foreign(stamp.as_form_xobject())
        # Named by number: the pages of one part may share their resources.
        name = page.add_resource(form, Name.XObject, Name(f"/JsnaPageNumber{number}"), replace_existing=False)
        page.contents_add(book.make_stream(b"q\n"), prepend=True)
        page.contents_add(book.make_stream(f"Q\n/Artifact <</Type /Pagination>> BDC q {name} Do Q EMC\n".encode("ascii")))


def assemble_job(front: tuple, numbers_front: tuple, numbers_chapters: tuple, *parts: tuple) -> tuple[bytes, int]:
    """The compendium target's make (jsna/build/pipeline.py): `assemble` of the PDFs made for it
    (each with its page count), and the compendium's page count."""
    data, _ = assemble(front[0], [part[0] for part in parts], [numbers_front[0], numbers_chapters[0]])
    return data, front[1] + sum(part[1] for part in parts)
