"""The annual volume as one PDF/A-2b: front matter, the issues as printed, the drug index.

Made from the plan the ``volume`` builder wrote (:mod:`galien.print.volume`) and
the issues' PDFs of the print edition, outside the Sphinx build:

* page numbers without a second LaTeX run: each issue's pages and the page
  where a drug appears are read from its PDF (pypdf, already the project's),
  so the table of contents and the index know their volume pages before
  LaTeX runs. The front matter's own length is predicted
  (two pages, or what it was last time); LaTeX reports it, and runs a second
  time only when the prediction was wrong;
* one small LaTeX document, confined as the issues' jobs are
  (:func:`galien.sandbox.latex.latex_command`), holds the title page, the
  contents and the year's chiffres du mois, then the index; pikepdf puts the
  issues' pages between its two parts, adds the outline (one entry per issue,
  its own sections below it)
  and the page labels, and the print edition's PDF/A step
  (:func:`galien.print.pdfa.make_pdfa`) makes and validates the archival file;
* incremental: a digest of the plan, of the issues' PDFs and of this code is
  kept beside the volume; when it has not changed, nothing runs, LaTeX least.

The PDF appears complete or not at all (written as ``.part``, then renamed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from galien.core.urls import issue_file_stem
from galien.print.pdfa import NotArchivalError, make_pdfa

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pikepdf

#: The front matter's length predicted for a first run: title page, then contents and chiffres.
FRONT_PAGES = 2
#: Written by the document into its ``.aux``: how many pages the front matter took.
FRONT_MARK = re.compile(r'^%galien-front-pages=(\d+)$', re.MULTILINE)
LATEX_SECONDS = 600


class VolumeError(Exception):
    """The volume cannot be made: a French sentence for the editor."""


@dataclass(frozen=True)
class Layout:
    """Where everything falls in the volume, in physical pages from 1."""

    front: int
    starts: dict[int, int]  # issue number -> its first page
    index_start: int
    drug_pages: dict[tuple[int, int], int]  # (drug's position, issue number) -> page


def normalised(text: str) -> str:
    """Text compared as read: NFC, hyphenation at line ends undone, spaces collapsed, no case."""
    text = unicodedata.normalize('NFC', text).replace('\u00ad', '')
    text = re.sub(r'-\s*\n\s*', '', text)
    return ' '.join(text.split()).casefold()


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, :func:`normalised`; empty where it cannot be read.

    A page whose text cannot be read sends the index to the issue's first page;
    without pypdf (``requirements/runtime.in``), every page is such a page.
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        import pikepdf

        with pikepdf.open(pdf) as document:
            return [''] * len(document.pages)
    texts = []
    for page in PdfReader(pdf).pages:
        try:
            texts.append(normalised(page.extract_text() or ''))
        except (PyPdfError, ValueError, KeyError):
            texts.append('')
    return texts


def first_page_with(texts: list[str], spellings: list[str]) -> int:
    """The first page (from 1) whose text holds one of ``spellings``; 1 when none does."""
    wanted = [normalised(s) for s in spellings if s.strip()]
    for number, text in enumerate(texts, start=1):
        if any(w in text for w in wanted):
            return number
    return 1


def layout(plan: dict[str, Any], latex_dir: Path, front: int) -> Layout:
    """The volume's pages, the front matter taking ``front`` pages."""
    starts, page = {}, front + 1
    texts = {}
    for issue in plan['issues']:
        pdf = latex_dir / issue['pdf']
        starts[issue['numero']] = page
        texts[issue['numero']] = page_texts(pdf)
        page += len(texts[issue['numero']])
    drug_pages = {}
    for position, drug in enumerate(plan['drugs']):
        for place in drug['places']:
            numero = place['numero']
            found = first_page_with(texts[numero], place['spellings'])
            drug_pages[position, numero] = starts[numero] + found - 1
    return Layout(front, starts, page, drug_pages)


#: LaTeX's special characters, as text.
TEX_SPECIALS = {
    '\\': r'\textbackslash{}',
    '{': r'\{',
    '}': r'\}',
    '$': r'\$',
    '&': r'\&',
    '%': r'\%',
    '#': r'\#',
    '_': r'\_',
    '~': r'\textasciitilde{}',
    '^': r'\textasciicircum{}',
}


def tex(text: str) -> str:
    """``text`` for LuaLaTeX: its special characters escaped, Unicode kept, one line."""
    return ''.join(TEX_SPECIALS.get(c, c) for c in ' '.join(text.split()))


