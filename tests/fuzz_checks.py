"""The fuzzer's oracle: what must never be found in the editions built from an issue file.

Each check reads built files and returns *findings*, short strings that name the
file and what is wrong, so that a failing example reads as a list of broken
invariants. Whatever the theme or the extension's templates put on a page is
theirs, not the issue's: the checks compare with a clean build of a benign issue
(:class:`Baseline`) instead of hard-coding the theme's scripts or the
templates' TeX, so they stay exact when the theme or the templates change.
"""

from __future__ import annotations

import email
import email.policy
import html
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from sphinx.util import texescape

from galien.content import math_guard

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

#: Elements that run code, load other documents, submit data, restyle or rebase the page.
FORBIDDEN_ELEMENTS = frozenset(
    {
        'script',
        'iframe',
        'frame',
        'frameset',
        'object',
        'embed',
        'applet',
        'meta',
        'base',
        'form',
        'input',
        'button',
        'textarea',
        'select',
        'link',
        'style',
        'template',
        'portal',
        'foreignobject',
        'animate',
        'set',
        'animatetransform',
        'animatemotion',
        'handler',
        'listener',
        'isindex',
        'keygen',
    }
)
#: Of those, the ones a page's ``<head>`` legitimately holds (with the issue's title or
#: description in them): there they are the theme's, only ``<body>`` is checked.
HEAD_ELEMENTS = frozenset({'meta', 'link', 'style'})
#: Attributes whose value is fetched or followed as a URL.
URL_ATTRIBUTES = frozenset(
    {
        'href',
        'src',
        'action',
        'formaction',
        'xlink:href',
        'poster',
        'data',
        'background',
        'cite',
        'longdesc',
        'srcset',
        'manifest',
        'ping',
        'codebase',
        'icon',
        'dynsrc',
        'lowsrc',
        'from',
        'to',
        'values',
    }
)
FORBIDDEN_SCHEMES = frozenset({'javascript', 'vbscript', 'data', 'file', 'livescript', 'mocha'})
#: CSS that runs code or fetches something (IE's ``expression``, Mozilla's ``binding``).
FORBIDDEN_CSS = ('expression', 'javascript:', 'vbscript:', 'url(', '@import', 'behavior', 'binding')
SCHEME = re.compile(r'^([a-z][a-z0-9+.\-]*):')
#: Browsers ignore ASCII tab and newline anywhere in a URL, and strip controls and spaces at
#: its ends: ``java\tscript:`` is ``javascript:``.
URL_NOISE = re.compile(r'[\x00-\x20\x7f]+')

#: A TeX control sequence: a control word, or a control symbol (``\\``, ``\%``, ``\ ``).
CONTROL_SEQUENCE = re.compile(r'\\(?:[A-Za-z@]+|[^A-Za-z@])')
BEGIN_ENVIRONMENT = re.compile(r'\\(?:begin|end)\s*\{([^{}]*)\}')
DEFINED_COMMAND = re.compile(
    r'\\(?:(?:re)?newcommand\*?|providecommand\*?|DeclareRobustCommand\*?)\s*\{?\s*(\\[A-Za-z@]+)'
    r'|\\(?:protected)?\\?(?:[egx]?def|let)\s*(\\[A-Za-z@]+)'
)
DEFINED_ENVIRONMENT = re.compile(r'\\(?:re)?newenvironment\*?\s*\{([^{}]+)\}')
#: TeX that reads or writes files, runs Lua or the shell, or changes how TeX reads what
#: follows. The templates use some of them (``\directlua`` to load the fonts, ``\catcode`` in
#: a table's preamble): in a fuzzed ``.tex`` each may only appear on a line that the clean
#: build's ``.tex`` has word for word, a line of a template.
ACTIVE_SEQUENCES = frozenset(
    '\\' + name
    for name in str.split(
        'directlua latelua luaexec luadirect luacode luaescapestring input include '
        'InputIfFileExists IfFileExists openin openout read readline write immediate special '
        'pdfextension pdfobj pdffeedback catcode lccode uccode mathcode sfcode csname endcsname '
        'def edef gdef xdef let futurelet newcommand renewcommand providecommand '
        'DeclareRobustCommand expandafter noexpand scantokens makeatletter '
        'makeatother usepackage RequirePackage documentclass shipout output everypar everyeof '
        'everyjob endinput dump batchmode nonstopmode errorstopmode jobname closeout closein '
        'newwrite newread pdfliteral pdfximage tex'
    )
)
#: Sphinx's own escaping of text for LaTeX: the control sequences it writes for characters.
ESCAPE_SEQUENCES = frozenset(
    match.group(0)
    for _char, replacement in (
        *texescape.tex_replacements,
        *texescape.ascii_tex_replacements,
        *texescape.unicode_tex_replacements,
    )
    for match in CONTROL_SEQUENCE.finditer(replacement)
)
#: What the writers write, whichever construct calls them: control sequences of Sphinx's LaTeX
#: writer and templates, and of the extension's (its Python, class, styles and templates).
TEMPLATE_SUFFIXES = frozenset({'.py', '.sty', '.cls', '.tex', '.tex_t', '.jinja', '.def'})
TEMPLATE_NAME = re.compile(r'\\+([A-Za-z@]+)')


