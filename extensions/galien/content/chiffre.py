"""The ``chiffre-du-mois`` directive: the figure of the month, framed and set large.

.. code-block:: markdown

   ```{chiffre-du-mois} 15
   :source: https://www.leem.org/...

   C'est le nombre d'objectifs détaillés par **Les Entreprises du Médicament**...
   ```

``:source:`` is a web address, or the key of an entry of ``references.bib``
(``:source: leem2017``), then printed as the footnotes print references.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from galien.content.bibliography import bib_entry, reference_nodes
from galien.content.blocks import galien_block, skip_frame, visitors_for
from galien.core.i18n import _, __
from galien.core.model import Chiffre, is_web_url
from galien.core.registry import galien_domain
from galien.core.report import warn
from galien.core.subtypes import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator


logger = logging.getLogger(__name__)


class chiffre_du_mois(galien_block):  # noqa: N801 (docutils naming)
    """The framed block; ``figure`` and ``source`` are kept as attributes."""


class chiffre_figure(nodes.Part, nodes.TextElement):  # noqa: N801
    """The figure itself ("15", "3,5 %"), which every output sets very large."""


class ChiffreDuMoisDirective(SphinxDirective):
    """Le chiffre du mois: argument = the figure as written, body = explanation."""

    # Optional for docutils, so that a missing figure gets our message, not a parser error.
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[OptionSpec] = {'source': directives.unchanged}

    def run(self) -> list[nodes.Node]:
        domain = galien_domain(self.env)
        figure = self.arguments[0].strip() if self.arguments else ''
        if not figure:
            self._warn(
                __(
                    "le chiffre du mois n'a pas de chiffre : écrivez-le après la "
                    'directive, par ex. « ```{chiffre-du-mois} 15 »'
                )
            )
            return []
        source = self.options.get('source', '').strip()

        if self.env.docname in domain.chiffres:
            self._warn(__('un seul chiffre du mois par numéro : celui-ci est ignoré'))
            return []
        if not self.content or not ''.join(self.content).strip():
            self._warn(__("le chiffre du mois %r n'a pas de texte explicatif"), figure)
        reference = ''
        if 'source' in self.options and not is_web_url(source):
            if source and bib_entry(self.env, source) is not None:
                reference, source = source, ''
                for bibfile in self.config.bibtex_bibfiles:
                    self.env.note_dependency(self.env.srcdir / bibfile)
            else:
                self._warn(
                    __(
                        ':source: doit être une adresse web complète (https://...) ou la clé '
                        "d'une référence de references.bib, pas %r"
                    ),
                    source,
                )
                source = ''

        node = chiffre_du_mois(label=str(_('Figure of the month')), figure=figure, source=source)
        node['classes'].append('galien-chiffre')
        node['names'].append('chiffre-du-mois')
        self.set_source_info(node)
        self.state.document.note_implicit_target(node, node)

        node += chiffre_figure(figure, figure)
        explanation = self.parse_content_to_nodes(allow_section_headings=False)
        node += explanation
        summary = ' '.join(n.astext() for n in explanation if isinstance(n, nodes.paragraph))
        chiffre = Chiffre(figure, summary, source, reference)
        line = source_line(self.env, chiffre)
        if line is not None:
            node += line
        domain.note_chiffre(self.env.docname, chiffre)
        return [node]

    def _warn(self, message: str, *args: object) -> None:
        warn(logger, message, *args, location=self.get_location(), subtype=Subtype.CHIFFRE)


def source_line(env: BuildEnvironment, chiffre: Chiffre) -> nodes.paragraph | None:
    """« Source : » and the chiffre's reference or address, wherever the chiffre is shown."""
    if not chiffre.source and not chiffre.reference:
        return None
    paragraph = nodes.paragraph('', str(_('Source: ')), classes=['galien-source'])
    if chiffre.reference:
        paragraph += reference_nodes(env, chiffre.reference)
    else:
        paragraph += nodes.reference(chiffre.source, chiffre.source, refuri=chiffre.source)
    return paragraph


def visit_figure_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, 'p', CLASS='galien-chiffre-valeur'))


def depart_figure_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append('</p>\n')


def visit_figure_latex(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append('\n\\galienchiffrevaleur{')


def depart_figure_latex(self: LaTeXTranslator, node: nodes.Element) -> None:
    self.body.append('}\n\n')


def visit_figure_text(self: TextTranslator, node: nodes.Element) -> None:
    self.new_state(0)


def depart_figure_text(self: TextTranslator, node: nodes.Element) -> None:
    self.end_state()


def setup(app: Sphinx) -> None:
    app.add_node(chiffre_du_mois, override=False, **visitors_for('section', 'galienchiffre'))
    app.add_node(
        chiffre_figure,
        html=(visit_figure_html, depart_figure_html),
        latex=(visit_figure_latex, depart_figure_latex),
        text=(visit_figure_text, depart_figure_text),
        # man and texinfo have no paragraph states: the figure is plain text there.
        man=(skip_frame, skip_frame),
        texinfo=(skip_frame, skip_frame),
    )
    app.add_directive('chiffre-du-mois', ChiffreDuMoisDirective)