PREAMBLE = r"""\documentclass[a4paper,11pt]{article}
\usepackage{fontspec}
\setmainfont{TeX Gyre Termes}
\setsansfont{TeX Gyre Heros}
\usepackage[french]{babel}
\usepackage[a4paper,top=22mm,bottom=25mm,left=20mm,right=20mm]{geometry}
\usepackage{multicol}
\usepackage{xcolor}
\definecolor{galienblue}{RGB}{27,79,114}
\setlength{\parindent}{0pt}
\pagestyle{plain}
\makeatletter
\newcommand{\galienfrontend}{\immediate\write\@auxout{%
  \@percentchar galien-front-pages=\directlua{tex.sprint(status.total_pages)}}}
\makeatother
"""


def contents_line(title: str, page: int) -> str:
    return f'{tex(title)}\\dotfill {page}\\par\n'


def volume_tex(plan: dict[str, Any], where: Layout) -> str:
    """The LaTeX of the front matter and of the index."""
    year = plan['year']
    issues = plan['issues']
    first, last = issues[0], issues[-1]
    numbers = (
        f'N° {first["numero"]} à {last["numero"]}' if first != last else f'N° {first["numero"]}'
    )
    months = f'{first["month"]} – {last["month"]}' if first != last else first['month']
    lines = [PREAMBLE, '\\begin{document}\n', '\\thispagestyle{empty}\n', '\\begin{center}\n']
    lines.append('\\vspace*{50mm}\n')
    lines.append(f'{{\\sffamily\\bfseries\\fontsize{{48}}{{56}}\\selectfont\\color{{galienblue}} '
                 f'{tex(plan["title"])}\\par}}\n\\vspace{{8mm}}\n')  # fmt: skip
    if plan['tagline']:
        lines.append(f'{{\\large {tex(plan["tagline"])}\\par}}\n\\vspace{{20mm}}\n')
    lines.append(f'{{\\sffamily\\bfseries\\Huge Volume {year}\\par}}\n\\vspace{{6mm}}\n')
    lines.append(f'{{\\Large {tex(numbers)}\\par}}\n\\vspace{{3mm}}\n')
    lines.append(f'{{\\large {tex(months)}\\par}}\n\\vfill\n')
    if plan['publisher']:
        lines.append(f'{{\\large {tex(plan["publisher"])}\\par}}\n')
    if plan['issn']:
        lines.append(f'\\vspace{{2mm}}ISSN {tex(plan["issn"])}\\par\n')
    lines.append('\\end{center}\n\\clearpage\n')
    lines.append('\\section*{Sommaire}\n')
    for issue in issues:
        lines.append(contents_line(issue['title'], where.starts[issue['numero']]))
    lines.append('\\medskip\n')
    lines.append(contents_line('Index des médicaments', where.index_start))
    if plan['chiffres']:
        lines.append(f'\\section*{{Les chiffres du mois de {year}}}\n')
        months_of = {issue['numero']: issue['month'] for issue in issues}
        for chiffre in plan['chiffres']:
            numero = chiffre['numero']
            lines.append(
                f'\\textbf{{{tex(chiffre["figure"])}}} '
                f'— {tex(chiffre["summary"])} '
                f'\\emph{{(N° {numero}, {tex(months_of[numero])}, '
                f'p.~{where.starts[numero]})}}\\par\\smallskip\n'
            )
    lines.append('\\clearpage\n\\galienfrontend\n')
    lines.append(f'\\setcounter{{page}}{{{where.index_start}}}\n')
    lines.append('\\section*{Index des médicaments}\n')
    lines.append(
        '{\\small DCI, spécialités, classe ATC, puis les numéros qui en parlent '
        'et la page du volume.\\par}\n\\medskip\n\\begin{multicols}{2}\n\\small\n'
    )
    for position, drug in enumerate(plan['drugs']):
        brands = ', '.join(drug['brands'])
        parts = [f'\\textbf{{{tex(drug["dci"])}}}']
        if brands:
            parts.append(f'({tex(brands)})')
        if drug['atc']:
            parts.append(f'— {tex(drug["atc"])}')
        places = ' ; '.join(
            f'N° {place["numero"]}, p.~{where.drug_pages[position, place["numero"]]}'
            for place in drug['places']
        )
        lines.append(' '.join(parts) + f' — {places}\\par\\smallskip\n')
    if not plan['drugs']:
        lines.append(f'Aucun médicament présenté ou cité en {year}.\\par\n')
    lines.append('\\end{multicols}\n\\end{document}\n')
    return ''.join(lines)


