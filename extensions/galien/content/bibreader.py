"""Reading a .bib file entry by entry, within bounds, so that a broken entry costs only itself.

``references.bib`` may come from someone the committee does not know (a guest
author's pull request). sphinxcontrib-bibtex 2.7.0 hands each whole file to
pybtex 0.26 in strict mode: the first syntax error (one missing comma) escapes
``builder-inited`` as an ``Extension error`` and nothing is built; a key defined
twice stops the parse there, and every later entry is lost; ``@string``
definitions that concatenate the previous one eight times double the memory at
each line until ``MemoryError``.

Here the text is cut into its commands (``@article{...}``, ``@string{...}``) by
a linear scanner of our own, each command is parsed by pybtex on its own, and
whatever is wrong comes back as a :class:`Problem` with its line, for the caller
to warn about; the command is left out and the rest is kept. What ``@string``
substitutions may produce is counted, per command and for the whole file, and
so are the file's size, an entry's length and the number of entries: hostile
input costs bounded memory and time. A ``url`` that is not ``http``/``https``
(``javascript:``, ``data:``...) is dropped from its entry, which is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pybtex.database import BibliographyData
from pybtex.database.input.bibtex import DuplicateField, Parser, UndefinedMacro, month_names
from pybtex.exceptions import PybtexError
from pybtex.scanner import PrematureEOF, PybtexSyntaxError, TokenRequired
from pybtex.utils import CaseInsensitiveDict

from galien.core.bibtex_markup import style_commands, unknown_commands, without_commands
from galien.core.i18n import __

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pybtex.database import Entry

#: Larger than any real list of references (the project's holds a few kilobytes).
MAX_FILE_BYTES = 8 * 2**20
#: One entry, abstract included, is a few kilobytes.
MAX_COMMAND_CHARS = 64 * 2**10
#: Braces in one entry: a title protects a few words ({HER2}, {EGFR}).
MAX_COMMAND_BRACES = 1000
#: Characters ``@string`` substitutions may add to one command, and to the whole file.
MAX_COMMAND_EXPANSION = 64 * 2**10
MAX_FILE_EXPANSION = 8 * 2**20
MAX_ENTRIES = 20_000
#: Beyond this many problems, the file is not a list of references: the rest is not read.
MAX_PROBLEMS = 50

#: ``@type{`` or ``@type(``: where a command starts.
COMMAND_HEAD = re.compile(r'@[ \t\r\n]*([A-Za-z_][\w.:+-]*)[ \t\r\n]*([{(])')
#: What the end of a command depends on, and a line that starts a new command: a command
#: not closed before it is cut there, so that one missing brace does not swallow the file.
COMMAND_TOKEN = re.compile(r'[{}"()]|^[ \t]*@[ \t]*[A-Za-z_][\w.:+-]*[ \t]*[{(]', re.MULTILINE)
STRING_NAME = re.compile(r'[{(]\s*([^\s=#{}"(),]+)\s*=')
ENTRY_KEY = re.compile(r'[{(]\s*([^\s,{}()]+)')
CONTROL_CHARACTERS = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]')
URL_FIELD = re.compile(r'\burl\s*=', re.IGNORECASE)
DUPLICATE_FIELD = re.compile(r'entry with key .* has a duplicate (.*) field')


@dataclass(frozen=True)
class Problem:
    """Something wrong at ``line`` of the file: ``message % args``, in French."""

    line: int | None
    message: str
    args: tuple[object, ...] = ()


@dataclass
class BibContents:
    """What could be read from one .bib file: its entries, their lines and the problems."""

    data: BibliographyData = field(default_factory=BibliographyData)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class ExpansionTooLargeError(Exception):
    """``@string`` substitutions went over their budget."""

    def __init__(self, whole_file: bool) -> None:
        super().__init__()
        self.whole_file = whole_file


class RefusedMacroError(Exception):
    """A command uses an ``@string`` that was refused earlier."""

    def __init__(self, name: str, line: int) -> None:
        super().__init__(name)
        self.name = name
        self.line = line


class BoundedMacros(CaseInsensitiveDict):
    """pybtex's ``@string`` table, counting what each substitution adds.

    pybtex looks macros up by subscription as it reads a value; each lookup is
    charged to the current command and to the file, so a concatenation bomb is
    stopped before the string it would build exists.
    """

    def __init__(self, initial: dict[str, str]) -> None:
        super().__init__(initial)
        self.refused: dict[str, int] = {}
        self.command_spent = 0
        self.file_spent = 0

    def __getitem__(self, key: str) -> Any:
        line = self.refused.get(key.lower())
        if line is not None:
            raise RefusedMacroError(key, line)
        value = super().__getitem__(key)
        self.command_spent += len(value)
        self.file_spent += len(value)
        if self.file_spent > MAX_FILE_EXPANSION:
            raise ExpansionTooLargeError(whole_file=True)
        if self.command_spent > MAX_COMMAND_EXPANSION:
            raise ExpansionTooLargeError(whole_file=False)
        return value


class CommandParser(Parser):
    """pybtex's BibTeX parser, failing on the first error whatever ``pybtex.errors.strict`` says."""

    def handle_error(self, error: Exception) -> None:
        raise error


