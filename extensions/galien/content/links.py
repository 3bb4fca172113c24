"""Links an issue may carry: ``http``, ``https``, ``mailto`` and relative addresses only.

An issue file may come from outside the committee; a ``javascript:`` link would
run in readers' browsers, e-mail clients and PDF viewers. Every way a link is
written ends as a node checked here, before any edition sees it:

* Markdown links and autolinks. markdown-it silently leaves a ``javascript:``,
  ``vbscript:``, ``file:`` or ``data:`` link as its source text (the address
  included); :func:`strict_only_for_images` (applied by
  :mod:`galien.content.parser`) lets those through as links, so
  that they are refused below with a warning and their address shown nowhere.
  Images and link definitions keep markdown-it's own check.
* targets and references whatever made them: :class:`RefuseUnsafeLinks` runs
  before docutils copies targets' addresses to the references that name them.
* whatever a post-transform adds: :class:`RefuseUnsafeLinksAtWrite`, for every
  builder, as a last check (doctrees read by an older version included).

A refused link becomes its text (an image keeps its image), with a
``galien.lien`` warning at its line; a link whose text is its address
(``<javascript:...>``) disappears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from markdown_it.rules_block import reference as reference_definition
from markdown_it.rules_inline import image as image_rule
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from galien.core.i18n import __
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.urls import refused_scheme

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

LINK_MESSAGE = __(
    'lien refusé (%s:) : seules les adresses http, https, mailto et relatives sont '
    'acceptées ; le texte du lien est gardé sans lien'
)


def strict_only_for_images(md: MarkdownIt) -> None:
    """Keep markdown-it's link check for images and link definitions only.

    markdown-it (4.x) refuses ``javascript:``, ``vbscript:``, ``file:`` and
    non-image ``data:`` addresses by leaving the whole construct as text,
    address included, and without a word. Links and autolinks are let through
    here so that :class:`RefuseUnsafeLinks` refuses them with a located warning
    and an allow-list. Images are the image checks' business and keep the
    check; so do link definitions (``[ref]: uri``), which images can use too.
    """
    strict = md.validateLink
    depth = 0

    def validate(url: str) -> bool:
        return strict(url) if depth else True

    def checked(rule: Callable[..., bool]) -> Callable[..., bool]:
        def run(*arguments: Any) -> bool:
            nonlocal depth
            depth += 1
            try:
                return rule(*arguments)
            finally:
                depth -= 1

        return run

    md.validateLink = validate  # type: ignore[method-assign]
    md.inline.ruler.at('image', checked(image_rule))
    md.block.ruler.at('reference', checked(reference_definition))


def located(node: nodes.Node) -> str | None:
    """``file:line`` of ``node``, counted in its paragraph if it is inline.

    MyST gives an inline node its paragraph's first line, docutils none: the
    line is the paragraph's plus the line breaks of the text before the node.
    Anything else has the line of what it holds (the image of a ``:target:``),
    or its own, or its nearest ancestor's.
    """
    block = node.parent
    while block is not None and not (isinstance(block, nodes.TextElement) and block.line):
        block = block.parent
    if block is not None and block.line:
        breaks = 0
        for inside in block.findall():
            if inside is node:
                break
            if isinstance(inside, nodes.Text):
                breaks += inside.count('\n')
        return f'{block.source}:{block.line + breaks}'
    # What it holds first: docutils 0.22 gives an image's reference a wrong line.
    inner = next((n for n in node.findall(include_self=False) if n.line), None)
    inner = inner or (node if node.line else None)
    while inner is None and node.parent is not None:
        node = node.parent
        inner = node if node.line else None
    return f'{inner.source}:{inner.line}' if inner is not None else None


def refuse_link(node: nodes.Element, address: str, scheme: str) -> None:
    """Replace a link by its text (its image), or by nothing if its text is its address."""
    warn(logger, LINK_MESSAGE, scheme, location=located(node), subtype=Subtype.LIEN)
    if node.parent is None:
        return
    text = node.astext().strip()
    keep = [child.deepcopy() for child in node.children]
    if not keep or text == address.strip():
        node.parent.remove(node)
    else:
        node.replace_self(keep)


def refuse_unsafe_references(document: nodes.document) -> None:
    """Every link whose address is not allowed becomes text, with a warning."""
    for reference in list(document.findall(nodes.reference)):
        address = reference.get('refuri')
        if address is None:
            continue
        scheme = refused_scheme(address)
        if scheme is not None:
            refuse_link(reference, address, scheme)
    # A remote {download} is a link too (Sphinx reads an address with "://" as one).
    for download in list(document.findall(addnodes.download_reference)):
        address = download.get('refuri') or download.get('reftarget', '')
        if '://' not in address:
            continue
        scheme = refused_scheme(address)
        if scheme is not None:
            refuse_link(download, address, scheme)


class RefuseUnsafeLinks(SphinxTransform):
    """Refuse links and targets an issue may not carry, as the document is read."""

    # Before docutils' TargetNotes (540) and ExternalTargets (640) copy a target's
    # address into the references that name it.
    default_priority = 530

    def apply(self, **kwargs: Any) -> None:
        self.refuse_targets()
        refuse_unsafe_references(self.document)
        self.refuse_myst_links()

    def refuse_targets(self) -> None:
        """``.. _x: javascript:...``: the target keeps its name, loses its address."""
        for target in list(self.document.findall(nodes.target)):
            address = target.get('refuri')
            if address is None:
                continue
            scheme = refused_scheme(address)
            if scheme is None:
                continue
            del target['refuri']
            # An embedded target (`x <uri>`_) comes with its reference, warned about.
            if not isinstance(target.parent, nodes.TextElement):
                warn(logger, LINK_MESSAGE, scheme, location=located(target), subtype=Subtype.LIEN)

    def refuse_myst_links(self) -> None:
        """``[x](javascript:...)``: MyST leaves a link to an unknown scheme to be resolved."""
        for xref in list(self.document.findall(addnodes.pending_xref)):
            if xref.get('reftype') != 'myst':
                continue
            address = xref.get('reftarget', '')
            scheme = refused_scheme(address)
            if scheme is not None:
                refuse_link(xref, address, scheme)


class RefuseUnsafeLinksAtWrite(SphinxPostTransform):
    """The same allow-list on what post-transforms made, for every builder."""

    default_priority = 999

    def run(self, **kwargs: Any) -> None:
        refuse_unsafe_references(self.document)


def setup(app: Sphinx) -> None:
    app.add_transform(RefuseUnsafeLinks)
    app.add_post_transform(RefuseUnsafeLinksAtWrite)
