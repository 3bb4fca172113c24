"""One function for each name the letter prints: months, dates, the issue's number and title."""

from __future__ import annotations

import pytest

from galien.core.dates import month_name, spoken_date
from galien.core.titles import issue_number, number_and_month

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ('language', 'month'),
    [
        ('fr', 'février 2018'),
        ('de', 'Februar 2018'),
        # Sphinx's spelling and Babel's: both are the same language.
        ('pt_BR', 'fevereiro 2018'),
        ('pt-BR', 'fevereiro 2018'),
        # A language Babel does not know: English, not a traceback.
        ('xx', 'February 2018'),
        (None, 'February 2018'),
    ],
)
def test_months_are_named_by_babel_in_any_language(language, month):
    assert month_name(2018, 2, language) == month


def test_a_date_with_its_day_is_named_the_same_way():
    assert spoken_date(2016, 2, 2, 'fr') == '2 février 2016'
    assert spoken_date(2016, 2, None, 'fr') == month_name(2016, 2, 'fr')
    assert spoken_date(2016, 2, 2, 'pt-BR') == '2 fevereiro 2016'


def test_the_number_keeps_its_no_break_space():
    assert issue_number(20) == 'N°\u00a020'


def test_a_plain_number_has_an_ordinary_space_for_what_is_searched():
    assert issue_number(20, plain=True) == 'N° 20'


def test_the_number_and_month_are_joined_by_a_dash_one_way():
    assert number_and_month(20, 'février 2018') == 'N°\u00a020 – février 2018'
    assert number_and_month(20, 'février 2018', plain=True) == 'N° 20 – février 2018'
