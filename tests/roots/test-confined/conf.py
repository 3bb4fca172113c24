"""A project whose configuration tries, during the build, to reach outside it.

The probe stands below every allow-list: code that runs in the build, as a
hostile construct that got past them would. It records what it could do in
``probe.json`` in the output folder (test_confined_build.py).
"""

import json
import os
import socket
from pathlib import Path

project = 'Confinement'
exclude_patterns = ['_build']


def attempt(action):
    """'ok' if ``action`` succeeded, else the name of the error."""
    try:
        action()
    except OSError as error:
        return type(error).__name__
    return 'ok'


def connect():
    with socket.create_connection(('127.0.0.1', int(os.environ['PROBE_PORT'])), timeout=5):
        pass


def probe(app, exception):
    source, out = Path(app.srcdir), Path(app.outdir)
    results = {
        'read-parent': attempt(lambda: (source.parent / 'secret.txt').read_text()),
        'parent-holds': sorted(p.name for p in source.parent.iterdir()),
        'write-parent': attempt(lambda: (source.parent / 'written.txt').write_text('x')),
        'write-project': attempt(lambda: (source / 'written.txt').write_text('x')),
        'append-conf': attempt(lambda: (source / 'conf.py').open('a').close()),
        'write-tmp': attempt(lambda: Path('/tmp', os.environ['PROBE_NAME']).write_text('x')),
        'host-process': 'ok' if Path('/proc', os.environ['PROBE_PID']).exists() else 'absent',
        'network': attempt(connect),
        'relay-password': os.environ.get('GALIEN_SMTP_PASSWORD', 'absent'),
        'write-build': attempt(lambda: (out / 'written.txt').write_text('x')),
    }
    (out / 'probe.json').write_text(json.dumps(results), encoding='utf-8')


def setup(app):
    app.connect('build-finished', probe)
