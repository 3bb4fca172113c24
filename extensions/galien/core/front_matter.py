"""An issue's front matter as the editor wrote it, not as YAML 1.1 reads it.

MyST reads the front matter with PyYAML, which follows YAML 1.1, and Sphinx
keeps each value as text: ``numero: 021`` (written like the file name) becomes
``17`` (octal), ``0x15`` becomes ``21``, ``1:30`` becomes ``90``, and a mapping
given as ``titre`` becomes JSON. The registry needs what the editor typed, and
what kind of value it is. So the front matter's text is kept when the source is
read (``source-read``, the text MyST is about to parse), cut out by the very
rule MyST uses (``mdit_py_plugins``' front matter plugin), and *composed* here:
YAML nodes, whose scalars keep their text as written, with the tag YAML 1.1
would give them and their line in the ``.md`` file. Aliases are not expanded,
so a hostile front matter costs no more than its size.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from galien.core.characters import BAD_CHARACTERS
from galien.core.indentation import indented_lines

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: Where the front matter's text waits, in ``env.current_document``, while its document is read.
CURRENT_DOCUMENT_KEY = 'galien:front-matter'
#: The front matter's YAML starts on the second line of the file, after ``---``.
FIRST_LINE = 2

#: PyYAML's composer recurses once per level of nesting, and a RecursionError
#: costs seconds: a front matter nested deeper (four keys need one level) is
#: not read at all, as if it were not YAML.
MAX_YAML_DEPTH = 20

_SCALAR_KINDS = {
    'tag:yaml.org,2002:int': 'int',
    'tag:yaml.org,2002:float': 'float',
    'tag:yaml.org,2002:bool': 'bool',
    'tag:yaml.org,2002:null': 'null',
    'tag:yaml.org,2002:timestamp': 'timestamp',
    'tag:yaml.org,2002:str': 'str',
}


@dataclass(frozen=True)
class Field:
    """One ``key: value`` of the front matter.

    ``kind`` is how YAML 1.1 reads the value (``int``, ``float``, ``bool``,
    ``null``, ``timestamp``, ``str``, ``list``, ``mapping`` or ``other`` for an
    explicit ``!tag``); ``text`` is a scalar as written (a quoted one without its
    quotes), empty for a list or a mapping; ``line`` is its line in the file.
    """

    kind: str
    text: str
    line: int
    #: Characters YAML's escapes wrote and that were taken out of ``text``.
    removed: str = ''


def front_matter_text(source: str) -> str | None:
    """The YAML between the ``---`` lines opening ``source``, as MyST cuts it out."""
    if not source.startswith('-'):
        return None
    md = MarkdownIt('zero').use(front_matter_plugin)
    tokens = md.parse(source)
    if not tokens or tokens[0].type != 'front_matter':
        return None
    return tokens[0].content


def _field(key: yaml.Node, node: yaml.Node) -> Field:
    line = key.start_mark.line + FIRST_LINE
    if isinstance(node, yaml.SequenceNode):
        return Field('list', '', line)
    if isinstance(node, yaml.MappingNode):
        return Field('mapping', '', line)
    value = str(node.value)
    removed = ''.join(sorted(set(BAD_CHARACTERS.findall(value))))
    return Field(_SCALAR_KINDS.get(node.tag, 'other'), BAD_CHARACTERS.sub('', value), line, removed)


def yaml_depth(text: str) -> int:
    """An upper bound of how deep ``text`` (YAML) nests, in one pass.

    Brackets and braces open flow collections; each deeper indentation or list
    dash opens a block one. Quotes are not read: a bracket in a title counts too.
    """
    deepest = flow = 0
    for body, levels in indented_lines(text):
        dashes = 0
        while (
            dashes * 2 + 1 < len(body) and body[dashes * 2] == '-' and body[dashes * 2 + 1] == ' '
        ):
            dashes += 1
        for char in body:
            if char in '[{':
                flow += 1
                deepest = max(deepest, levels + dashes + flow)
            elif char in ']}':
                flow = max(flow - 1, 0)
        deepest = max(deepest, levels + dashes + flow)
    return deepest


def parse_fields(text: str) -> dict[str, Field] | None:
    """Each top-level key of the front matter ``text``; ``None`` if it is not a YAML mapping.

    The last of two equal keys wins, as when PyYAML loads them (what MyST shows).
    """
    if yaml_depth(text) > MAX_YAML_DEPTH:
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    fields: dict[str, Field] = {}
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode):
            fields[str(key.value)] = _field(key, value)
    return fields


def keep_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Keep the document's own front matter while it is read (not an included file's)."""
    app.env.current_document.setdefault(CURRENT_DOCUMENT_KEY, front_matter_text(source[0]))


def front_matter_fields(env: BuildEnvironment, docname: str) -> dict[str, Field] | None:
    """The front matter of ``docname`` as written; ``None`` if it has none readable.

    While ``docname`` is read, the text Sphinx gave MyST; otherwise (a caller
    outside the reading of the document) the file on disk.
    """
    current = env.current_document
    if current.docname == docname and CURRENT_DOCUMENT_KEY in current:
        text = current[CURRENT_DOCUMENT_KEY]
    else:
        try:
            source = env.doc2path(docname).read_text(encoding='utf-8')
        except (OSError, UnicodeDecodeError):
            return None
        text = front_matter_text(source)
    return parse_fields(text) if isinstance(text, str) else None


def build_date() -> dt.date:
    """The day of the build: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else today."""
    epoch = os.environ.get('SOURCE_DATE_EPOCH', '').strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            pass
    return dt.date.today()


def setup(app: Sphinx) -> None:
    app.connect('source-read', keep_front_matter)


# -- brouillon: oui (build/drafts.py) -------------------------------------------

DRAFT_KEY = 'brouillon'
#: What editors write, in French; YAML's booleans (``true``, ``yes``, ``on``...) too.
YES, NO = 'oui', 'non'
_YAML_TRUE = frozenset({'true', 'yes', 'on', 'y'})
_YAML_FALSE = frozenset({'false', 'no', 'off', 'n'})


def parse_brouillon(field: Field) -> bool | None:
    """``True`` for a draft, ``False`` for a published issue, ``None`` if neither is written."""
    text = field.text.strip().lower()
    if field.kind == 'bool':
        if text in _YAML_TRUE:
            return True
        if text in _YAML_FALSE:
            return False
    if field.kind == 'str':
        if text == YES:
            return True
        if text == NO:
            return False
    return None


def is_draft(fields: dict[str, Field]) -> bool:
    """A front matter's verdict; a value that is neither yes nor no keeps the issue private."""
    field = fields.get(DRAFT_KEY)
    return field is not None and parse_brouillon(field) is not False
