"""Generate archives of issues, for the benchmark and the scale tests.

The same content in two syntaxes: the project's (front matter, chiffre du
mois, board, ``galien`` references, footcite) and plain Markdown for the
stock stack (myst-parser + sphinx-book-theme + sphinxcontrib-bibtex), so
that the benchmark compares like with like.
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
    """One issue: front matter, chiffre du mois, article citing older issues, board."""
    cited = ' et '.join(f'{{galien}}`{n}`' for n in cited_numbers(numero))
    reference = f'(cf {cited})' if cited else ''
    return (
        front_matter(numero, year, month)
        + f"""
```{{chiffre-du-mois}} {numero},5 %
:source: https://example.org/chiffres/{numero}?a=1&b=2

C'est la part des **patients** concernés en {year} : une donnée {reference}.
```

# Dans l'actualité

## Article {numero}

Un article sur les médicaments innovants {reference}.

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
    return (
        front_matter(numero, year, month)
        + f"""
# Galien N° {numero} – {month:02d}/{year}

## Le chiffre du mois

**{numero},5 %**

C'est la part des **patients** concernés en {year} : une donnée {reference}.

Source : <https://example.org/chiffres/{numero}?a=1&b=2>

## Dans l'actualité

### Article {numero}

Un article sur les médicaments innovants {reference}.

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
