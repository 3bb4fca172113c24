"""How drugs are named: folding, keys, French order, and the anchors derived from names.

A drug is known by its DCI (international non-proprietary name). Case and
accents do not split a drug: ``Atézolizumab``, ``atezolizumab`` and
``atézolizumab`` share the key ``atezolizumab``. Sorting follows French
dictionaries: accents and case ignored first (``éribuline`` between
``entrectinib`` and ``erlotinib``). Pure functions, no Sphinx: the role, the
domain and the index page agree on names because they all ask here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: Trademark signs are part of how a brand is written, not of what it names.
BRAND_SIGNS = '®™©'
LIGATURES = str.maketrans({'œ': 'oe', 'Œ': 'OE', 'æ': 'ae', 'Æ': 'AE', 'ß': 'ss'})


@cache
def fold(text: str) -> str:
    """Lower case, no accents, no ligatures, single spaces: ``Atézolizumab`` -> ``atezolizumab``."""
    decomposed = unicodedata.normalize('NFKD', text.translate(LIGATURES))
    bare = ''.join(c for c in decomposed if not unicodedata.combining(c))
    return ' '.join(bare.casefold().split())


def drug_key(dci: str) -> str:
    """The key of a DCI: what two spellings of one drug have in common."""
    return fold(dci)


def brand_key(brand: str) -> str:
    """The key of a brand: ``Tagrisso®`` and ``TAGRISSO`` are one brand."""
    return fold(brand.translate({ord(c): None for c in BRAND_SIGNS}))


def is_drug_name(name: str) -> bool:
    """A DCI or a brand has letters, and no ``<`` or ``>`` left over from a link-like target.

    ``{dci}`<>```, ``{dci}`<<>>``` or ``{dci}`[ ]``` would otherwise become entries
    of the index (and of ``medicaments.json``) that name nothing.
    """
    return any(c.isalpha() for c in name) and not any(c in '<>' for c in name)


def sort_key(name: str) -> tuple[str, str]:
    """French dictionary order: accents and case ignored, then the exact spelling."""
    return (brand_key(name), name.casefold())


def slug(key: str) -> str:
    """``trastuzumab emtansine`` -> ``trastuzumab-emtansine``, for anchors."""
    return re.sub(r'[^a-z0-9]+', '-', key).strip('-') or 'x'


def index_anchor(key: str) -> str:
    """The id of a DCI's entry on the index page."""
    return f'dci-{slug(key)}'


def presentation_anchor(key: str) -> str:
    """The id of a ``{medicament}`` block in its issue (``medicament-osimertinib``)."""
    return f'medicament-{re.sub(r"[^a-z0-9]+", "-", key).strip("-")}'


def mention_anchor(key: str, earlier: int) -> str:
    """The id of a mention after ``earlier`` ones of the same DCI in the document.

    ``mention-osimertinib``, then ``mention-osimertinib-2``…
    """
    base = f'mention-{slug(key)}'
    return base if earlier == 0 else f'{base}-{earlier + 1}'
