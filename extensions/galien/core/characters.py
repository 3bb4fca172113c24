"""Characters that have no place in a letter, wherever its text comes from.

NUL and the other control characters (C0 but tab, newline and carriage return;
DEL; C1), U+FFFD (the trace of a bad conversion) and the non-characters U+FFFE
and U+FFFF make an ePub page or a feed ill-formed XML. They are taken out of an
issue's source as it is read (:mod:`galien.content.source_checks`), and out of
front-matter values, where YAML's escapes (``"\\x01"``) can write them.
"""

from __future__ import annotations

import re

BAD_CHARACTERS = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufffe\uffff]')
