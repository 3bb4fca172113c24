"""The monthly workflow: an incremental build after an ordinary edit equals a clean build.

One copy of the project is built again and again, every edition sharing its
doctrees as ``make site`` does, in a different order after each edit; after
each edit a clean build of the same sources is made beside it (every edition in
one process: ``one_process_build``), and every output
file is compared (the ePub member by member), with only build dates and MIME
boundaries forgiven (``tests/tools/compare_builds.py``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from archive import issue_text
from conftest import PROJECT_DIR, TESTS_DIR
from helpers import assert_epub_clean, clean_build, run_sphinx

sys.path.insert(0, str(TESTS_DIR / 'tools'))
from compare_builds import outputs

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.slow

#: The project's own files that make the letter, with the extension (edited by one step).
SOURCES = ('conf.py', 'index.md', 'chiffres.md', 'medicaments.md', 'references.bib')
#: A page that is neither an issue nor a listing, which one edit deletes.
PAGE = '# À propos\n\nLa lettre du CPPCC, publiée chaque mois.\n'

SOURCE_DIRS = ('issues', 'archives', '_static')
EDITIONS = ('html', 'epub', 'email', 'latex')


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in SOURCES:
        shutil.copy2(PROJECT_DIR / name, target / name)
    for name in SOURCE_DIRS:
        shutil.copytree(PROJECT_DIR / name, target / name)
    shutil.copytree(
        PROJECT_DIR / 'extensions',
        target / 'extensions',
        ignore=shutil.ignore_patterns('__pycache__'),
    )
    (target / 'apropos.md').write_text(PAGE, encoding='utf-8')
    replace_in(target / 'index.md', ':hidden:\n\nchiffres\n', ':hidden:\n\nchiffres\napropos\n')
    for numero, month in ((21, 3), (22, 4)):
        (target / 'issues' / f'{numero:03d}.md').write_text(
            issue_text(numero, 2018, month), encoding='utf-8'
        )
    return target


def build(source: Path, build_dir: Path, builders: tuple[str, ...]) -> None:
    """``sphinx-build -M`` for each edition in turn, in one build folder, as ``make`` does."""
    for builder in builders:
        result = run_sphinx('-M', builder, str(source), str(build_dir), '-q', timeout=600)
        assert result.returncode == 0, f'{builder}:\n{result.stdout}{result.stderr}'
        assert 'Traceback' not in result.stderr, result.stderr


def differences(incremental: Path, clean: Path) -> list[str]:
    before, after = outputs(clean), outputs(incremental)
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding='utf-8')
    assert old in text, f'{old!r} not in {path}'
    path.write_text(text.replace(old, new, 1), encoding='utf-8')


def add_issue(source: Path) -> None:
    (source / 'issues/023.md').write_text(issue_text(23, 2018, 5), encoding='utf-8')


def delete_issue(source: Path) -> None:
    (source / 'issues/022.md').unlink()


def change_titre(source: Path) -> None:
    replace_in(source / 'issues/021.md', 'titre: Numéro 21', 'titre: Le numéro 21')


def mention_drug(source: Path) -> None:
    with (source / 'issues/020.md').open('a', encoding='utf-8') as issue:
        issue.write('\nVoir aussi {dci}`nivolumab`.\n')


def delete_page(source: Path) -> None:
    (source / 'apropos.md').unlink()
    replace_in(source / 'index.md', 'chiffres\napropos\n', 'chiffres\n')


def remove_drug_index(source: Path) -> None:
    (source / 'medicaments.md').unlink()
    replace_in(source / 'index.md', 'medicaments\n', '')
    replace_in(source / 'index.md', "L'[index des médicaments](medicaments.md)", "L'index")


def remove_chiffres(source: Path) -> None:
    (source / 'chiffres.md').unlink()
    replace_in(source / 'index.md', ':hidden:\n\nchiffres\n', ':hidden:\n\n')


def restore_drug_index(source: Path) -> None:
    shutil.copy2(PROJECT_DIR / 'medicaments.md', source / 'medicaments.md')
    shutil.copy2(PROJECT_DIR / 'index.md', source / 'index.md')
    restored = (source / 'index.md').read_text(encoding='utf-8')
    if not (source / 'chiffres.md').is_file():
        restored = restored.replace(':hidden:\n\nchiffres\n', ':hidden:\n\n', 1)
    (source / 'index.md').write_text(restored, encoding='utf-8')


def restore_chiffres(source: Path) -> None:
    shutil.copy2(PROJECT_DIR / 'chiffres.md', source / 'chiffres.md')
    replace_in(source / 'index.md', ':hidden:\n\n', ':hidden:\n\nchiffres\n')


def declare_back_issue(source: Path) -> None:
    with (source / 'archives/numeros-papier.yml').open('a', encoding='utf-8') as data:
        data.write('\n- numero: 7\n  date: 2016-07\n  titre: Les anti-PD-1\n')


def change_colophon(source: Path) -> None:
    replace_in(source / 'conf.py', "'Dr D. Cochelard'", "'Dr D. Cochelard', 'Dr M. Yilmaz'")


def change_reference(source: Path) -> None:
    replace_in(source / 'references.bib', 'Deep Learning for Health', 'Deep learning for health')


def change_extension_code(source: Path) -> None:
    """A new version of the extension that shapes every issue page differently."""
    replace_in(
        source / 'extensions/galien/content/issue_links.py',
        "classes=['galien-precedent-suivant']",
        "classes=['galien-precedent-suivant', 'galien-navigation']",
    )


#: Ordinary edits, in the order a year of issues would see them.
EDITS: tuple[Callable[[Path], None], ...] = (
    add_issue,
    change_titre,
    mention_drug,
    delete_issue,
    change_reference,
    declare_back_issue,
    change_colophon,
    delete_page,
    remove_drug_index,
    remove_chiffres,
    restore_drug_index,
    restore_chiffres,
    change_extension_code,
)
#: Edits after which the PDFs are made too (``make latexpdf``), as ``make site`` does.
PDF_EDITS = frozenset({'add_issue'})


def page_count(pdf: Path) -> str:
    info = subprocess.run(['pdfinfo', str(pdf)], capture_output=True, text=True, check=True)
    return next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith('Pages:'))


def test_incremental_build_equals_clean_build_after_each_edit(tmp_path):
    source = copy_project(tmp_path / 'src')
    incremental = tmp_path / 'incremental'
    build(source, incremental, EDITIONS)
    failures = {}
    for step, edit in enumerate(EDITS, start=1):
        edit(source)
        # Every edition in another order each time: the doctrees are shared.
        order = EDITIONS[step % len(EDITIONS) :] + EDITIONS[: step % len(EDITIONS)]
        build(source, incremental, order)
        clean = tmp_path / f'clean-{step}'
        clean_build(source, clean, EDITIONS)
        differ = differences(incremental, clean)
        if edit.__name__ in PDF_EDITS:
            build(source, incremental, ('latexpdf',))
            clean_build(source, clean, ('latexpdf',))
            for pdf in sorted((clean / 'latex').glob('galien-[0-9]*.pdf')):
                made = incremental / 'latex' / pdf.name
                if not made.is_file() or page_count(made) != page_count(pdf):
                    differ.append(f'latex/{pdf.name} (PDF)')
        if differ:
            failures[edit.__name__] = differ
        shutil.rmtree(clean)
    assert not failures, '\n'.join(
        f'{edit}: {", ".join(names)}' for edit, names in failures.items()
    )


#: Each edition's extension and the builder that makes it.
EDITION_OF = {
    'galien.web': 'html',
    'galien.print': 'latex',
    'galien.epub': 'epub',
    'galien.mail': 'email',
}


#: Sphinx's digest of the configuration, whose ``extensions`` the test changes.
CONFIG_DIGEST = '.buildinfo'


def edition_outputs(build_dir: Path, builder: str) -> dict[str, bytes]:
    prefix = 'galien.epub!' if builder == 'epub' else f'{builder}/'
    return {
        name: data
        for name, data in outputs(build_dir).items()
        if name.startswith(prefix) and not name.endswith(CONFIG_DIGEST)
    }


@pytest.fixture(scope='module')
def every_edition(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The copied project and its build of every edition, which each edition alone must equal.

    The tests build from the same folder (the LaTeX Makefile names it), each
    putting its ``conf.py`` back.
    """
    folder = tmp_path_factory.mktemp('every-edition')
    source = copy_project(folder / 'src')
    clean_build(source, folder / 'full', EDITIONS)
    return source, folder / 'full'