def confinement(folder: Path, job: Path) -> list[str]:
    """The bubblewrap words for a LaTeX job in ``job``, as the issues' Makefile has them."""
    from galien.sandbox.latex import latex_command

    words = shlex.split(latex_command())
    if not words:
        return []
    return [
        *words,
        '--ro-bind', str(folder), str(folder),
        '--bind', str(job), str(job),
        '--remount-ro', '/', '--remount-ro', '/tmp',
        '--chdir', str(job), '--',
    ]  # fmt: skip


def run_latex(folder: Path, name: str, text: str) -> tuple[Path, int]:
    """Compile ``text`` as ``name.tex`` in a job folder of its own: its PDF and front pages."""
    job = folder / f'{name}.job'
    shutil.rmtree(job, ignore_errors=True)
    job.mkdir(parents=True)
    (job / f'{name}.tex').write_text(text, encoding='utf-8')
    lualatex = shutil.which('lualatex')
    if lualatex is None:
        raise VolumeError('LuaLaTeX est absent : lancez make system-tex')
    command = [
        *confinement(folder.resolve(), job.resolve()),
        lualatex, '--no-shell-escape', '-interaction=nonstopmode', '-halt-on-error',
        f'{name}.tex',
    ]  # fmt: skip
    environment = {**os.environ, 'openin_any': 'p', 'openout_any': 'p'}
    try:
        result = subprocess.run(
            command,
            cwd=job,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=LATEX_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise VolumeError(f'LuaLaTeX ne termine pas (voir {job / name}.log)') from None
    log = job / f'{name}.log'
    if log.is_file():
        shutil.copyfile(log, folder / f'{name}.log')
    pdf = job / f'{name}.pdf'
    if result.returncode or not pdf.is_file():
        raise VolumeError(f"LuaLaTeX n'a pas pu produire les pages du volume (voir {log})")
    aux = (job / f'{name}.aux').read_text(encoding='utf-8', errors='replace')
    mark = FRONT_MARK.search(aux)
    if mark is None:
        raise VolumeError(f'pages du volume incomplètes (voir {log})')
    return pdf, int(mark[1])


@dataclass(frozen=True)
class Section:
    """An entry of an issue's own outline: its title, page in the issue (from 0), sub-entries."""

    title: str
    page: int
    children: tuple[Section, ...]


def issue_sections(source: pikepdf.Pdf) -> list[Section]:
    """The issue's own outline below its title, nested as it is.

    The letter's class writes each entry as a jump to a named destination; an
    entry whose page cannot be found is left out with its sub-entries.
    """
    import pikepdf

    pages: dict[tuple[int, int], int] = {
        page.obj.objgen: number for number, page in enumerate(source.pages)
    }
    names = source.Root.get('/Names')
    dests = names.get('/Dests') if isinstance(names, pikepdf.Dictionary) else None
    tree = pikepdf.NameTree(dests) if dests is not None else None

    def page_of(item: pikepdf.OutlineItem) -> int | None:
        target: Any = item.destination
        if target is None and item.action is not None:
            target = item.action.get('/D')
        if isinstance(target, pikepdf.String) and tree is not None:
            target = tree.get(str(target))
        if isinstance(target, pikepdf.Dictionary):
            target = target.get('/D')
        page: Any = target[0] if isinstance(target, pikepdf.Array) and len(target) else None
        return pages.get(page.objgen) if page is not None else None

    def sections(items: Iterable[pikepdf.OutlineItem]) -> list[Section]:
        found = []
        for item in items:
            page = page_of(item)
            if page is not None:
                found.append(Section(str(item.title), page, tuple(sections(item.children))))
        return found

    with source.open_outline() as outline:
        return sections(child for top in outline.root for child in top.children)


def outline_items(sections: Iterable[Section], start: int) -> list[pikepdf.OutlineItem]:
    """``sections`` as outline entries of the volume, the issue starting at page ``start``."""
    import pikepdf

    items = []
    for section in sections:
        item = pikepdf.OutlineItem(section.title, start + section.page)
        item.children.extend(outline_items(section.children, start))
        items.append(item)
    return items


def assemble(
    plan: dict[str, Any], latex_dir: Path, front_pdf: Path, where: Layout, target: Path
) -> None:
    """The volume: front pages, each issue's pages, the index; outline and page labels."""
    import pikepdf

    with contextlib.ExitStack() as stack:
        front = stack.enter_context(pikepdf.open(front_pdf))
        volume = stack.enter_context(pikepdf.new())
        volume.pages.extend(front.pages[: where.front])
        sections = {}
        for issue in plan['issues']:
            source = stack.enter_context(pikepdf.open(latex_dir / issue['pdf']))
            sections[issue['numero']] = issue_sections(source)
            # Named destinations kept, so each issue's own links still lead somewhere.
            volume.add_pages_from(source, outlines='ignore')
        volume.pages.extend(front.pages[where.front :])
        with volume.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem('Page de titre', 0))
            outline.root.append(pikepdf.OutlineItem('Sommaire', 1 if where.front > 1 else 0))
            for issue in plan['issues']:
                start = where.starts[issue['numero']] - 1
                entry = pikepdf.OutlineItem(issue['title'], start)
                entry.children.extend(outline_items(sections[issue['numero']], start))
                outline.root.append(entry)
            index = where.index_start - 1
            outline.root.append(pikepdf.OutlineItem('Index des médicaments', index))
        # The pages as the contents and the index number them: 1 to the end.
        volume.Root.PageLabels = pikepdf.Dictionary(
            Nums=pikepdf.Array([0, pikepdf.Dictionary(S=pikepdf.Name.D)])
        )
        volume.Root.PageMode = pikepdf.Name.UseOutlines
        if plan['language']:
            volume.Root.Lang = pikepdf.String(plan['language'].replace('_', '-'))
        title = f'{plan["title"]} – volume {plan["year"]}'
        info = volume.docinfo
        info['/Title'] = title
        if plan['publisher']:
            info['/Author'] = plan['publisher']
        info['/Subject'] = ', '.join(issue['title'] for issue in plan['issues'])
        for key in ('/CreationDate', '/ModDate', '/Producer', '/Creator'):
            if key in front.docinfo:
                info[key] = front.docinfo[key]
        volume.save(target, deterministic_id=True)
    try:
        make_pdfa(target)
    except NotArchivalError as error:
        raise VolumeError(f'le volume ne peut pas être rendu conforme PDF/A-2b : {error}') from None