def template_vocabulary(*roots: Path) -> frozenset[str]:
    """The control sequences named in the template and writer files under ``roots``.

    The clean build only shows what the benign issue calls for; a refused image
    framed by the extension (``\\fbox``) or a line block of Sphinx's writer is
    the templates' too. Reading the writers' sources names them all.
    """
    names: set[str] = set()
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob('*'))
        for path in paths:
            if path.is_file() and path.suffix in TEMPLATE_SUFFIXES:
                names.update(
                    TEMPLATE_NAME.findall(path.read_text(encoding='utf-8', errors='replace'))
                )
    return frozenset('\\' + name for name in names)


#: The math allow-list of the extension (galien/content/math_guard.py), as TeX writes it.
MATH_SEQUENCES = frozenset(
    {'\\' + name for name in math_guard.COMMANDS | math_guard.SYMBOLS}
    | {'\\begin', '\\end', '\\\\'}
)
MATH_ENVIRONMENTS = math_guard.ENVIRONMENTS

#: Markers of secrets that must never be published: ``/etc/passwd``'s first line.
PASSWD_MARKER = b'root:x:0:0:'


def process_environment_markers() -> tuple[bytes, ...]:
    """Entries of ``/proc/self/environ`` that mark a copy of it (``PATH=…``, ``HOME=…``).

    ``/proc/self/environ`` holds the environment the process *started* with: a
    variable set later by the test is not in it. So its own long entries are the
    markers that it was read.
    """
    try:
        with open('/proc/self/environ', 'rb') as environ:  # noqa: PTH123 - a /proc file
            entries = environ.read().split(b'\0')
    except OSError:
        return ()
    wanted = (b'PATH=', b'HOME=', b'GALIEN_')
    return tuple(entry for entry in entries if entry.startswith(wanted) and len(entry) >= 10)


#: A warning line as Sphinx writes it: ``location: WARNING: message``.
LOG_RECORD = re.compile(r'^(?:(?P<location>.*?): )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE): ')
LOCATED = re.compile(r'^(?P<path>.+?):(?P<line>\d+)$')
ANSI = re.compile(r'\x1b\[[0-9;]*m')


def excerpt(value: str, limit: int = 90, *, quote: bool = True) -> str:
    """A one-line, bounded rendering of ``value`` for a finding (``repr`` unless ``quote``)."""
    text = repr(value) if quote else value
    return text if len(text) <= limit else text[: limit - 1] + '…'


# --- Reading the outputs -------------------------------------------------------------------------


def output_files(root: Path) -> Iterator[tuple[str, bytes]]:
    """``(name, bytes)`` of every file under ``root``, the ePub's members and the e-mail's parts.

    A secret can hide in an encoding (a zip member, a base64 or quoted-printable
    MIME part): every container is opened, so that its content is searched too.
    """
    for path in sorted(root.rglob('*')):
        if not path.is_file() or path.is_symlink():
            continue
        name = path.relative_to(root).as_posix()
        data = path.read_bytes()
        yield name, data
        if path.suffix == '.epub':
            with zipfile.ZipFile(path) as book:
                for member in book.namelist():
                    yield f'{name}!{member}', book.read(member)
        elif path.suffix == '.eml':
            message = email.message_from_bytes(data, policy=email.policy.default)
            for index, part in enumerate(message.walk()):
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    suffix = '.html' if part.get_content_type() == 'text/html' else '.part'
                    yield f'{name}!part{index}{suffix}', payload


