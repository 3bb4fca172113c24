"""A project whose build lets raw HTML past the parser, to show the sanitiser catches it."""

from docutils import nodes
from sphinx.transforms import SphinxTransform

from rootconf import *  # noqa: F403

HOSTILE = (
    '<script>alert(1)</script>'
    '<p>Un <a href="javascript:alert(2)" onclick="alert(3)">lien piégé</a> '
    'et une <a href="https://www.has-sante.fr/">vraie adresse</a>.</p>'
    '<iframe src="https://piege.example/"></iframe>'
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="image data" onerror="alert(4)">'
    '<form action="https://piege.example/"><input name="motdepasse"></form>'
    '<meta http-equiv="refresh" content="0; url=https://piege.example/">'
    '<base href="https://piege.example/">'
    '<p style="background: url(javascript:alert(5)); width: 50%">Fond piégé.</p>'
)


class InjectBelowTheAllowList(SphinxTransform):
    """Stands for a bug or an extension that lets raw HTML into an issue's doctree."""

    default_priority = 900

    def apply(self, **kwargs):
        if self.env.docname.startswith('issues/'):
            self.document.append(nodes.raw('', HOSTILE, format='html'))


def setup(app):
    app.add_transform(InjectBelowTheAllowList)
