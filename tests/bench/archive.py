"""Generate archives of issues, for the benchmark and the scale tests.

The same content in two syntaxes: the project's (front matter, chiffre du
mois, drugs presented with ``{medicament}`` and mentioned with ``{dci}``,
board, ``galien`` references, footcite) and plain Markdown for the stock
stack (myst-parser + sphinx-book-theme + sphinxcontrib-bibtex), so that the
benchmark compares like with like. Each issue discusses ten drugs: it presents
two and mentions eight (every other one by its brand).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

ROOT_CONF = 'from rootconf import *  # noqa: F403\n'

BIB = """@article{ravi2017,
  author  = {Ravì, Daniele and Wong, Charence},
  title   = {Deep Learning for Health Informatics},
  journal = {IEEE Journal of Biomedical and Health Informatics},
  year    = {2017}, volume = {21}, number = {1}, pages = {4--21},
}
"""

INDEX = """# Galien

```{toctree}
:glob:
:reversed:

issues/*
```
"""


#: Real cancer drugs: DCI, brand, laboratory, ATC code.
DRUGS = (
    ('osimertinib', 'Tagrisso®', 'AstraZeneca', 'L01EB04'),
    ('erlotinib', 'Tarceva®', 'Roche', 'L01EB02'),
    ('géfitinib', 'Iressa®', 'AstraZeneca', 'L01EB01'),
    ('afatinib', 'Giotrif®', 'Boehringer Ingelheim', 'L01EB03'),
    ('imatinib', 'Glivec®', 'Novartis', 'L01EA01'),
    ('dasatinib', 'Sprycel®', 'Bristol-Myers Squibb', 'L01EA02'),
    ('nilotinib', 'Tasigna®', 'Novartis', 'L01EA03'),
    ('ibrutinib', 'Imbruvica®', 'Janssen', 'L01EL01'),
    ('palbociclib', 'Ibrance®', 'Pfizer', 'L01EF01'),
    ('ribociclib', 'Kisqali®', 'Novartis', 'L01EF02'),
    ('abémaciclib', 'Verzenios®', 'Lilly', 'L01EF03'),
    ('crizotinib', 'Xalkori®', 'Pfizer', 'L01ED01'),
    ('alectinib', 'Alecensa®', 'Roche', 'L01ED03'),
    ('lorlatinib', 'Lorviqua®', 'Pfizer', 'L01ED05'),
    ('entrectinib', 'Rozlytrek®', 'Roche', 'L01EX14'),
    ('larotrectinib', 'Vitrakvi®', 'Bayer', 'L01EX12'),
    ('vémurafénib', 'Zelboraf®', 'Roche', 'L01EC01'),
    ('dabrafénib', 'Tafinlar®', 'Novartis', 'L01EC02'),
    ('tramétinib', 'Mekinist®', 'Novartis', 'L01EE01'),
    ('cabozantinib', 'Cabometyx®', 'Ipsen', 'L01EX07'),
    ('lenvatinib', 'Lenvima®', 'Eisai', 'L01EX08'),
    ('sorafénib', 'Nexavar®', 'Bayer', 'L01EX02'),
    ('sunitinib', 'Sutent®', 'Pfizer', 'L01EX01'),
    ('olaparib', 'Lynparza®', 'AstraZeneca', 'L01XK01'),
    ('niraparib', 'Zejula®', 'GSK', 'L01XK02'),
    ('nivolumab', 'Opdivo®', 'Bristol-Myers Squibb', 'L01FF01'),
    ('pembrolizumab', 'Keytruda®', 'MSD', 'L01FF02'),
    ('atézolizumab', 'Tecentriq®', 'Roche', 'L01FF05'),
    ('durvalumab', 'Imfinzi®', 'AstraZeneca', 'L01FF03'),
    ('ipilimumab', 'Yervoy®', 'Bristol-Myers Squibb', 'L01FX04'),
    ('trastuzumab', 'Herceptin®', 'Roche', 'L01FD01'),
    ('pertuzumab', 'Perjeta®', 'Roche', 'L01FD02'),
    ('trastuzumab emtansine', 'Kadcyla®', 'Roche', 'L01FD03'),
    ('trastuzumab déruxtécan', 'Enhertu®', 'Daiichi Sankyo', 'L01FD04'),
    ('bévacizumab', 'Avastin®', 'Roche', 'L01FG01'),
    ('cétuximab', 'Erbitux®', 'Merck', 'L01FE01'),
    ('rituximab', 'MabThera®', 'Roche', 'L01FA01'),
    ('daratumumab', 'Darzalex®', 'Janssen', 'L01FC01'),
    ('éribuline', 'Halaven®', 'Eisai', 'L01XX41'),
    ('enzalutamide', 'Xtandi®', 'Astellas', 'L02BB04'),
    ('abiratérone', 'Zytiga®', 'Janssen', 'L02BX03'),
    ('lénalidomide', 'Revlimid®', 'Bristol-Myers Squibb', 'L04AX04'),
    ('pomalidomide', 'Imnovid®', 'Bristol-Myers Squibb', 'L04AX06'),
)
DRUGS_PER_ISSUE = 10
PRESENTED_PER_ISSUE = 2


def issue_drugs(numero: int) -> list[tuple[str, str, str, str]]:
    """The ten different drugs of an issue; the first two are presented."""
    return [DRUGS[(2 * numero + k) % len(DRUGS)] for k in range(DRUGS_PER_ISSUE)]


def drug_texts(numero: int, year: int, month: int, *, plain: bool) -> tuple[str, str]:
    """The issue's presentations, and a paragraph mentioning its other drugs."""
    drugs = issue_drugs(numero)
    presentations = []
    for dci, brand, laboratory, atc in drugs[:PRESENTED_PER_ISSUE]:
        if plain:
            presentations.append(
                f'### {dci} – {brand}\n\n**Laboratoire** : {laboratory}\n\n'
                f'**Classe ATC** : {atc}\n\n**Statut** : AMM ({month:02d}/{year})\n\n'
                f'Présentation, numéro {numero} : {dci}.\n'
            )
        else:
            presentations.append(
                f'```{{medicament}} {dci}\n:specialite: {brand}\n:laboratoire: {laboratory}\n'
                f':atc: {atc}\n:statut: AMM\n:date: {year:04d}-{month:02d}\n\n'
                f'Présentation, numéro {numero} : {dci}.\n```\n'
            )
    names = []
    for index, (dci, brand, _laboratory, _atc) in enumerate(drugs[PRESENTED_PER_ISSUE:]):
        if plain:
            names.append(brand if index % 2 else dci)
        else:
            names.append(f'{{dci}}`{brand} <{dci}>`' if index % 2 else f'{{dci}}`{dci}`')
    mentions = f'Sont aussi cités : {", ".join(names)}.\n'
    return '\n'.join(presentations), mentions