@pytest.mark.parametrize('left_out', sorted(EDITION_OF))
def test_every_edition_stands_alone(left_out, every_edition, tmp_path):
    """Left out of ``conf.py``, an edition changes nothing in what the others produce."""
    source, full = every_edition
    conf = (source / 'conf.py').read_text(encoding='utf-8')
    replace_in(source / 'conf.py', f"    '{left_out}',\n", '')
    alone = tmp_path / 'without'
    others = tuple(b for b in EDITIONS if b != EDITION_OF[left_out])
    try:
        clean_build(source, alone, others)
    finally:
        (source / 'conf.py').write_text(conf, encoding='utf-8')
    for builder in others:
        expected = edition_outputs(full, builder)
        produced = edition_outputs(alone, builder)
        assert expected, builder
        differ = sorted(
            n for n in expected.keys() | produced.keys() if expected.get(n) != produced.get(n)
        )
        assert differ == [], f'without {left_out}: {differ}'


def test_deleted_issue_leaves_every_edition(tmp_path):
    """``make html latexpdf epub email``, delete N°22, again: nothing of N°22 is left anywhere."""
    source = copy_project(tmp_path / 'src')
    out = tmp_path / 'build'
    build(source, out, ('html', 'latexpdf', 'epub', 'email'))
    stale = ['html/issues/022.html', 'latex/galien-022.pdf', 'latex/galien-022.tex']
    stale += ['latex/galien-022.aux', 'latex/galien-022.log']
    stale += ['email/galien-022.eml', 'email/galien-022.html', 'email/galien-022.txt']
    assert [name for name in stale if not (out / name).is_file()] == []
    delete_issue(source)
    build(source, out, ('html', 'latexpdf', 'epub', 'email'))
    assert [name for name in stale if (out / name).exists()] == []
    assert list((out / 'html/_sources').rglob('022.*')) == []
    with zipfile.ZipFile(out / 'epub/galien.epub') as book:
        assert [name for name in book.namelist() if '022' in name] == []
        manifest = book.read('content.opf')
    assert b'022' not in manifest
    assert b'issues/021.xhtml' in manifest
    # N°21's « next issue » link led to N°22: it is gone from its page.
    assert '022.html' not in (out / 'html/issues/021.html').read_text(encoding='utf-8')
    assert_epub_clean(out / 'epub/galien.epub')


