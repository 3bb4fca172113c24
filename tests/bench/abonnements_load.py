"""``make bench-abonnements``: the subscription service under load, on SQLite and PostgreSQL.

The documented production server (``python -m abonnements serve``, waitress)
on each database; ``wrk`` (Debian's) opens ``--clients`` connections on
127.0.0.1 for ``--duree`` seconds, each request one of: a subscription (a new
address, the form's CSRF token), a confirmation POST, or an RFC 8058 one-click
unsubscription (each reader's own link, in order). Reported: requests, p50/p99
latency, non-2xx/3xx answers (there must be none), socket errors; then every
reader whose one-click POST was sent is checked unsubscribed (none lost).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

import requests  # noqa: E402

from abonnements_service import Service, csrf_of, new_database, postgresql_cluster  # noqa: E402
from smtp_server import running_server  # noqa: E402

SEED = """
import json, sys
from abonnements.models import Subscriber, Status, Method
from abonnements.mails import unsubscribe_link, link
from abonnements.tokens import confirmation_token
from django.utils import timezone
now = timezone.now()
Subscriber.objects.bulk_create([Subscriber(email=f'lecteur{{i}}@example.org',
    email_key=f'lecteur{{i}}@example.org', status=Status.CONFIRMED, consent_at=now,
    consent_method=Method.FORM, consent_version='bench') for i in range({readers})])
Subscriber.objects.bulk_create([Subscriber(email=f'attente{{i}}@example.org',
    email_key=f'attente{{i}}@example.org', status=Status.PENDING,
    consent_method=Method.FORM, consent_version='bench') for i in range({pending})])
out = {{'unsubscribe': [unsubscribe_link(s) for s in
        Subscriber.objects.filter(status=Status.CONFIRMED).order_by('pk')],
       'confirm': [link('confirmer', confirmation_token(s.public_id)) for s in
        Subscriber.objects.filter(status=Status.PENDING).order_by('pk')]}}
print('SEED' + json.dumps(out))
"""

LUA = """
local unsubscribe = {unsubscribe}
local confirm = {confirm}
local cookie = "csrftoken={cookie}"
local token = "{token}"
local threads = {{}}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads)
end

function init(args)
  posted = 0
  sent = 0
end

function request()
  sent = sent + 1
  local kind = sent % 3
  local headers = {{["Content-Type"] = "application/x-www-form-urlencoded"}}
  if kind == 0 then
    -- this thread's own half of the readers, in order
    local i = (posted * {threads}) + index
    if i <= #unsubscribe then
      posted = posted + 1
      return wrk.format("POST", unsubscribe[i], headers, "List-Unsubscribe=One-Click")
    end
  end
  headers["Cookie"] = cookie
  headers["Origin"] = "{origin}"
  if kind == 1 then
    local path = confirm[(sent % #confirm) + 1]
    return wrk.format("POST", path, headers, "csrfmiddlewaretoken=" .. token)
  end
  return wrk.format("POST", "/", headers,
    "csrfmiddlewaretoken=" .. token .. "&consent=on&email=charge" .. index .. "x" .. sent
    .. "%40example.org")
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    io.write(string.format("POSTED %d %d\\n", thread:get("index"), thread:get("posted")))
  end
  io.write(string.format("P50 %.3f\\nP99 %.3f\\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
  local errors = summary.errors
  io.write(string.format("REQUESTS %d\\nSTATUS %d\\nSOCKET %d\\n", summary.requests,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""

THREADS = 2


def lua_list(urls: list[str], base: str) -> str:
    return '{' + ','.join(json.dumps(u.removeprefix(base.rstrip('/'))) for u in urls) + '}'


def run_one(label: str, db: str, home: Path, args: argparse.Namespace) -> dict[str, float]:
    relay = running_server()
    mail_server = next(relay)
    service = Service(db, mail_server.port, home, GALIEN_ABONNES_LIMITES='100000000,100000000')
    service.start()
    try:
        seeded = service.manage(
            'shell', '-c', SEED.format(readers=args.lecteurs, pending=args.attente)
        )
        data = json.loads(seeded[seeded.index('SEED') + 4 :])
        session = requests.Session()
        page = session.get(service.url)
        script = home / 'charge.lua'
        script.write_text(
            LUA.format(
                unsubscribe=lua_list(data['unsubscribe'], service.url),
                confirm=lua_list(data['confirm'], service.url),
                cookie=session.cookies['csrftoken'],
                token=csrf_of(page.text),
                threads=THREADS,
                origin=service.url.rstrip('/'),
            ),
            encoding='utf-8',
        )
        result = subprocess.run(
            ['wrk', '-t', str(THREADS), '-c', str(args.clients), '-d', f'{args.duree}s',
             '--timeout', '30s', '-s', str(script), service.url],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        figures = dict(re.findall(r'^(P50|P99|REQUESTS|STATUS|SOCKET) (\S+)$', result.stdout, re.M))
        posted = {
            int(i): int(n) for i, n in re.findall(r'^POSTED (\d+) (\d+)$', result.stdout, re.M)
        }
        expected = [
            data['unsubscribe'][(k * THREADS) + i - 1] for i, n in posted.items() for k in range(n)
        ]
        still = service.ask(
            *({'op': 'check', 'address': f'lecteur{int(u_index)}@example.org'}
              for u_index in _reader_indexes(expected, data['unsubscribe']))
        )  # fmt: skip
        lost = sum(1 for answer in still if answer['send'])
        print(
            f'{label:<11} {int(figures["REQUESTS"]):>8} requêtes'
            f'  p50 {float(figures["P50"]):7.1f} ms'
            f'  p99 {float(figures["P99"]):7.1f} ms  non 2xx/3xx {figures["STATUS"]}'
            f'  erreurs de socket {figures["SOCKET"]}  désabonnements {len(expected)},'
            f' perdus {lost}'
        )
        return {'status': float(figures['STATUS']), 'lost': float(lost)}
    finally:
        service.stop()
        relay.close()
        errors = [line for line in service.log_text().splitlines() if 'Error' in line]
        if errors:
            print('  ' + '\n  '.join(errors[-5:]))


def _reader_indexes(posted_urls: list[str], all_urls: list[str]) -> list[int]:
    position = {url: index for index, url in enumerate(all_urls)}
    return [position[url] for url in posted_urls]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clients', type=int, default=200)
    parser.add_argument('--duree', type=int, default=60)
    parser.add_argument('--lecteurs', type=int, default=20000)
    parser.add_argument('--attente', type=int, default=500)
    parser.add_argument('--bases', default='sqlite,postgresql')
    args = parser.parse_args()
    if shutil.which('wrk') is None:
        print('wrk manque : apt-get install wrk (make bench-abonnements l’installe)')
        return 1
    failures = 0
    print(f'{args.clients} clients pendant {args.duree} s, serveur waitress (production)')
    for label in args.bases.split(','):
        home = Path(tempfile.mkdtemp(prefix=f'galien-charge-{label}-'))
        try:
            if label == 'sqlite':
                outcome = run_one(label, str(home / 'abonnes.sqlite3'), home, args)
            else:
                with postgresql_cluster() as cluster:
                    outcome = run_one(label, new_database(cluster, 'charge'), home, args)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        failures += outcome['status'] > 0 or outcome['lost'] > 0
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
