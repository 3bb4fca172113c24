"""References in Vancouver style, in French, the same in every edition.

The expected references are written out by hand from the rules of the NLM's
*Citing Medicine* and the ICMJE samples (see ``galien/content/vancouver/``),
never produced by the style under test.
"""

from __future__ import annotations

import re
import zipfile

import pybtex.plugin
import pytest
import sphinx.locale
from bs4 import BeautifulSoup
from pybtex.database import parse_string
from sphinxcontrib.bibtex.plugin import find_plugin as find_reference_style

from conftest import PROJECT_DIR, TESTS_DIR
from galien.content.vancouver import VancouverFootStyle, VancouverStyle, shorten_pages
from galien.core.i18n import CATALOG, LOCALE_DIR
from galien.core.subtypes import Subtype
from helpers import pdftotext, run_sphinx, warnings

pytestmark = pytest.mark.fast


ENTRIES = r"""
@article{trois,
  author       = {Durand, Claire and {\O}degaard, Ken and Lef{\`e}vre, Jean-Louis},
  title        = {Micro-dosing studies before phase {I}: a review of {HER2} trials},
  journal      = {Journal of Fixture Oncology},
  shortjournal = {J Fixture Oncol},
  year = {2018}, volume = {12}, number = {3}, pages = {101--110},
  pmid = {12345678},
}
@article{huit,
  author  = {Rav{\`i}, Daniele and Wong, Charence and Deligianni, Fani and Berthelot, Melissa
             and Andreu-Perez, Javier and Lo, Benny and Yang, Guang-Zhong and Nguyễn, Văn An},
  title   = {Deep Learning for Health Informatics},
  journal = {IEEE Journal of Biomedical and Health Informatics},
  journalabbrev = {IEEE J Biomed Health Inform},
  year = {2017}, volume = {21}, number = {1}, pages = {4--21},
  doi = {10.1109/JBHI.2016.2636665},
}
@book{livre,
  author = {Cazin, Jean-Louis and van der Berg, Jan Pieter},
  title = {Pharmacie clinique en canc{\'e}rologie},
  edition = {3}, address = {Paris}, publisher = {Masson}, year = {2017},
}
@incollection{chapitre,
  author = {Martin, Paul}, title = {Les inhibiteurs de tyrosine kinase},
  editor = {Dupont, Jean and Durand, Claire}, booktitle = {Th{\'e}rapeutique du cancer},
  edition = {2}, address = {Lyon}, publisher = {Springer}, year = {2015}, pages = {1234--1239},
}
@online{web,
  author = {{Les Entreprises du m{\'e}dicament}},
  title = {L'engagement du LEEM contre le cancer},
  address = {Paris}, publisher = {LEEM}, year = {2017},
  url = {https://www.leem.org/plateforme.pdf}, urldate = {2018-03-12},
}
@techreport{rapport,
  author = {{Institut national du cancer}}, title = {Les cancers en France},
  institution = {INCa}, address = {Boulogne-Billancourt}, year = {2018}, number = {ETKAFR18},
}
@phdthesis{these,
  author = {Dupont, Marie-H{\'e}l{\`e}ne}, title = {Pharmacocin{\'e}tique des anticorps},
  school = {Universit{\'e} de Lille}, address = {Lille}, year = {2016},
}
@article{seul,
  title = {Un titre seul},
  year  = {2019},
}
@patent{brevet,
  author = {Inventeur, Ivan}, title = {Un brevet}, year = {2012},
}
"""

EXPECTED = {
    'trois': (
        'Durand C, Ødegaard K, Lefèvre JL. Micro-dosing studies before phase I: a review of '
        'HER2 trials. J Fixture Oncol. 2018;12(3):101-10. PMID: 12345678'
    ),
    'huit': (
        'Ravì D, Wong C, Deligianni F, Berthelot M, Andreu-Perez J, Lo B, et al. '
        'Deep Learning for Health Informatics. IEEE J Biomed Health Inform. '
        '2017;21(1):4-21. doi:10.1109/JBHI.2016.2636665'
    ),
    'livre': (
        'Cazin JL, van der Berg JP. Pharmacie clinique en cancérologie. 3e éd. '
        'Paris : Masson ; 2017.'
    ),
    'chapitre': (
        'Martin P. Les inhibiteurs de tyrosine kinase. Dans : Dupont J, Durand C, éditeurs. '
        'Thérapeutique du cancer. 2e éd. Lyon : Springer ; 2015. p. 1234-9.'
    ),
    'web': (
        "Les Entreprises du médicament. L'engagement du LEEM contre le cancer [Internet]. "
        'Paris : LEEM ; 2017 [cité le 12 mars 2018]. '
        'Disponible sur : https://www.leem.org/plateforme.pdf'
    ),
    'rapport': (
        'Institut national du cancer. Les cancers en France. Boulogne-Billancourt : INCa ; '
        '2018. Rapport n° ETKAFR18.'
    ),
    'these': (
        'Dupont MH. Pharmacocinétique des anticorps [thèse]. Lille : Université de Lille ; 2016.'
    ),
    'seul': 'Un titre seul. 2019.',
    'brevet': 'Inventeur I. Un brevet. 2012.',
}