#: The editions whose files an edit beyond pages changed, in ``make site``'s order.
SITE_EDITIONS = ('html', 'epub', 'email')
#: The lines of ``archives/numeros-papier.yml`` declaring a back issue with its PDF.
BACK_ISSUE = '\n- numero: 7\n  date: 2016-07\n  pdf: archives/galien-007.pdf\n'
#: The lines of N°21 showing an image.
IMAGE = '\n```{image} schema.png\n:alt: Un schéma\n```\n'


def add_image(source: Path) -> None:
    Image.new('RGB', (40, 30), (20, 90, 160)).save(source / 'issues/schema.png')
    with (source / 'issues/021.md').open('a', encoding='utf-8') as issue:
        issue.write(IMAGE)


def delete_image(source: Path) -> None:
    replace_in(source / 'issues/021.md', IMAGE, '')
    (source / 'issues/schema.png').unlink()


def add_back_issue_pdf(source: Path) -> None:
    Image.new('RGB', (60, 85), 'white').save(source / 'archives/galien-007.pdf', 'PDF')
    with (source / 'archives/numeros-papier.yml').open('a', encoding='utf-8') as data:
        data.write(BACK_ISSUE)


def remove_back_issue(source: Path) -> None:
    replace_in(source / 'archives/numeros-papier.yml', BACK_ISSUE, '')


def cite_draft(source: Path) -> None:
    draft = issue_text(23, 2018, 5).replace('\n---\n', '\nbrouillon: oui\n---\n', 1)
    (source / 'issues/023.md').write_text(draft, encoding='utf-8')
    with (source / 'issues/021.md').open('a', encoding='utf-8') as issue:
        issue.write('\nLa suite au {galien}`23`.\n')


def delete_draft(source: Path) -> None:
    (source / 'issues/023.md').unlink()


def nothing(source: Path) -> None:
    """The project as copied, with its page « À propos »."""


#: (what the project holds first, the edit), for what a build writes beyond pages.
BEYOND_PAGES = {
    'deleted image': (add_image, delete_image),
    'back issue removed': (add_back_issue_pdf, remove_back_issue),
    'cited draft deleted': (cite_draft, delete_draft),
    'page deleted': (nothing, delete_page),
}


@pytest.mark.parametrize('case', sorted(BEYOND_PAGES))
def test_files_beyond_pages_follow_an_edit(case, tmp_path):
    """Images, back issues' PDFs, e-mails, search index: after the edit, a clean build's."""
    prepare, edit = BEYOND_PAGES[case]
    source = copy_project(tmp_path / 'src')
    prepare(source)
    incremental = tmp_path / 'incremental'
    build(source, incremental, SITE_EDITIONS)
    before = outputs(incremental)
    edit(source)
    build(source, incremental, SITE_EDITIONS)
    clean = tmp_path / 'clean'
    clean_build(source, clean, SITE_EDITIONS)
    assert outputs(clean) != before, 'the edit changes nothing: the test proves nothing'
    assert differences(incremental, clean) == []