def find_secrets(files: Iterable[tuple[str, bytes]], secrets: Iterable[bytes]) -> list[str]:
    """Findings for every output that holds one of ``secrets`` (case-insensitive)."""
    lowered = [secret.lower() for secret in secrets]
    findings = []
    for name, data in files:
        folded = data.lower()
        for secret in lowered:
            if secret in folded:
                findings.append(f'secret: {name} holds {secret[:24]!r}…')
    return findings


# --- HTML ----------------------------------------------------------------------------------------


def url_scheme(value: str) -> str | None:
    """The scheme a browser would follow for ``value``, lower-cased, or ``None`` if relative."""
    match = SCHEME.match(URL_NOISE.sub('', html.unescape(value)).lower())
    return match.group(1) if match else None


def meta_is_url(attrs: list[tuple[str, str | None]]) -> bool:
    """Whether a ``<meta>``'s content is an address a browser or a crawler follows.

    A refresh (``http-equiv``) or an ``og:url``/``og:image``/``citation_pdf_url``; a
    description or a title holds the page's words, which may say ``javascript:``.
    """
    for name, value in attrs:
        key = (value or '').lower()
        if name.lower() == 'http-equiv' or (
            name.lower() in ('name', 'property') and key.endswith(('url', 'image'))
        ):
            return True
    return False


def is_json_data(shown: str, text: str) -> bool:
    """A ``<script type="application/ld+json">`` whose whole text is JSON: data, not code.

    Browsers never run it; a ``</script>`` written into one of its strings would have
    ended the element early, leaving text that is not JSON (and the rest as markup,
    checked like any other).
    """
    if "type='application/ld+json'" not in shown.split(' text=')[0]:
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


class _PageScanner(HTMLParser):
    """Collects, as signatures, every forbidden element, handler, URL and style of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.signatures: Counter[str] = Counter()
        self.in_body = False
        self._open: list[tuple[str, str]] = []
        self._text = ''

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs, closed=True)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool = False) -> None:
        tag = tag.lower()
        if tag == 'body':
            self.in_body = True
        shown = ' '.join(f'{name}={value!r}' for name, value in sorted(attrs, key=str))
        # In <head>, a <meta http-equiv> still acts on the page (a refresh redirects it).
        acting = tag == 'meta' and any(name.lower() == 'http-equiv' for name, _ in attrs)
        if tag in FORBIDDEN_ELEMENTS and (self.in_body or acting or tag not in HEAD_ELEMENTS):
            if tag in ('script', 'style') and not closed:
                self._open.append((tag, shown))
            else:
                self.signatures[f'element <{tag} {shown}>'] += 1
        for name, value in attrs:
            name = name.lower()
            value = value or ''
            if name.startswith('on') or name in ('srcdoc', 'formaction'):
                self.signatures[f'attribute <{tag} {name}={value!r}>'] += 1
            if name in URL_ATTRIBUTES or (
                tag == 'meta' and name == 'content' and meta_is_url(attrs)
            ):
                candidates = value.split(',') if name == 'srcset' else [value]
                if tag == 'meta':
                    candidates = [re.sub(r'^.*?url\s*=\s*', '', value, flags=re.I | re.S)]
                for candidate in candidates:
                    scheme = url_scheme(candidate.strip().split(' ')[0] or candidate)
                    if scheme in FORBIDDEN_SCHEMES:
                        self.signatures[f'url <{tag} {name}={value!r}>'] += 1
            if name == 'style':
                css = URL_NOISE.sub('', re.sub(r'/\*.*?\*/|\\', '', value)).lower()
                if any(marker in css for marker in FORBIDDEN_CSS):
                    self.signatures[f'style <{tag} style={value!r}>'] += 1

    def handle_data(self, data: str) -> None:
        if self._open:
            tag, shown = self._open[-1]
            self._open[-1] = (tag, shown + ' text=' + repr(data.strip()))
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag.lower():
            opened, shown = self._open.pop()
            text, self._text = self._text, ''
            if opened == 'script' and is_json_data(shown, text):
                return
            self.signatures[f'element <{opened} {shown}>'] += 1


def html_signatures(text: str) -> Counter[str]:
    """The forbidden constructs of one HTML or XHTML page, counted by signature."""
    scanner = _PageScanner()
    scanner.feed(text)
    scanner.close()
    for tag, shown in scanner._open:
        scanner.signatures[f'element <{tag} {shown}> (unclosed)'] += 1
    return scanner.signatures


def feed_signatures(text: str) -> Counter[str]:
    """The forbidden constructs of an Atom or RSS feed's HTML content, which feed readers render."""
    signatures: Counter[str] = Counter()
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        signatures[f'feed not well-formed: {error}'] += 1
        return signatures
    for element in root.iter():
        kind = element.get('type', '')
        if kind == 'html' or element.tag.endswith('description'):
            signatures.update(html_signatures(element.text or ''))
        elif kind == 'xhtml':
            inner = ''.join(ElementTree.tostring(child, encoding='unicode') for child in element)
            signatures.update(html_signatures(inner))
        for name, value in element.attrib.items():
            if name.endswith('href') and url_scheme(value) in FORBIDDEN_SCHEMES:
                signatures[f'url <{element.tag} {name}={value!r}>'] += 1
    return signatures