@pytest.fixture
def french() -> None:
    """The ``galien`` catalog in French, as a build with ``language = 'fr'`` loads it.

    Per test: a Sphinx test application clears the translators when it is done.
    """
    sphinx.locale.init([str(LOCALE_DIR)], 'fr', CATALOG)


def formatted(bib: str) -> dict[str, str]:
    style = VancouverStyle()
    entries = parse_string(bib, 'bibtex').entries
    return {
        key: style.format_entry('', entry).text.render_as('text') for key, entry in entries.items()
    }


@pytest.mark.parametrize('key', list(EXPECTED))
def test_each_kind_of_entry(french, key):
    assert formatted(ENTRIES)[key] == EXPECTED[key]


@pytest.mark.parametrize(
    ('pages', 'expected'),
    [
        ('4--21', '4-21'),
        ('101--110', '101-10'),
        ('1234--1239', '1234-9'),
        ('123--123', '123'),
        ('95--105', '95-105'),
        ('S12--S19', 'S12-9'),
        ('e1234', 'e1234'),
        ('4-21, 30--35', '4-21, 30-5'),
    ],
)
def test_pages_are_shortened_as_nlm_does(pages, expected):
    assert shorten_pages(pages) == expected


MISSING = r"""
@article{a1, title = {Sans revue}, journal = {Bull Cancer}, volume = {105}, pages = {1--9}}
@article{a2, author = {Durand, Claire}, journal = {Bull Cancer}, year = {2018}, number = {3}}
@book{b1, title = {Sans lieu}, publisher = {Masson}, year = {2010}, edition = {1}}
@book{b2, editor = {Dupont, Jean}, title = {Un ouvrage collectif}, address = {Paris}}
@incollection{c1, author = {Martin, Paul}, title = {Un chapitre}, booktitle = {Un livre}}
@online{w1, title = {Une page}, url = {https://example.org/}}
@misc{m1, title = {Une page consultée}, url = {https://example.org/}, urldate = {2018-03-01}}
@techreport{r1, title = {Un rapport}, institution = {HAS}}
@phdthesis{t1, author = {Dupont, Marie}, title = {Une thèse}}
@misc{vide}
"""

MISSING_EXPECTED = {
    'a1': 'Sans revue. Bull Cancer. 105:1-9.',
    'a2': 'Durand C. Bull Cancer. 2018;(3).',
    'b1': 'Sans lieu. Masson ; 2010.',
    'b2': 'Dupont J, éditeur. Un ouvrage collectif. Paris.',
    'c1': 'Martin P. Un chapitre. Dans : Un livre.',
    'w1': 'Une page [Internet]. Disponible sur : https://example.org/',
    'm1': 'Une page consultée [Internet]. [cité le 1er mars 2018]. Disponible sur : https://example.org/',
    'r1': 'Un rapport. HAS.',
    't1': 'Dupont M. Une thèse [thèse].',
    'vide': 'vide',
}


def test_chapter_by_the_book_authors_and_conference_paper(french):
    bib = r"""
    @inbook{ib, author = {Cazin, Jean-Louis}, title = {Pharmacie clinique}, chapter = {3},
      pages = {45--67}, address = {Paris}, publisher = {Masson}, year = {2017}}
    @inproceedings{ip, author = {Durand, Claire}, title = {Une communication},
      booktitle = {Congr{\`e}s de la SFPO}, address = {Lyon}, publisher = {SFPO}, year = {2018},
      pages = {12--13}}
    """
    assert formatted(bib) == {
        'ib': 'Cazin JL. Pharmacie clinique. Paris : Masson ; 2017. Chapitre 3, p. 45-67.',
        'ip': (
            'Durand C. Une communication. Dans : Congrès de la SFPO. Lyon : SFPO ; 2018. p. 12-3.'
        ),
    }


