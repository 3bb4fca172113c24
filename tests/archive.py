"""Generate an archive of issues in the project's real syntax, for scale tests."""

from __future__ import annotations

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


def issue_text(numero: int, year: int, month: int) -> str:
    """One issue: front matter, chiffre du mois, article citing older issues, board."""
    cited = ' et '.join(f'{{galien}}`{n}`' for n in (numero - 1, numero // 2) if n >= 1)
    reference = f'(cf {cited})' if cited else ''
    return f"""---
numero: {numero}
date: {year:04d}-{month:02d}
titre: Numéro {numero} & « suite »
---

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


def write_archive(root: Path, count: int, first_year: int = 2018) -> Path:
    """Write a Sphinx project of ``count`` monthly issues starting January ``first_year``."""
    (root / 'issues').mkdir(parents=True, exist_ok=True)
    (root / 'conf.py').write_text(ROOT_CONF, encoding='utf-8')
    (root / 'refs.bib').write_text(BIB, encoding='utf-8')
    (root / 'index.md').write_text(INDEX, encoding='utf-8')
    for numero in range(1, count + 1):
        year, month = first_year + (numero - 1) // 12, (numero - 1) % 12 + 1
        path = root / 'issues' / f'{numero:03d}.md'
        path.write_text(issue_text(numero, year, month), encoding='utf-8')
    return root
