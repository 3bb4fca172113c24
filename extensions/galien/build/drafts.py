"""Draft issues: read and checked like any issue, carried by no published edition.

An issue whose front matter says ``brouillon: oui`` is a draft. A published
build (``galien_drafts`` false, the default) reads and checks it, so that its
warnings are shown, then forgets it: every edition then builds as if its file
were not there yet. No page, toctree entry, search entry, listing, feed entry,
drug, chiffre, PDF or e-mail can carry what the build does not know.

How, with Sphinx 9.0.4's public API: when the documents to read are known
(``env-before-read-docs``, the one event that may change that list), each draft
is taken out of the project's documents (:func:`leave_out_of_build`) and of
the list, read on its own with :meth:`Builder.read_doc`, and purged as Sphinx
purges a deleted file (``env-purge-doc`` and :meth:`BuildEnvironment.clear_doc`),
keeping only its :class:`~galien.core.model.Issue` in the registry, set aside
(so that ``{galien}`21``` can say "a draft" and ``make send`` refuse one).
Each build finds the draft again, as a new document, and reads it again: its
warnings are shown on every build. Outputs of an issue that becomes a draft are
deleted like those of a removed document (:mod:`galien.build.written`); the
issues citing it and the globbed toctrees listing it are read again.

A preview build (``make html BROUILLONS=1``, ``make livehtml``, Read the Docs'
pull-request builds) sets ``galien_drafts``: drafts are then issues like the
others, listed where they will be, each page marked « Brouillon ».
``make relecture`` (``galien_relecture``, the number to review) shows drafts too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from galien.build.documents import leave_out_of_build
from galien.core.front_matter import DRAFT_KEY, front_matter_fields, is_draft
from galien.core.i18n import __
from galien.core.registry import galien_domain

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


logger = logging.getLogger(__name__)


#: The front matter's key.
def drafts_shown(config: Config) -> bool:
    """Whether this build shows the drafts: a preview, or the review PDF of one issue."""
    return bool(config.galien_drafts) or bool(config.galien_relecture)


def is_issue_doc(env: BuildEnvironment, docname: str) -> bool:
    return docname.startswith(env.config.galien_issues_dir.strip('/') + '/')


def draft_on_disk(env: BuildEnvironment, docname: str) -> bool:
    """Whether the issue file says ``brouillon`` (anything but no) in its front matter."""
    try:
        text = env.doc2path(docname).read_text(encoding='utf-8')
    except (OSError, UnicodeDecodeError):
        return False  # the encoding check says what is wrong with it
    if DRAFT_KEY not in text:
        return False  # most files: no need to parse them
    return is_draft(front_matter_fields(env, docname) or {})


def drafts_found(env: BuildEnvironment) -> list[str]:
    """The issue files that are drafts, in the project's documents as found."""
    return sorted(d for d in env.found_docs if is_issue_doc(env, d) and draft_on_disk(env, d))


def outdate_for_drafts(
    app: Sphinx,
    env: BuildEnvironment,
    added: Set[str],
    changed: Set[str],
    removed: Set[str],
) -> list[str]:
    """An issue that becomes a draft changes the issues citing it and the globbed toctrees.

    (A draft that becomes an issue is a new document to Sphinx, which handles
    both already.)
    """
    if drafts_shown(env.config):
        return []
    domain = galien_domain(env)
    drafts = set(drafts_found(env))
    withdrawn = {i.numero for docname, i in domain.issues_by_doc.items() if docname in drafts}
    if not withdrawn:
        return []
    citing = {
        docname
        for docname, citations in domain.citations.items()
        if any(c.numero in withdrawn for c in citations)
    }
    return sorted((citing | env.glob_toctrees) - drafts)


def set_drafts_aside(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Read each draft on its own, keep its issue aside, and leave it out of the build."""
    domain = galien_domain(env)
    domain.forget_drafts()
    if drafts_shown(env.config):
        return
    for docname in drafts_found(env):
        leave_out_of_build(env, docname)
        if docname in docnames:
            docnames.remove(docname)
        app.emit('env-purge-doc', env, docname)
        env.clear_doc(docname)
        app.builder.read_doc(docname)
        issue = domain.issue_of(docname)
        app.emit('env-purge-doc', env, docname)
        env.clear_doc(docname)
        # Its doctree too: nothing of a draft is kept where the build's files are.
        (Path(app.doctreedir) / f'{docname}.doctree').unlink(missing_ok=True)
        if issue is not None:
            domain.note_draft(issue)


def announce_drafts(app: Sphinx, env: BuildEnvironment) -> None:
    """Name the drafts in the build's log, so that nobody forgets one."""
    domain = galien_domain(env)
    for issue in domain.draft_issues():
        if drafts_shown(env.config):
            message = __('brouillon montré (aperçu) : %s, N° %d')
        else:
            message = __('brouillon, publié dans aucune édition : %s, N° %d')
        logger.info(message, env.doc2path(issue.docname, base=False), issue.numero)


def setup(app: Sphinx) -> None:
    app.connect('env-get-outdated', outdate_for_drafts)
    # After the encoding check (content/source_checks.py), which leaves out unreadable files.
    app.connect('env-before-read-docs', set_drafts_aside, priority=800)
    app.connect('env-updated', announce_drafts)