def is_page(name: str) -> bool:
    """Whether an output (or ePub member) is a page a browser or a reader renders."""
    return name.endswith(('.html', '.xhtml', '.htm', '.svg'))


def is_feed(name: str) -> bool:
    return name.endswith(('.xml', '.atom', '.rss')) and 'sitemap' not in name


def page_signatures(files: Iterable[tuple[str, bytes]]) -> dict[str, Counter[str]]:
    """The forbidden constructs of every page and feed among ``files``, by file name."""
    pages = {}
    for name, data in files:
        if is_page(name):
            pages[name] = html_signatures(data.decode('utf-8', 'replace'))
        elif is_feed(name):
            pages[name] = feed_signatures(data.decode('utf-8', 'replace'))
    return pages


# --- LaTeX ---------------------------------------------------------------------------------------


def tex_vocabulary(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The control sequences and the environments that a ``.tex`` file uses."""
    sequences = frozenset(match.group(0) for match in CONTROL_SEQUENCE.finditer(text))
    environments = frozenset(match.group(1) for match in BEGIN_ENVIRONMENT.finditer(text))
    return sequences, environments


# --- Warnings ------------------------------------------------------------------------------------


def log_records(text: str) -> list[str]:
    """The warnings and errors of a build's log, one string each (continuation lines joined)."""
    records: list[str] = []
    for line in ANSI.sub('', text).splitlines():
        if LOG_RECORD.match(line):
            records.append(line)
        elif records and line.strip():
            records[-1] += '\n' + line
    return records


def unlocated(records: Iterable[str], srcdir: Path) -> list[str]:
    """Findings for every warning without a ``file:line`` of a real file and a real line."""
    findings = []
    for record in records:
        match = LOG_RECORD.match(record)
        assert match is not None
        location = match.group('location') or ''
        where = LOCATED.match(location)
        if where is None:
            findings.append(f'unlocated warning: {excerpt(record, 200)}')
            continue
        path = (srcdir / where.group('path')).resolve()
        line = int(where.group('line'))
        if not path.is_relative_to(srcdir.resolve()) or not path.is_file():
            findings.append(f'warning located in no file of the project: {excerpt(record, 200)}')
            continue
        count = len(path.read_bytes().splitlines())
        if not 1 <= line <= count + 1:
            findings.append(
                f'warning at line {line} of a {count}-line file: {excerpt(record, 200)}'
            )
    return findings


# --- The clean build -----------------------------------------------------------------------------


@dataclass(repr=False)
class Baseline:
    """What a clean build of a benign issue shows: the theme's and the templates' own output."""

    #: Each page's forbidden constructs (the theme's scripts, its search form...).
    pages: dict[str, Counter[str]] = field(default_factory=dict)
    #: Control sequences and environments of the ``.tex`` files.
    tex_sequences: frozenset[str] = frozenset()
    tex_environments: frozenset[str] = frozenset()
    #: Files of the LaTeX folder that TeX, latexmk or make read as code (class, style, Lua,
    #: ``latexmkrc``, ``Makefile``) and their bytes: an issue must not change them.
    latex_support: dict[str, bytes] = field(default_factory=dict)
    #: Every other file of the LaTeX folder (the build's bookkeeping), by name.
    latex_other: frozenset[str] = frozenset()
    #: Environments that the templates define (``\\newenvironment`` in a class or style):
    #: Sphinx's writer opens them for constructs the benign issue may not have.
    defined_environments: frozenset[str] = frozenset()
    #: Commands that the templates define: Sphinx's writer uses them for constructs the
    #: benign issue may not have (a table with rules, a topic).
    defined_commands: frozenset[str] = frozenset()
    #: Control sequences named by Sphinx's and the extension's writers and templates.
    template_sequences: frozenset[str] = frozenset()
    #: Lines of Sphinx's LaTeX folder templates (``Makefile``, ``latexmkrc``), which the
    #: extension may leave as they are.
    template_lines: frozenset[str] = frozenset()
    #: ``^^`` notations in each ``.tex`` (Sphinx's template makes U+00A0 active with one).
    tex_carets: dict[str, int] = field(default_factory=dict)
    #: The lines of the clean build's ``.tex`` files: the templates' own lines.
    tex_lines: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f'<Baseline: {len(self.pages)} pages, {len(self.tex_sequences)} TeX sequences>'

    @classmethod
    def from_outputs(
        cls, outputs: Iterable[tuple[str, bytes]], templates: Iterable[Path] = ()
    ) -> Baseline:
        """The clean build's ``(name, bytes)`` outputs, names starting with the edition
        (``html/``, ``latex/``…); ``templates``: the writers' files and folders."""
        files = list(outputs)
        baseline = cls(pages=page_signatures(files))
        baseline.template_sequences = template_vocabulary(*templates) - ACTIVE_SEQUENCES
        for template in templates:
            if template.is_dir():
                for path in template.glob('*.jinja'):
                    baseline.template_lines |= frozenset(path.read_text('utf-8').splitlines())
        sequences: set[str] = set()
        environments: set[str] = set()
        other = set()
        lines: set[str] = set()
        defined: set[str] = set()
        commands: set[str] = set()
        for name, data in files:
            if not name.startswith('latex/'):
                continue
            if name.endswith('.tex'):
                text = data.decode('utf-8', 'replace')
                found = tex_vocabulary(text)
                sequences |= found[0]
                environments |= found[1]
                baseline.tex_carets[name] = text.count('^^')
                lines.update(text.splitlines())
            elif is_latex_code(name):
                baseline.latex_support[name] = data
                code = data.decode('utf-8', 'replace')
                defined |= set(DEFINED_ENVIRONMENT.findall(code))
                commands |= {a or b for a, b in DEFINED_COMMAND.findall(code)}
            else:
                other.add(name)
        baseline.tex_sequences = frozenset(sequences)
        baseline.tex_environments = frozenset(environments)
        baseline.latex_other = frozenset(other)
        baseline.tex_lines = frozenset(lines)
        baseline.defined_environments = frozenset(defined)
        baseline.defined_commands = frozenset(commands) - ACTIVE_SEQUENCES
        return baseline

    def allowed_signatures(self, name: str) -> Counter[str]:
        """What the theme puts on page ``name``; for a page the clean build lacks, on any page."""
        if name in self.pages:
            return self.pages[name]
        union: Counter[str] = Counter()
        for signatures in self.pages.values():
            union |= signatures
        return union

    def html_findings(self, files: Iterable[tuple[str, bytes]]) -> list[str]:
        """Every forbidden construct that a page has more often than the clean build's page."""
        findings = []
        for name, signatures in page_signatures(files).items():
            extra = signatures - self.allowed_signatures(name)
            findings += [
                f'html: {name}: {excerpt(signature, 240, quote=False)}' for signature in extra
            ]
        return findings

    def tex_findings(self, files: Iterable[tuple[str, bytes]]) -> list[str]:
        """Control sequences and environments neither the templates nor the math list use,
        a file-, Lua- or catcode-touching one on a line no template writes, ``^^`` notation,
        and changed support files (``latexmkrc``, class, Makefile)."""
        findings = []
        allowed = (
            self.tex_sequences
            | self.defined_commands
            | self.template_sequences
            | ESCAPE_SEQUENCES
            | MATH_SEQUENCES
        )
        environments = self.tex_environments | self.defined_environments | MATH_ENVIRONMENTS
        for name, data in files:
            if not name.startswith('latex/'):
                continue
            if name.endswith('.tex'):
                text = data.decode('utf-8', 'replace')
                sequences, used = tex_vocabulary(text)
                for sequence in sorted(sequences - allowed):
                    findings.append(f'tex: {name}: control sequence {sequence}')
                for environment in sorted(used - environments):
                    findings.append(f'tex: {name}: environment {environment!r}')
                for number, line in enumerate(text.splitlines(), 1):
                    if line in self.tex_lines:
                        continue
                    for sequence in sorted(
                        ACTIVE_SEQUENCES & tex_vocabulary(line)[0] - ESCAPE_SEQUENCES
                    ):
                        findings.append(
                            f'tex: {name}:{number}: {sequence} outside the templates: '
                            + excerpt(line, 160)
                        )
                if text.count('^^') > max(self.tex_carets.values(), default=0):
                    findings.append(f'tex: {name}: ^^ notation')
            elif name in self.latex_support:
                known = set(self.latex_support[name].decode('utf-8', 'replace').splitlines())
                for line in data.decode('utf-8', 'replace').splitlines():
                    if (
                        line not in known
                        and line not in self.template_lines
                        and not SAFE_MAKE_LINE.match(line)
                    ):
                        findings.append(f'tex: {name}: line no clean build writes: {line!r}')
            elif is_latex_code(name) or not (name in self.latex_other or is_image(name)):
                findings.append(f'tex: unexpected file {name}')
        return findings


#: What TeX, latexmk and make run or read as code in the LaTeX folder.
LATEX_CODE_SUFFIXES = ('.sty', '.cls', '.lua', '.xdy', '.ist', '.bat', '.def', '.cfg', '.fd')
LATEX_CODE_NAMES = frozenset({'Makefile', 'latexmkrc', 'latexmkjarc', 'texmf.cnf'})
#: The lines of the print edition's Makefile that depend on the issue: a PDF's prerequisites
#: (its ``.tex``, its images) and its predicted page count. Plain file names only, no shell.
SAFE_MAKE_LINE = re.compile(
    r'^(?:ALLPDF =|galien-\d{3}\.pdf:)(?: [\w.-]+)*(?: PAGESONLY = \d*)? ?$'
)


def is_latex_code(name: str) -> bool:
    base = name.rsplit('/', 1)[-1]
    return base in LATEX_CODE_NAMES or base.endswith(LATEX_CODE_SUFFIXES)


def is_image(name: str) -> bool:
    return name.lower().endswith(('.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg', '.pdf'))


def tree_listing(root: Path, skip: Path) -> dict[str, tuple[int, int, str]]:
    """Every file and link under ``root`` but ``skip``: size, modification time, link target.

    Folders are left out: their dates change when a file inside them does, and that
    file is listed itself.
    """
    listing = {}
    for path in root.rglob('*'):
        if path == skip or skip in path.parents or (path.is_dir() and not path.is_symlink()):
            continue
        stat = path.lstat()
        target = str(path.readlink()) if path.is_symlink() else ''
        listing[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns, target)
    return listing


def listing_findings(
    before: dict[str, tuple[int, int, str]], after: dict[str, tuple[int, int, str]]
) -> list[str]:
    """Findings for every file created, changed or removed outside the build folder."""
    findings = [f'written outside the build: {name} created' for name in after.keys() - before]
    findings += [f'written outside the build: {name} removed' for name in before.keys() - after]
    findings += [
        f'written outside the build: {name} changed'
        for name in before.keys() & after.keys()
        if before[name] != after[name] and not after[name][2]
    ]
    return sorted(findings)
