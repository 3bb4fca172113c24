"""The benchmark's archives: both stacks build the same issues cleanly."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

import bench
from archive import issue_date, issue_drugs, issue_text, plain_issue_text


def test_issue_dates_run_month_by_month():
    assert issue_date(1, 2018) == (2018, 1)
    assert issue_date(12, 2018) == (2018, 12)
    assert issue_date(13, 2018) == (2019, 1)
    assert issue_date(240, 2018) == (2037, 12)


def test_plain_issue_keeps_the_content_without_our_syntax():
    text = plain_issue_text(7, 2018, 7)
    assert '[Galien 6](006.md)' in text and '[Galien 3](003.md)' in text
    assert '**7,5 %**' in text and '- Dr F. Pinguet (Montpellier)' in text
    assert '{chiffre-du-mois}' not in text and '{galien}' not in text and '{board}' not in text
    assert '{dci}' not in text and '{medicament}' not in text
    assert 'Sont aussi cités : vémurafénib, Tafinlar®, tramétinib' in text


def test_each_issue_discusses_ten_drugs_and_presents_two():
    text = issue_text(7, 2018, 7)
    assert text.count('```{medicament}') == 2
    assert text.count('{dci}`') == 8
    assert '```{medicament} entrectinib\n:specialite: Rozlytrek®' in text
    assert '{dci}`Tafinlar® <dabrafénib>`' in text
    assert len({drug[0] for drug in issue_drugs(7)}) == 10


@pytest.mark.parametrize('stack', ['galien', 'stock'])
def test_generated_archive_builds_without_warnings(stack, tmp_path):
    source = bench.make_project(tmp_path / 'src', 14, stack)
    _seconds, peak_mb, warnings = bench.sphinx_build(source, tmp_path / 'out')
    assert warnings == ''
    assert peak_mb > 10  # a Sphinx process weighs more than that: the measure is real
    pages = {p.name for p in (tmp_path / 'out/html/issues').glob('*.html')}
    assert pages == {f'{n:03d}.html' for n in range(1, 15)}
    issue = (tmp_path / 'out/html/issues/014.html').read_text(encoding='utf-8')
    assert '14,5' in issue and 'Pinguet' in issue and 'href="013.html"' in issue


def test_measure_reports_rebuild_of_few_pages(tmp_path):
    result = bench.measure(tmp_path, 6, 'galien', runs=1)
    assert len(result.full) == 1 and result.warnings == 0
    assert len(result.rebuilds) == 1  # one edit measured per run
    # The edited issue, the home page whose toctree lists the issue, and the three pages
    # Sphinx writes every time; the index of drugs only when the issue's drugs change.
    assert result.rewritten_pages == [
        'accessibilite.html',
        'genindex.html',
        'index.html',
        'issues/003.html',
        'search.html',
    ]
    assert result.rewritten == 5
    assert result.drug_pages == [
        'accessibilite.html',
        'genindex.html',
        'index.html',
        'issues/003.html',
        'medicaments.html',
        'search.html',
    ]


@pytest.mark.slow
def test_print_measure_rewrites_only_the_edited_issue(tmp_path):
    """The print section's rebuild is one issue's: its .tex and its PDF, nothing else."""
    result = bench.measure_print(tmp_path, 2, runs=2)
    assert len(result.rebuilds) == 2
    assert result.pdfs_rewritten == 1
    assert result.tex_rewritten == 1
    # The edits went to issue 2 // 2 = 1, the second replacing the first.
    tex = (tmp_path / 'print-2/src/issues/001.md').read_text(encoding='utf-8')
    assert 'Un article (version 2)' in tex and '(version 1)' not in tex


@pytest.mark.slow
def test_onepass_measure_counts_one_run_after_two_before(tmp_path):
    """The one-pass section: a clean one-issue build, one LuaLaTeX run against two before."""
    result = bench.measure_onepass(tmp_path, 1, runs=1)
    (before, before_cpu, before_runs), (after, after_cpu, after_runs) = result[False], result[True]
    assert (before_runs, after_runs) == (2, 1)
    assert before > 0 and after > 0
    # CPU time is measured, not asserted (tests hold no timings): only that it was read.
    assert before_cpu > 0 and after_cpu > 0


def test_builds_are_dated_as_of_the_archive_s_last_issue(monkeypatch):
    """A 240-issue archive runs to 2037: built as of today, 200 issues would be warned about."""
    monkeypatch.delenv('SOURCE_DATE_EPOCH', raising=False)
    bench.build_as_of_last_issue(240)
    built = datetime.fromtimestamp(int(os.environ['SOURCE_DATE_EPOCH']), UTC)
    assert (built.year, built.month) == (2037, 12)
    monkeypatch.setenv('SOURCE_DATE_EPOCH', '1517443200')
    bench.build_as_of_last_issue(240)
    assert os.environ['SOURCE_DATE_EPOCH'] == '1517443200'
