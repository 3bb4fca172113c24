"""The review PDF: one issue, as printed, with « BROUILLON » on every page and numbered lines.

``make relecture NUMERO=21`` builds with ``galien_relecture = 21`` (drafts
shown, :mod:`galien.build.drafts`) in a build folder of its own, so that the
published PDFs are never mixed with it. The print edition then writes that
issue only, as ``galien-021-relecture.tex``; the preamble adds the watermark
(``draftwatermark``, on every page) and line numbers in the margin (``lineno``,
restarted on each page, so that a board member can answer « p. 2, ligne 34 »),
both in TeX Live's ``texlive-latex-recommended``/``texlive-latex-extra``. It
works for a draft and for a published issue alike. lineno (5.1) loses the text
of a *breakable* tcolorbox, so the letter's blocks are kept whole here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.texescape import escape

from galien.core.i18n import _, __
from galien.core.registry import galien_domain
from galien.core.report import warn
from galien.core.subtypes import Subtype
from galien.core.urls import issue_file_stem

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

    from galien.core.model import Issue

logger = logging.getLogger(__name__)

#: Added to the name of the issue's files: ``galien-021-relecture.pdf``.
SUFFIX = '-relecture'


def review_number(config: Config) -> int:
    """The number ``make relecture`` asked for; 0 for the print edition itself."""
    return int(config.galien_relecture or 0)


def file_stem(config: Config, numero: int) -> str:
    """``galien-021``, or ``galien-021-relecture`` in a review build."""
    stem = issue_file_stem(numero)
    return f'{stem}{SUFFIX}' if review_number(config) else stem


def issues_to_print(env: BuildEnvironment) -> list[Issue]:
    """Every issue; in a review build, the one issue to review (said when there is none)."""
    issues = galien_domain(env).ordered_issues()
    wanted = review_number(env.config)
    if not wanted:
        return issues
    chosen = [issue for issue in issues if issue.numero == wanted]
    if not chosen:
        warn(
            logger,
            __('relecture : aucun numéro %d dans %s/ (numéros présents : %s)'),
            wanted,
            env.config.galien_issues_dir,
            ', '.join(str(issue.numero) for issue in issues) or '-',
            subtype=Subtype.RELECTURE,
        )
    return chosen


def review_preamble(config: Config) -> str:
    word = escape(str(_('DRAFT')), config.latex_engine)
    return (
        '\n% The review PDF (make relecture): watermark and line numbers.\n'
        '\\usepackage{draftwatermark}\n'
        f'\\DraftwatermarkOptions{{text={{{word}}},color={{[gray]{{0.85}}}},'
        'fontsize=0.16\\paperwidth,angle=45}\n'
        '\\usepackage[pagewise]{lineno}\n'
        '\\renewcommand{\\linenumberfont}{\\normalfont\\tiny\\sffamily\\color{gray}}\n'
        '\\AtBeginDocument{\\linenumbers}\n'
        # lineno loses the text of a breakable tcolorbox (the chiffre, a drug):
        # in the review PDF the letter's blocks do not break across columns.
        '\\tcbset{breakable/.style={}}\n'
    )


def add_review_marks(app: Sphinx, config: Config) -> None:
    if not review_number(config):
        return
    elements = dict(config.latex_elements)
    elements['preamble'] = elements.get('preamble', '') + review_preamble(config)
    config.latex_elements = elements


def setup(app: Sphinx) -> None:
    app.connect('config-inited', add_review_marks)