def digest(latex_dir: Path, plan: dict[str, Any]) -> str:
    """What the volume is made from: the plan, the issues' PDFs and this code.

    Not the files the ePub leaves out: a new issue of another year changes nothing here.
    """
    printed = {k: v for k, v in plan.items() if k not in {'excluded', 'suppressed'}}
    value = hashlib.sha256(json.dumps(printed, sort_keys=True).encode())
    value.update(Path(__file__).read_bytes())
    for issue in plan['issues']:
        value.update(hashlib.sha256((latex_dir / issue['pdf']).read_bytes()).digest())
    return value.hexdigest()


def make_volume_pdf(plan_file: Path, latex_dir: Path, target: Path) -> bool:
    """Make ``target`` from ``plan_file``; False when it was already up to date.

    :class:`VolumeError` with a French sentence when it cannot be made.
    """
    plan = json.loads(plan_file.read_text(encoding='utf-8'))
    # The plan comes from a build that may have been confined: the PDFs read here are
    # named from the issues' numbers, never from a path the plan holds.
    for issue in plan['issues']:
        issue['pdf'] = f'{issue_file_stem(int(issue["numero"]))}.pdf'
    if not plan['issues']:
        raise VolumeError(f'aucun numéro publié en {plan["year"]} : pas de volume')
    missing = [i['pdf'] for i in plan['issues'] if not (latex_dir / i['pdf']).is_file()]
    if missing:
        raise VolumeError(f'PDF absents dans {latex_dir} : {", ".join(missing)}')
    folder = target.parent
    record = folder / f'.{target.stem}.json'
    inputs = digest(latex_dir, plan)
    try:
        recorded = json.loads(record.read_text(encoding='utf-8'))
    except (OSError, ValueError):
        recorded = {}
    if recorded.get('digest') == inputs and target.is_file():
        return False
    front = int(recorded.get('front', FRONT_PAGES))
    name = f'{target.stem}-pages'
    where = layout(plan, latex_dir, front)
    pdf, actual = run_latex(folder, name, volume_tex(plan, where))
    if actual != front:
        where = layout(plan, latex_dir, actual)
        pdf, actual = run_latex(folder, name, volume_tex(plan, where))
        if actual != where.front:
            raise VolumeError('la mise en page des pages du volume ne se stabilise pas')
    partial = target.with_name(f'{target.name}.part')
    assemble(plan, latex_dir, pdf, where, partial)
    partial.replace(target)
    shutil.rmtree(pdf.parent, ignore_errors=True)
    record.write_text(json.dumps({'digest': inputs, 'front': actual}) + '\n', encoding='utf-8')
    return True