def test_biblatex_fields_as_zotero_exports_them(french):
    bib = r"""@article{zotero,
      title = {Trastuzumab et cardiotoxicit{\'e}},
      journaltitle = {Bulletin du Cancer}, shortjournal = {Bull Cancer},
      author = {{\O}degaard, Ken and Martin, Paul},
      date = {2019-01-05}, volume = {106}, number = {1}, pages = {95--105},
    }"""
    assert formatted(bib)['zotero'] == (
        'Ødegaard K, Martin P. Trastuzumab et cardiotoxicité. Bull Cancer. 2019;106(1):95-105.'
    )


@pytest.mark.parametrize(
    ('title', 'text', 'html'),
    [
        (
            r'Osimertinib in untreated \textit{EGFR}-mutated cancer',
            'Osimertinib in untreated EGFR-mutated cancer',
            'Osimertinib in untreated <em>EGFR</em>-mutated cancer',
        ),
        (r'Dose par m\textsuperscript{2}', 'Dose par m2', 'Dose par m<sup>2</sup>'),
        (
            r'Le CO\textsubscript{2} \emph{in vivo}',
            'Le CO2 in vivo',
            'Le CO<sub>2</sub> <em>in vivo</em>',
        ),
        (r'\textbf{Grade} \textgreater{}3 chez 50\,\%', 'Grade >3 chez 50\u202f%', None),
        (r'TNF-$\alpha$ et \ensuremath{\geq} 65 ans', 'TNF-α et ≥ 65 ans', None),
        (r'\textsc{Pubmed} et \textrm{x}', 'Pubmed et x', None),
    ],
)
def test_latex_commands_of_reference_managers(french, title, text, html):
    """The commands on galien.core.bibtex_markup's list print as what they mean."""
    bib = f'@article{{t, title = {{{title}}}, journal = {{J}}, year = {{2020}}}}'
    entry = parse_string(bib, 'bibtex').entries['t']
    formatted_text = VancouverStyle().format_entry('', entry).text
    assert formatted_text.render_as('text') == f'{text}. J. 2020.'
    if html is not None:
        rendered = formatted_text.render_as('html').replace('<span class="bibtex-protected">', '')
        assert rendered.replace('</span>', '') == f'{html}. J. 2020.'


@pytest.mark.parametrize(
    ('urldate', 'expected'),
    [
        ('2018-03-12', '[cité le 12 mars 2018]'),
        ('2018-03-01', '[cité le 1er mars 2018]'),
        ('2018-12', '[cité en décembre 2018]'),
        ('2018', '[cité en 2018]'),
        ('hier', '[cité le hier]'),
    ],
)
def test_access_dates_in_french(french, urldate, expected):
    bib = f'@online{{w, title = {{Page}}, url = {{https://example.org/}}, urldate = {{{urldate}}}}}'
    assert (
        formatted(bib)['w'] == f'Page [Internet]. {expected}. Disponible sur : https://example.org/'
    )


def test_missing_fields_leave_no_empty_punctuation(french):
    texts = formatted(MISSING)
    assert texts == MISSING_EXPECTED
    for text in texts.values():
        for blemish in (', ,', '()', '( )', 'None', '..', ' .', ': ;', '; .', ' ,'):
            assert blemish not in text, text


@pytest.mark.sphinx('html', testroot='references')
def test_the_extension_registers_both_styles(app):
    assert app.config.bibtex_default_style == 'vancouver'
    assert pybtex.plugin.find_plugin('pybtex.style.formatting', 'vancouver') is VancouverStyle
    found = find_reference_style('sphinxcontrib.bibtex.style.referencing', 'vancouver')
    assert found is VancouverFootStyle


# -- in every edition ----------------------------------------------------------