@dataclass(frozen=True)
class Command:
    """One ``@...`` command of the file: its type, where it starts, and its text."""

    kind: str
    line: int
    text: str


class LineCounter:
    """Line numbers of increasing offsets in ``text``: linear time over all the calls."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def __call__(self, offset: int) -> int:
        if offset < self.offset:  # a cut command is read again from its start
            self.offset, self.line = 0, 1
        self.line += self.text.count('\n', self.offset, offset)
        self.offset = offset
        return self.line


def commands(text: str, problems: list[Problem]) -> Iterator[Command]:
    """The commands of ``text`` in order; problems of structure are appended to ``problems``."""
    line_of = LineCounter(text)
    position = 0
    while (at := text.find('@', position)) != -1:
        line = line_of(at)
        if too_many(problems, line):
            return
        head = COMMAND_HEAD.match(text, at)
        if head is None:
            problems.append(
                Problem(
                    line,
                    __(
                        "« @ » hors d'une entrée, sans type ni accolade après lui "
                        '(écrivez par exemple « @article{cle, ... } »)'
                    ),
                )
            )
            position = at + 1
            continue
        kind = head[1].lower()
        if kind == 'comment':  # as in BibTeX: the text after it is read again
            position = head.end()
            continue
        end, braces = command_end(text, head.end(), head[2])
        opening = Command(kind, line, text[at : head.end() + 200])
        if end < 0:
            cut = -end
            where = (
                __('avant la ligne %d') % line_of(cut)
                if cut < len(text)
                else __('avant la fin du fichier')
            )
            problems.append(
                Problem(
                    line,
                    __(
                        "%s n'est pas fermée : il manque une accolade « } » "
                        '(ou une parenthèse) %s ; elle est ignorée'
                    ),
                    (describe(opening), where),
                )
            )
            position = cut
            continue
        position = end
        if end - at > MAX_COMMAND_CHARS or braces > MAX_COMMAND_BRACES:
            problems.append(
                Problem(
                    line,
                    __('%s est trop longue (plus de %d Kio ou de %d accolades) : elle est ignorée'),
                    (describe(opening), MAX_COMMAND_CHARS // 1024, MAX_COMMAND_BRACES),
                )
            )
            continue
        yield Command(kind, line, text[at:end])


def too_many(problems: list[Problem], line: int) -> bool:
    """Past :data:`MAX_PROBLEMS`, say so (the caller then stops reading: said once)."""
    if len(problems) < MAX_PROBLEMS:
        return False
    problems.append(
        Problem(
            line,
            __("plus de %d erreurs : la suite du fichier, à partir d'ici, n'est pas lue"),
            (MAX_PROBLEMS,),
        )
    )
    return True


def command_end(text: str, start: int, opening: str) -> tuple[int, int]:
    """``(end, braces)``: the offset after the command opened at ``start`` and its braces.

    Braces nest everywhere, quotes only delimit at the command's first level, and the
    closing ``}`` or ``)`` is the first one found at that level: as pybtex reads it.
    A command not closed gives ``-next``, where to go on reading: the start of a line
    that begins the next command, or the end of the text.
    """
    closing = '}' if opening == '{' else ')'
    depth = 0
    quoted = False
    braces = 0
    for token in COMMAND_TOKEN.finditer(text, start):
        mark = token[0]
        if len(mark) > 1:  # a new command starts on this line
            return -(token.start() + mark.index('@')), braces
        if mark == '{':
            depth += 1
            braces += 1
        elif mark == '}':
            if depth == 0:
                if closing == '}':
                    return token.end(), braces
            else:
                depth -= 1
        elif mark == '"' and depth == 0:
            quoted = not quoted
        elif mark == ')' and closing == ')' and depth == 0 and not quoted:
            return token.end(), braces
    return -len(text), braces


def syntax_problem(error: PybtexError, command: Command) -> Problem:
    """A pybtex error about ``command``, said in French, at its line in the file."""
    line = command.line
    if isinstance(error, PybtexSyntaxError) and error.lineno is not None:
        line += error.lineno - 1
    what = describe(command)
    if isinstance(error, UndefinedMacro):
        return Problem(
            line,
            __("%s utilise la chaîne @string %r, qui n'est pas définie : elle est ignorée"),
            (what, str(error.args[0])),
        )
    if isinstance(error, PrematureEOF):
        return Problem(line, __('%s est incomplète : elle est ignorée'), (what,))
    if isinstance(error, TokenRequired):
        expected = str(error.args[0]).removesuffix(' expected')
        hint = ''
        if expected in ("'}'", "')'"):
            hint = __(' (une virgule manque-t-elle à la fin de la ligne précédente ?)')
        return Problem(
            line,
            __('erreur de syntaxe dans %s : %s attendu ici%s ; elle est ignorée'),
            (what, EXPECTED.get(expected, expected), hint),
        )
    if isinstance(error, DuplicateField):
        match = DUPLICATE_FIELD.fullmatch(str(error.args[0]))
        return Problem(
            line,
            __('%s donne deux fois le champ %r : elle est ignorée'),
            (what, match[1] if match else '?'),
        )
    message = str(error.args[0]) if error.args else str(error)
    if message == 'too many nested braces':
        return Problem(
            line, __("%s imbrique plus de 100 niveaux d'accolades : elle est ignorée"), (what,)
        )
    if message == 'unbalanced braces':
        return Problem(line, __('%s a une accolade « } » de trop : elle est ignorée'), (what,))
    return Problem(line, __('%s est illisible (%s) : elle est ignorée'), (what, message))


EXPECTED = {
    "'}'": '« } »',
    "')'": '« ) »',
    "'='": '« = »',
    "'{' or '('": '« { »',
    'field value': 'une valeur ({...}, "...", un nombre ou le nom d\'une @string)',
    'entry key': "la clé de l'entrée",
    'a valid name': 'un nom de champ',
}


def describe(command: Command) -> str:
    """``l'entrée 'ravi2017'``, ``la chaîne @string 'nejm'``: what the messages talk about."""
    if command.kind == 'string':
        match = STRING_NAME.search(command.text)
        return __('la chaîne @string %r') % (match[1] if match else '?')
    if command.kind == 'preamble':
        return __("l'instruction @preamble")
    match = ENTRY_KEY.search(command.text)
    return __("l'entrée %r") % (match[1] if match else '?')


