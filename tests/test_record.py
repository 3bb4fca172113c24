"""The builders' record (``build/record.py``) and the search index's clean-up, as units."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

from sphinx.search import js_index

from conftest import PROJECT_DIR
from galien.build.record import BuildRecord, digest, plain, write_if_changed
from galien.web.search_index import without_empty_words

EXTENSIONS = PROJECT_DIR / 'extensions'
DIGEST_OF_A_SET = (
    'from galien.build.record import digest; '
    "print(digest({'inputs': frozenset({'osimertinib', 'erlotinib', 'afatinib', 'imatinib'})}))"
)


def test_digest_is_the_same_in_every_process():
    """Sets are ordered by their hash, which changes with each process: not the digest."""
    digests = set()
    for seed in ('1', '2', '3'):
        result = subprocess.run(
            [sys.executable, '-c', DIGEST_OF_A_SET],
            env={
                **os.environ,
                'PYTHONHASHSEED': seed,
                'PYTHONPATH': str(PROJECT_DIR / 'extensions'),
            },
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1


@dataclass(frozen=True)
class Point:
    x: int
    y: int


@dataclass(frozen=True)
class Pair:
    x: int
    y: int


def test_digest_tells_values_apart():
    assert digest((1, 2)) == digest([1, 2])  # the same JSON data
    assert digest(Point(1, 2)) != digest(Pair(1, 2))
    assert digest(Point(1, 2)) != digest(Point(2, 1))
    assert digest({'a': 1}) != digest({'a': True})
    assert plain({(1, 'a'): {'b'}}) == {'[1,"a"]': ['b']}


@dataclass(frozen=True)
class Located:
    numero: int
    line: int = field(default=0, compare=False)


def test_digest_follows_equality_not_the_source_line():
    """A back issue moved down its data file by a comment is the same back issue."""
    assert Located(12, line=3) == Located(12, line=4)
    assert digest(Located(12, line=3)) == digest(Located(12, line=4))
    assert digest(Located(12)) != digest(Located(13))


def test_plain_refuses_what_cannot_be_compared_across_builds():
    try:
        plain(print)
    except TypeError as error:
        assert str(error) == 'builtin_function_or_method'
    else:
        raise AssertionError('a function was taken as data')


def test_write_if_changed_leaves_an_unchanged_file_alone(tmp_path):
    path = tmp_path / 'Makefile'
    assert write_if_changed(path, 'all:\n')
    os.utime(path, ns=(1, 1))
    assert not write_if_changed(path, b'all:\n')
    assert path.stat().st_mtime_ns == 1
    assert write_if_changed(path, 'all: pdfs\n')
    assert path.read_text(encoding='utf-8') == 'all: pdfs\n'


def test_record_round_trip_and_unknown_versions(tmp_path):
    path = tmp_path / 'galien-record-html.json'
    record = BuildRecord(path)
    assert record.get('documents') is None
    record.set('documents', {'index': 12})
    record.save()
    assert BuildRecord(path).get('documents') == {'index': 12}
    older = {**json.loads(path.read_text(encoding='utf-8')), 'version': 0}
    path.write_text(json.dumps(older), encoding='utf-8')
    assert BuildRecord(path).get('documents') is None
    path.write_text('{not json', encoding='utf-8')
    assert BuildRecord(path).get('documents') is None


def test_words_of_no_page_leave_the_search_index():
    index = {
        'docnames': ['index'],
        'terms': {'galien': 0, 'apropo': [], 'lettr': [0, 1]},
        'titleterms': {'propos': [], 'galien': 0},
    }
    cleaned = js_index.loads(without_empty_words(js_index.dumps(index)))
    assert cleaned['terms'] == {'galien': 0, 'lettr': [0, 1]}
    assert cleaned['titleterms'] == {'galien': 0}
    assert without_empty_words('Search.setIndex(') == 'Search.setIndex('