# The references of tests/roots/test-references, in the order they are cited.
LEEM_URL = 'https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf'
CITED = [
    'Ravì D, Ødegaard K, Lefèvre JL, Berthelot M, Andreu-Perez J, Lo B, et al. '
    'Deep Learning for HER2 Screening in Phase I Trials. IEEE J Biomed Health Inform. '
    '2017;21(1):4-21. doi:10.1109/JBHI.2016.2636665. PMID: 28055930',
    'Durand C, Moreau P, Lefèvre É. Micro-dosing studies before phase I: a review. '
    'Journal of Fixture Oncology. 2018;12(3):101-10.',
    'Ødegaard K, Martin P. Trastuzumab et cardiotoxicité. Bull Cancer. 2019.',
    'Cazin JL, Cochelard D. Pharmacie clinique en oncologie. 2e éd. '
    'Paris : Éditions Fixture ; 2017.',
    'Martin P. Les inhibiteurs de tyrosine kinase. Dans : Dupont J, Durand C, éditeurs. '
    'Thérapeutique du cancer. Lyon : Springer ; 2015. p. 1234-9.',
    'Les Entreprises du médicament. L’engagement du LEEM contre le cancer [Internet]. '
    'Paris : LEEM ; 2017 [cité le 12 mars 2018]. Disponible sur : '
    'https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf',
    'Institut national du cancer. Les cancers en France en 2017. '
    'Boulogne-Billancourt : INCa ; 2018. Rapport n° ETKAFR18.',
    'Dupont MH. Pharmacocinétique des anticorps monoclonaux [thèse]. '
    'Lille : Université de Lille ; 2016.',
    'Recommandations de bon usage. 2019.',
    'Inventeur I. Un brevet. 2012.',
]
TEXTUAL = [
    'Ravì et al., 2017',
    'Durand et al., 2018',
    'Ødegaard et Martin, 2019',
    'Cazin et Cochelard, 2017',
]


def flat(text: str) -> str:
    """Every run of spaces (non-breaking and narrow ones too) as one space."""
    return ' '.join(text.replace('\u00a0', ' ').replace('\u202f', ' ').split())


def footnote_texts(soup: BeautifulSoup) -> list[str]:
    notes = soup.select('aside.footnote') or soup.select('.footnote')
    return [flat(note.find('p').get_text()) for note in notes]


@pytest.mark.sphinx('html', testroot='references', freshenv=True)
def test_website(app):
    app.build()
    html = (app.outdir / 'issues/021.html').read_text(encoding='utf-8')
    soup = BeautifulSoup(html, 'html.parser')
    assert footnote_texts(soup) == CITED
    # \textit{HER2} in the .bib, as Zotero exports a gene's name.
    assert [em.get_text() for em in soup.select('aside.footnote em')] == ['HER2']
    text = flat(soup.select_one('section#sources').get_text())
    for call, number in zip(TEXTUAL, range(1, 5), strict=True):
        assert f'{call}[{number}]' in text
    assert 'Voir aussi [5][6][7][8][9][10].' in text
    assert 'Tous les auteurs : Durand, Moreau et Lefèvre, 2018[2].' in text
    # A chiffre's :source: given as a key of the .bib: the same reference, here and
    # on the chiffres page.
    chiffre_source = soup.select_one('section.galien-chiffre .galien-source')
    assert flat(chiffre_source.get_text()) == f'Source : {CITED[5]}'
    chiffres = BeautifulSoup(
        (app.outdir / 'chiffres.html').read_text(encoding='utf-8'), 'html.parser'
    )
    listed = chiffres.select_one('#chiffre-21 .galien-source')
    assert flat(listed.get_text()) == f'Source : {CITED[5]}'
    assert listed.find('a')['href'] == LEEM_URL
    links = {a.get_text(): a['href'] for a in soup.select('aside.footnote a.reference')}
    assert links['doi:10.1109/JBHI.2016.2636665'] == 'https://doi.org/10.1109/JBHI.2016.2636665'
    assert links['PMID: 28055930'] == 'https://pubmed.ncbi.nlm.nih.gov/28055930/'
    # The unknown type is printed plainly and reported at its line.
    assert re.search(
        r"refs\.bib:86: WARNING: le type d'entrée @patent de la référence 'brevet2012' "
        r"n'est pas prévu par le style Vancouver .*\[galien\.style-reference\]",
        warnings(app),
    )
    assert warnings(app).count('WARNING') == 1


@pytest.mark.sphinx('epub', testroot='references', freshenv=True)
def test_epub(app):
    app.build()
    with zipfile.ZipFile(app.outdir / f'{app.config.epub_basename}.epub') as archive:
        xhtml = archive.read('issues/021.xhtml').decode('utf-8')
    soup = BeautifulSoup(xhtml, 'html.parser')
    assert footnote_texts(soup) == CITED
    assert 'Ravì et al., 2017' in flat(soup.get_text())
    assert flat(soup.select_one('.galien-chiffre .galien-source').get_text()) == (
        f'Source : {CITED[5]}'
    )