def read_bib_file(path: Path, encoding: str) -> BibContents:
    """The entries of the .bib file at ``path``; a file too large or not text gives none."""
    contents = BibContents()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            contents.problems.append(
                Problem(
                    None,
                    __(
                        'le fichier fait %d Mio, plus que les %d Mio permis : il est ignoré, '
                        'aucune de ses références ne sera imprimée'
                    ),
                    (-(-size // 2**20), MAX_FILE_BYTES // 2**20),
                )
            )
            return contents
        raw = path.read_bytes()
    except OSError as error:
        contents.problems.append(
            Problem(
                None, __('le fichier ne peut pas être lu (%s) : il est ignoré'), (error.strerror,)
            )
        )
        return contents
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        contents.problems.append(
            Problem(
                raw.count(b'\n', 0, error.start) + 1,
                __(
                    "le fichier n'est pas enregistré en %s (octet 0x%02x) : il est ignoré, "
                    'aucune de ses références ne sera imprimée'
                ),
                (encoding.removesuffix('-sig').upper(), raw[error.start]),
            )
        )
        return contents
    except LookupError:
        contents.problems.append(
            Problem(
                None,
                __("l'encodage %r de bibtex_encoding est inconnu : le fichier est ignoré"),
                (encoding,),
            )
        )
        return contents
    return read_bib(text, contents)


def read_bib(text: str, contents: BibContents | None = None) -> BibContents:
    """The entries of a .bib file's ``text`` that can be read, and what is wrong with the others."""
    contents = contents if contents is not None else BibContents()
    text = strip_control_characters(text, contents.problems)
    parser = CommandParser()
    macros = BoundedMacros(month_names)
    parser.macros = macros
    seen: dict[str, int] = {}
    for command in commands(text, contents.problems):
        if too_many(contents.problems, command.line):
            break
        macros.command_spent = 0
        parser.data = BibliographyData()
        try:
            parsed = parser.parse_string(command.text)
        except ExpansionTooLargeError as too_large:
            if too_large.whole_file:
                contents.problems.append(
                    Problem(
                        command.line,
                        __(
                            'les chaînes @string du fichier se développent en plus de %d Mio '
                            ': la suite du fichier, à partir de cette ligne, est ignorée'
                        ),
                        (MAX_FILE_EXPANSION // 2**20,),
                    )
                )
                break
            refuse_string(command, macros, command.line)
            contents.problems.append(
                Problem(
                    command.line,
                    __(
                        'une fois ses chaînes @string remplacées, %s ferait plus de %d Kio '
                        ": elle est ignorée, avec tout ce qui l'utilise"
                    ),
                    (describe(command), MAX_COMMAND_EXPANSION // 1024),
                )
            )
            continue
        except RefusedMacroError as refused:
            refuse_string(command, macros, refused.line)
            if command.kind != 'string':  # a @string built on a refused one: the same fault
                contents.problems.append(
                    Problem(
                        command.line,
                        __('%s utilise la chaîne @string %r, refusée ligne %d : elle est ignorée'),
                        (describe(command), refused.name, refused.line),
                    )
                )
            continue
        except PybtexError as error:
            refuse_string(command, macros, command.line)
            contents.problems.append(syntax_problem(error, command))
            continue
        except (ValueError, RecursionError, MemoryError):
            refuse_string(command, macros, command.line)
            contents.problems.append(
                Problem(
                    command.line,
                    __('%s est trop complexe pour être lue : elle est ignorée'),
                    (describe(command),),
                )
            )
            continue
        accept_string(command, macros)
        for key, entry in parsed.entries.items():
            drop_unsafe_url(key, entry, command, contents.problems)
            refuse_unknown_commands(key, entry, command, contents.problems)
            add_entry(contents, seen, key, entry, command.line)
        if len(contents.data.entries) >= MAX_ENTRIES:
            contents.problems.append(
                Problem(
                    command.line,
                    __('le fichier a plus de %d entrées : la suite est ignorée'),
                    (MAX_ENTRIES,),
                )
            )
            break
    return contents


def add_entry(
    contents: BibContents, seen: dict[str, int], key: str, entry: Entry, line: int
) -> None:
    """Add ``entry`` unless its key is taken (keys ignore case, as in BibTeX): the first stays."""
    first = seen.get(key.lower())
    if first is not None:
        contents.problems.append(
            Problem(
                line,
                __(
                    'la clé %r est déjà définie en ligne %d : cette seconde entrée est ignorée, '
                    'renommez-en une'
                ),
                (key, first),
            )
        )
        return
    seen[key.lower()] = line
    contents.data.add_entry(key, entry)
    contents.lines[key] = line


def drop_unsafe_url(key: str, entry: Entry, command: Command, problems: list[Problem]) -> None:
    """A ``url`` becomes a link in every edition: only a complete ``http``/``https`` address."""
    url = entry.fields.get('url')
    if url is None:
        return
    address = urlsplit(url.strip())
    if address.scheme.lower() in {'http', 'https'} and address.netloc:
        return
    del entry.fields['url']
    field_name = URL_FIELD.search(command.text)
    line = command.line + (command.text.count('\n', 0, field_name.start()) if field_name else 0)
    problems.append(
        Problem(
            line,
            __(
                "l'adresse %r de l'entrée %r n'est pas une adresse web complète (http:// ou "
                "https://) : elle n'est pas imprimée"
            ),
            (url[:80], key),
        )
    )


PERSON_PARTS = ('first_names', 'middle_names', 'prelast_names', 'last_names', 'lineage_names')


def refuse_unknown_commands(
    key: str, entry: Entry, command: Command, problems: list[Problem]
) -> None:
    """Take out of each field the LaTeX commands :mod:`galien.core.bibtex_markup` does not read."""
    refused: dict[str, list[str]] = {}
    for name, value in entry.fields.items():
        if name.lower() != 'url' and (unknown := unknown_commands(value)):
            entry.fields[name] = without_commands(value, unknown)
            refused[name] = unknown
    for role, persons in entry.persons.items():
        for person in persons:
            for part in PERSON_PARTS:
                names = getattr(person, part)
                for index, name in enumerate(names):  # names print without styles
                    unknown = unknown_commands(name)
                    names[index] = without_commands(name, unknown + style_commands(name))
                    if unknown:
                        refused.setdefault(role, []).extend(unknown)
    for name, unknown in refused.items():
        field_name = re.search(rf'\b{re.escape(name)}\s*=', command.text, re.IGNORECASE)
        line = command.line + (command.text.count('\n', 0, field_name.start()) if field_name else 0)
        problems.append(
            Problem(
                line,
                __(
                    "le champ %s de l'entrée %r contient %s, qui n'est pas une commande permise "
                    '(voir « Citer une publication » dans le guide) : elle est retirée, son texte '
                    'est gardé'
                ),
                (name, key, ', '.join('\\' + command for command in dict.fromkeys(unknown))),
            )
        )


def string_name(command: Command) -> str | None:
    match = STRING_NAME.search(command.text) if command.kind == 'string' else None
    return match[1].lower() if match is not None else None


def refuse_string(command: Command, macros: BoundedMacros, line: int) -> None:
    """A refused ``@string`` stays undefined, and what uses it is refused in turn."""
    name = string_name(command)
    if name is not None:
        macros.refused[name] = line
        if name in macros:
            del macros[name]


def accept_string(command: Command, macros: BoundedMacros) -> None:
    """A ``@string`` defined again, correctly, is usable again."""
    name = string_name(command)
    if name is not None:
        macros.refused.pop(name, None)


def strip_control_characters(text: str, problems: list[Problem]) -> str:
    """Control characters make the ePub ill-formed and LaTeX fail: removed, and said once."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return text
    line_of = LineCounter(text)
    lines: list[int] = []
    for match in CONTROL_CHARACTERS.finditer(text):
        line = line_of(match.start())
        if not lines or lines[-1] != line:
            lines.append(line)
            if len(lines) > 5:
                break
    shown = ', '.join(str(n) for n in lines[:5]) + (', …' if len(lines) > 5 else '')
    problems.append(
        Problem(
            lines[0],
            __('caractères de contrôle (U+%04X…) supprimés, lignes %s'),
            (ord(found[0]), shown),
        )
    )
    return CONTROL_CHARACTERS.sub('', text)
