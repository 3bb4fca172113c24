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

The keys are checked here too, once: :func:`read_issue` makes an issue's
:class:`~galien.core.model.Issue` of ``numero``, ``date``, ``titre`` and
``brouillon``, or says at the key's line what is wrong; the registry
(:mod:`galien.core.registry`) keeps what it returns.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from sphinx.util import logging

from galien.core.characters import BAD_CHARACTERS
from galien.core.dates import parse_year_month
from galien.core.i18n import __
from galien.core.indentation import indented_lines
from galien.core.model import Issue
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.urls import issue_docname_number

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

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


# -- numero, date, titre, brouillon: the issue they make -------------------------


def front_matter_line(env: BuildEnvironment, docname: str, key: str) -> int:
    """The line of ``key:`` in a document's front matter, so warnings point at it."""
    try:
        lines = env.doc2path(docname).read_text(encoding='utf-8').splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    if not lines or lines[0].strip() != '---':
        return 1
    for lineno, line in enumerate(lines[1:], start=2):
        if line.strip() == '---':
            break
        if line.startswith(f'{key}:'):
            return lineno
    return 1


#: A number as editors write it: decimal digits, leading zeros allowed (``021`` is 21).
DECIMAL_NUMBER = re.compile(r'[0-9]+')
#: How far ahead of the build an issue may be dated before it looks like a typing mistake.
MONTHS_AHEAD = 12
_SHAPES = {'list': __('une liste'), 'mapping': __('un dictionnaire (clé : valeur)')}


def written_fields(env: BuildEnvironment, docname: str) -> dict[str, Field]:
    """The front matter's keys that MyST read, each as the editor wrote it.

    MyST decides whether there is a front matter and which keys it has
    (``env.metadata``); :func:`front_matter_fields` gives each its text and
    kind, which ``env.metadata`` has lost. A key that cannot be found in the
    text keeps the text MyST made of it.
    """
    metadata = env.metadata.get(docname, {})
    fields = front_matter_fields(env, docname) or {}
    return {
        key: fields.get(key) or Field('str', str(value), front_matter_line(env, docname, key))
        for key, value in metadata.items()
        if key in {'numero', 'date', 'titre', DRAFT_KEY}
    }


def parse_numero(field: Field) -> tuple[int | None, str, object]:
    """The issue number of ``numero``, else ``(None, message, value)`` for the warning."""
    if field.kind in _SHAPES:
        return (
            None,
            __('« numero » doit être un entier positif (ex. 21), pas %s'),
            _SHAPES[field.kind],
        )
    if field.kind == 'null':
        return None, __('« numero » est vide : écrivez le numéro, par ex. « numero: 21 »'), ''
    text = field.text.strip()
    if DECIMAL_NUMBER.fullmatch(text) and int(text) > 0:
        return int(text), '', ''
    if field.kind == 'int' and not DECIMAL_NUMBER.fullmatch(text.lstrip('+-')):
        # 0x15, 0o25, 0b10101, 1_000, 1:30: YAML 1.1 numbers an editor does not mean.
        message = __('« numero » doit être écrit en chiffres décimaux (ex. 21 ou 021), pas %r')
        return None, message, text
    if field.kind in {'float', 'bool'}:
        return None, __('« numero » doit être un nombre entier (ex. 21), pas %r'), text
    return None, __('« numero » doit être un entier positif, pas %r'), text


def read_issue(env: BuildEnvironment, docname: str) -> Issue | None:
    """Validate an issue's front matter and return it, warning the editor otherwise."""
    fields = written_fields(env, docname)

    def warn_at(message: str, line: int, *args: object) -> None:
        warn(logger, message, *args, location=(docname, line), subtype=Subtype.EN_TETE)

    numero_field, date_field = fields.get('numero'), fields.get('date')
    if numero_field is None and date_field is None:
        warn_at(
            __("le numéro n'a pas d'en-tête YAML (front matter) avec « numero » et « date »"), 1
        )
        return None
    if numero_field is None:
        warn_at(__("l'en-tête n'a pas de « numero »"), 1)
        return None
    if date_field is None:
        warn_at(__("l'en-tête n'a pas de « date » (AAAA-MM)"), 1)
        return None

    numero, message, value = parse_numero(numero_field)
    if numero is None:
        warn_at(message, numero_field.line, value)
        return None
    date_text = str(env.metadata[docname]['date'])
    year_month = parse_year_month(date_text) if date_field.kind not in _SHAPES else None
    if year_month is None:
        warn_at(
            __('« date » doit être un mois réel au format AAAA-MM (ex. 2018-02), pas %r'),
            date_field.line,
            date_text,
        )
        return None
    today = build_date()
    if (year_month[0] - today.year) * 12 + year_month[1] - today.month > MONTHS_AHEAD:
        warn_at(
            __(
                "« date » %s est à plus d'un an de la date de construction (%s) : "
                'faute de frappe ? Le numéro est publié à cette date'
            ),
            date_field.line,
            date_text.strip(),
            today.isoformat(),
        )
    file_number = issue_docname_number(docname, env.config.galien_issues_dir)
    if file_number is not None and file_number != numero:
        warn_at(
            __("le fichier %s.md devrait s'appeler %s/%03d.md pour le numéro %d"),
            numero_field.line,
            docname,
            env.config.galien_issues_dir,
            numero,
            numero,
        )
    return Issue(
        docname,
        numero,
        year_month[0],
        year_month[1],
        read_titre(fields, warn_at),
        read_brouillon(fields, warn_at),
    )


def read_brouillon(fields: dict[str, Field], warn_at: Callable[..., None]) -> bool:
    """``brouillon: oui`` (or ``true``) makes a draft; ``non``, ``false`` or no line, an issue.

    Anything else is said, and keeps the issue a draft: private until the editor
    says otherwise (:func:`galien.core.front_matter.is_draft` decides the same way).
    """
    field = fields.get(DRAFT_KEY)
    if field is None:
        return False
    draft = parse_brouillon(field)
    if draft is None:
        written = _SHAPES.get(field.kind) or repr(field.text.strip())
        warn_at(
            __(
                '« brouillon » vaut « oui » ou « non », pas %s : '
                "le numéro reste un brouillon, publié dans aucune édition, jusqu'à ce "
                "que l'en-tête dise « brouillon: non »"
            ),
            field.line,
            written,
        )
        return True
    return draft


def read_titre(fields: dict[str, Field], warn_at: Callable[..., None]) -> str:
    """The headline as written; a list or a mapping is not one (warned, left out)."""
    field = fields.get('titre')
    if field is None or field.kind == 'null':
        return ''
    if field.kind in _SHAPES:
        warn_at(
            __('« titre » doit être un texte (ex. « titre: Les biosimilaires »), pas %s : ignoré'),
            field.line,
            _SHAPES[field.kind],
        )
        return ''
    # A number or a date is a headline too, kept as written (``titre: 2018`` is « 2018 »).
    return field.text.strip()


def setup(app: Sphinx) -> None:
    app.connect('source-read', keep_front_matter)
