"""The letter's language: the only front-matter keys, directives, roles and options a page may use.

The letter accepts what is written here and nothing else: a directive, role or
option that a new release of docutils, Sphinx or MyST adds is refused until it
is listed, because it is not listed (:mod:`galien.content.parser` applies the
table). Each value an option or argument may take has a syntax, checked whole
against a pattern without nested quantifiers, so that checking is linear in the
value's length. The guide's table is made from this one when the guide is built
(``docs/_ext/galien_guide.py``; ``python -m galien langage`` prints it).

Some constructs belong to the project's own pages (the home page, the
listings) and are refused in issue files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from galien.content.drug_markup import OPTIONS as DRUG_OPTIONS

#: Longer values are refused whatever their syntax: nothing in a letter needs more.
MAX_VALUE_LENGTH: Final = 2000


@dataclass(frozen=True)
class Syntax:
    """What an argument's or option's value may look like, and its French name for the guide."""

    label: str
    pattern: re.Pattern[str]

    def accepts(self, value: str) -> bool:
        return len(value) <= MAX_VALUE_LENGTH and self.pattern.fullmatch(value) is not None


TEXT: Final = Syntax('texte sur une ligne', re.compile(r'[^\n]*'))
FLAG: Final = Syntax('rien (option sans valeur)', re.compile(r'\s*'))
INTEGER: Final = Syntax('nombre entier', re.compile(r'\s*[0-9]{1,4}\s*'))
WEB_ADDRESS: Final = Syntax('adresse https:// ou http://', re.compile(r'https?://[^\s<>"\'`\\]+'))
FILE_PATH: Final = Syntax(
    'chemin d’un fichier du projet (lettres, chiffres, `-`, `_`, `.`, `/`)',
    re.compile(r'[A-Za-z0-9_./-]+'),
)
LENGTH: Final = Syntax(
    'longueur (`300px`, `50%`, `8cm`…)',
    re.compile(r'[0-9]{1,4}(?:\.[0-9]{1,3})?(?:px|%|em|cm|mm|pt)?'),
)
ALIGN: Final = Syntax('`left`, `center` ou `right`', re.compile(r'left|center|right'))
CLASSES: Final = Syntax(
    'noms de classes (`galien-pleine-largeur`, `galien-colonne`…)',
    re.compile(r'[a-z][a-z0-9-]{0,40}(?: [a-z][a-z0-9-]{0,40}){0,7}'),
)
LABEL: Final = Syntax(
    'étiquette (lettres, chiffres, `-`, `_`)', re.compile(r'[A-Za-z0-9][A-Za-z0-9_-]{0,80}')
)
WIDTHS: Final = Syntax(
    '`auto`, `grid` ou des nombres (`20 30 50`)',
    re.compile(r'auto|grid|[0-9]{1,3}(?:[ ,]+[0-9]{1,3}){0,19}'),
)
DELIMITER: Final = Syntax('un caractère (`;`, `,`, `tab`)', re.compile(r'[;,|]|tab|space'))


@dataclass(frozen=True)
class Construct:
    """A directive or role a page may use; ``pages_only`` ones are refused in issue files."""

    name: str
    purpose: str
    argument: Syntax | None = None
    options: dict[str, Syntax] = field(default_factory=dict)
    pages_only: bool = False


def _admonition(name: str, title: str) -> Construct:
    return Construct(name, f'encadré « {title} »', options={'class': CLASSES, 'name': LABEL})


#: Options every table directive takes.
_TABLE_OPTIONS: Final = {'class': CLASSES, 'name': LABEL, 'widths': WIDTHS, 'align': ALIGN}
_IMAGE_OPTIONS: Final = {
    'alt': TEXT,
    'width': LENGTH,
    'height': LENGTH,
    'align': ALIGN,
    'class': CLASSES,
    'name': LABEL,
}

DIRECTIVES: Final[dict[str, Construct]] = {
    construct.name: construct
    for construct in (
        Construct('chiffre-du-mois', 'le chiffre du mois et son texte', TEXT, {'source': TEXT}),
        Construct('board', 'le board scientifique, un membre par ligne', TEXT),
        Construct(
            'medicament', 'la fiche d’un médicament', TEXT, dict.fromkeys(DRUG_OPTIONS, TEXT)
        ),
        Construct('footbibliography', 'les sources citées, en fin d’article'),
        Construct(
            'figure',
            'une image avec sa légende',
            FILE_PATH,
            {**_IMAGE_OPTIONS, 'target': WEB_ADDRESS},
        ),
        Construct('image', 'une image', FILE_PATH, {**_IMAGE_OPTIONS, 'target': WEB_ADDRESS}),
        Construct('table', 'un tableau Markdown avec son titre', TEXT, _TABLE_OPTIONS),
        Construct(
            'list-table',
            'un tableau écrit en listes',
            TEXT,
            {**_TABLE_OPTIONS, 'header-rows': INTEGER, 'stub-columns': INTEGER},
        ),
        Construct(
            'csv-table',
            'un tableau aux valeurs séparées par des virgules, écrit dans le numéro',
            TEXT,
            {**_TABLE_OPTIONS, 'header-rows': INTEGER, 'header': TEXT, 'delim': DELIMITER},
        ),
        Construct('math', 'une formule centrée', TEXT, {'label': LABEL, 'name': LABEL}),
        Construct('admonition', 'un encadré avec son propre titre', TEXT, {'class': CLASSES}),
        _admonition('note', 'Note'),
        _admonition('warning', 'Avertissement'),
        _admonition('important', 'Important'),
        _admonition('tip', 'Astuce'),
        _admonition('caution', 'Prudence'),
        _admonition('attention', 'Attention'),
        _admonition('danger', 'Danger'),
        _admonition('error', 'Erreur'),
        _admonition('hint', 'Indication'),
        _admonition('seealso', 'Voir aussi'),
        Construct(
            'toctree',
            'le sommaire d’une page du projet',
            options={
                'glob': FLAG,
                'hidden': FLAG,
                'reversed': FLAG,
                'titlesonly': FLAG,
                'maxdepth': INTEGER,
                'caption': TEXT,
            },
            pages_only=True,
        ),
        Construct('galien-archives', 'la liste des numéros', pages_only=True),
        Construct('galien-chiffres', 'les chiffres du mois', pages_only=True),
        Construct('galien-dernier-numero', 'le dernier numéro', pages_only=True),
        Construct('galien-medicaments', 'l’index des médicaments', pages_only=True),
    )
}

ROLES: Final[dict[str, Construct]] = {
    construct.name: construct
    for construct in (
        Construct('galien', 'un ancien numéro (`` {galien}`7` ``)', TEXT),
        Construct('dci', 'un médicament par sa DCI', TEXT),
        Construct('medicament:dci', 'un médicament par sa DCI (nom long de `dci`)', TEXT),
        Construct('footcite', 'une source, appel numéroté', TEXT),
        Construct('footcite:p', 'une source, appel numéroté', TEXT),
        Construct('footcite:ps', 'une source, appel numéroté, tous les auteurs', TEXT),
        Construct('footcite:t', 'une source, « Auteur et al., année »', TEXT),
        Construct('footcite:ts', 'une source, « Auteur, Auteur, année »', TEXT),
        Construct('ref', 'renvoi à une rubrique du numéro, marquée `(etiquette)=`', TEXT),
        Construct('math', 'une formule dans le texte', TEXT),
        Construct('sub', 'indice (`` {sub}`2` ``)', TEXT),
        Construct('sup', 'exposant (`` {sup}`2` ``)', TEXT),
        Construct('abbr', 'abréviation et sa forme longue', TEXT),
        Construct('download', 'un fichier du projet à télécharger', TEXT),
    )
}

#: What an issue's front matter may say (guide, « Rédiger » › « L'en-tête du numéro »).
FRONT_MATTER_KEYS: Final = ('numero', 'date', 'titre', 'brouillon')


def find(table: dict[str, Construct], name: str, *, in_issue: bool) -> Construct | None:
    """The construct ``name`` names, if a page of this kind may use it."""
    construct = table.get(name.lower())
    if construct is None or (construct.pages_only and in_issue):
        return None
    return construct


def _table_rows(kind: str, table: dict[str, Construct]) -> list[str]:
    rows = []
    for construct in table.values():
        where = 'pages du projet' if construct.pages_only else 'numéros et pages'
        argument = construct.argument.label if construct.argument else '—'
        options = (
            '<br>'.join(f'`:{name}:` {syntax.label}' for name, syntax in construct.options.items())
            or '—'
        )
        rows.append(
            f'| `{{{construct.name}}}` | {kind} | {construct.purpose} | {argument} | '
            f'{options} | {where} |'
        )
    return rows


def guide_table() -> str:
    """The guide's table of the letter's language, in Markdown."""
    header = [
        '| Nom | Sorte | Pour | Argument / texte | Options | Où |',
        '|-----|-------|------|------------------|---------|----|',
    ]
    rows = _table_rows('directive', DIRECTIVES) + _table_rows('rôle', ROLES)
    keys = ', '.join(f'`{key}`' for key in FRONT_MATTER_KEYS)
    return '\n'.join([*header, *rows, '', f'Clés de l’en-tête d’un numéro : {keys}.'])