def cited_numbers(numero: int) -> list[int]:
    """Each issue cites the previous one and the one half its number."""
    return [n for n in (numero - 1, numero // 2) if n >= 1]


def front_matter(numero: int, year: int, month: int) -> str:
    return f"""---
numero: {numero}
date: {year:04d}-{month:02d}
titre: Numéro {numero} & « suite »
---
"""


def issue_text(numero: int, year: int, month: int) -> str:
    """One issue: front matter, chiffre du mois, drugs, article citing older issues, board."""
    cited = ' et '.join(f'{{galien}}`{n}`' for n in cited_numbers(numero))
    reference = f'(cf {cited})' if cited else ''
    presentations, mentions = drug_texts(numero, year, month, plain=False)
    return (
        front_matter(numero, year, month)
        + f"""
```{{chiffre-du-mois}} {numero},5 %
:source: https://example.org/chiffres/{numero}?a=1&b=2

C'est la part des **patients** concernés en {year} : une donnée {reference}.
```

# Nouvelles AMM

{presentations}
# Dans l'actualité

## Article {numero}

Un article sur les médicaments innovants {reference}.

{mentions}
Source : {{footcite:t}}`ravi2017`

```{{footbibliography}}
```

```{{board}} Board scientifique
- Pr P. Arnaud (Paris)
- Dr F. Pinguet (Montpellier)
```
"""
    )


def plain_issue_text(numero: int, year: int, month: int) -> str:
    """The same issue as :func:`issue_text`, in Markdown the stock stack understands."""
    cited = ' et '.join(f'[Galien {n}]({n:03d}.md)' for n in cited_numbers(numero))
    reference = f'(cf {cited})' if cited else ''
    presentations, mentions = drug_texts(numero, year, month, plain=True)
    return (
        front_matter(numero, year, month)
        + f"""
# Galien N° {numero} – {month:02d}/{year}

## Le chiffre du mois

**{numero},5 %**

C'est la part des **patients** concernés en {year} : une donnée {reference}.

Source : <https://example.org/chiffres/{numero}?a=1&b=2>

## Nouvelles AMM

{presentations}
## Dans l'actualité

### Article {numero}

Un article sur les médicaments innovants {reference}.

{mentions}
Source : {{footcite:t}}`ravi2017`

```{{footbibliography}}
```

## Board scientifique

- Pr P. Arnaud (Paris)
- Dr F. Pinguet (Montpellier)
"""
    )


def issue_date(numero: int, first_year: int) -> tuple[int, int]:
    """Monthly issues from January of ``first_year``."""
    return first_year + (numero - 1) // 12, (numero - 1) % 12 + 1


def write_issues(root: Path, count: int, first_year: int = 2018, *, plain: bool = False) -> None:
    """Write ``issues/001.md`` ... in the project's syntax, or in plain Markdown."""
    (root / 'issues').mkdir(parents=True, exist_ok=True)
    text = plain_issue_text if plain else issue_text
    for numero in range(1, count + 1):
        path = root / 'issues' / f'{numero:03d}.md'
        path.write_text(text(numero, *issue_date(numero, first_year)), encoding='utf-8')


def write_archive(root: Path, count: int, first_year: int = 2018) -> Path:
    """Write a Sphinx project of ``count`` monthly issues starting January ``first_year``."""
    (root / 'issues').mkdir(parents=True, exist_ok=True)
    (root / 'conf.py').write_text(ROOT_CONF, encoding='utf-8')
    (root / 'refs.bib').write_text(BIB, encoding='utf-8')
    (root / 'index.md').write_text(INDEX, encoding='utf-8')
    write_issues(root, count, first_year)
    return root