@pytest.mark.sphinx('email', testroot='references', freshenv=True)
def test_email(app):
    app.build()
    html = (app.outdir / 'galien-021.html').read_text(encoding='utf-8')
    soup = BeautifulSoup(html, 'html.parser')
    # A long address is shown short in the e-mail (its link keeps the whole address).
    shown = [*CITED[:5], CITED[5].replace(LEEM_URL, 'www.leem.org/…'), *CITED[6:]]
    assert [flat(n.get_text()) for n in soup.select('.galien-note-texte')] == shown
    article = flat(soup.get_text())
    for number, call in enumerate(TEXTUAL, start=1):
        assert f'{call}[{number}]' in article
    chiffre_source = flat(soup.select_one('.galien-chiffre .galien-source').get_text())
    assert chiffre_source == f'Source : {shown[5]}'
    # The text part numbers web addresses, <n>, and lists them whole at the end:
    # the chiffre's source first (<1>, the same address again in note 6).
    text = (app.outdir / 'galien-021.txt').read_text(encoding='utf-8')
    leem = CITED[5].split('https://')[0] + '<1>'
    expected = [
        CITED[0]
        .replace('28055930', '28055930 <3>')
        .replace('6665.', '6665 <2>.')
        .replace('HER2', '*HER2*'),  # in italics: as the text part writes emphasis
        *CITED[1:5],
        leem,
        *CITED[6:],
    ]
    notes = flat(text[text.index('[1] ') : text.index('CPPCC')])
    assert notes == ' '.join(f'[{n}] {ref}' for n, ref in enumerate(expected, start=1))
    assert f'Source : {leem}' in flat(text[: text.index('Dans l’actualité')])
    lines = text.splitlines()
    assert (
        '<1> https://www.leem.org/sites/default/files/LEEM_Plateforme_Cancers_Exe-V7.pdf' in lines
    )
    assert '<2> https://doi.org/10.1109/JBHI.2016.2636665' in lines
    assert 'Source : Ravì et al., 2017[1].' in flat(text)


@pytest.mark.slow
def test_pdf(tmp_path):
    """``make latexpdf`` on the test root: the references are footnotes of galien-021.pdf."""
    result = run_sphinx(
        '-M',
        'latexpdf',
        str(TESTS_DIR / 'roots/test-references'),
        str(tmp_path),
        '-q',
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = tmp_path / 'latex/galien-021.pdf'
    # TeX breaks lines inside words (can-cer) and addresses (https: //www):
    # compared without spaces and hyphens, the numeric locator checked whole.
    text = squeezed(pdftotext(pdf, layout=False))
    for number, reference in enumerate(CITED, start=1):
        assert squeezed(f'{number}. {reference}') in text, reference
    assert '2017;21(1):4-21. doi:10.1109/JBHI.2016.2636665. PMID: 28055930' in flat(
        pdftotext(pdf, layout=False)
    )
    for number, call in enumerate(TEXTUAL, start=1):
        assert squeezed(f'{call} {number}') in text
    assert squeezed(f'Source : {CITED[5]}') in text  # the chiffre's, not note 6


def squeezed(text: str) -> str:
    return re.sub(r'[\s\u00a0\u202f-]', '', text)


#: The guide's page on citing, whose examples are checked here.
CITING = PROJECT_DIR / 'docs' / 'rediger' / 'citer.md'


def guide_examples() -> list[tuple[str, str]]:
    """The guide's ``bibtex`` blocks, each with the quoted reference under it."""
    text = CITING.read_text(encoding='utf-8')
    pairs = re.findall(r'```bibtex\n([^`]*)```\n\n((?:> .*\n)+)', text)
    return [(bib, ' '.join(line[2:] for line in quote.splitlines())) for bib, quote in pairs]


def test_guide_examples_print_as_shown(french):
    examples = guide_examples()
    assert len(examples) == 7  # article, book, chapter, web page, report, thesis, title only
    for bib, shown in examples:
        assert list(formatted(bib).values()) == [shown]


def test_unknown_entry_type_warning_is_documented():
    # The guide's table of warnings is made from the enumeration.
    assert 'Vancouver' in Subtype.STYLE_REFERENCE.description
    assert '`[galien.style-reference]`' in CITING.read_text(encoding='utf-8')
