"""Command line of the Galien extension: tools for editors and for `make check`.

``python -m galien new [--numero N] [--date AAAA-MM]`` starts the next issue;
``python -m galien check-xml DIR`` checks that the feeds and sitemap built in
``DIR`` are well-formed XML (part of ``make check``); ``python -m galien
check-private`` refuses a tracked subscriber list (also ``make check``);
``python -m galien send`` delivers an issue (``make send``, :mod:`galien.cli.send`),
building its letter through ``python -m galien lettre`` in a child process without
secrets (:mod:`galien.cli.send_letter`), and ``python -m galien rebonds`` records
the hard bounces of a mailbox;
``python -m galien build -M BUILDER SOURCEDIR BUILDDIR [OPTIONS]`` is
``sphinx-build -M`` as the Makefile runs it, ending a Ctrl-C with one line
(:mod:`galien.cli.build`);
``python -m galien relecture --numero N`` makes the review PDF of issue N
(:mod:`galien.cli.review`); ``python -m galien brouillons`` lists the drafts;
``python -m galien langage`` prints the guide's table of the letter's language.
"""

from __future__ import annotations

import argparse
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from galien.cli import build, review, send, send_errors, send_letter, volume
from galien.cli.bounces import MailboxError, record_bounces
from galien.cli.private import private_files
from galien.cli.scaffold import ScaffoldError, create_issue
from galien.cli.service_readers import reader_list
from galien.cli.subscribers import bounced_list_of
from galien.content.language import guide_table


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:2] == ['build', '-M']:
        # Every option is sphinx-build's: none goes through this command's parser.
        return build.run(arguments[2:])
    parser = argparse.ArgumentParser(
        prog='python -m galien', description='Outils de la lettre Galien.'
    )
    commands = parser.add_subparsers(dest='command', required=True)
    new = commands.add_parser('new', help='crée issues/NNN.md pour le prochain numéro')
    new.add_argument('--numero', type=int, help='numéro à créer (par défaut : le suivant)')
    new.add_argument('--date', help='mois de parution AAAA-MM (par défaut : le mois suivant)')
    new.add_argument(
        '--project',
        type=Path,
        default=Path.cwd(),
        help='dossier du projet (par défaut : le dossier courant)',
    )
    check_xml = commands.add_parser(
        'check-xml', help="vérifie les fichiers XML d'un site construit"
    )
    check_xml.add_argument('folder', type=Path)
    check_private = commands.add_parser(
        'check-private', help="refuse une liste d'abonnés suivie par git"
    )
    check_private.add_argument('--project', type=Path, default=Path.cwd())
    add_send_parser(commands)
    letter = commands.add_parser(
        'lettre', help="construit l'e-mail d'un numéro pour make send (sans secrets)"
    )
    letter.add_argument('--numero', type=int, required=True)
    letter.add_argument('--project', type=Path, required=True)
    letter.add_argument('--build-dir', type=Path, required=True)
    letter.add_argument('--resultat', type=Path, required=True)
    bounces = commands.add_parser(
        'rebonds', help='ajoute les adresses inconnues d’une boîte de rapports de non-remise'
    )
    bounces.add_argument('mailbox', type=Path, help='fichier mbox ou dossier Maildir')
    bounces.add_argument('--desinscrits', type=Path, help='liste des désinscrits')
    bounces.add_argument(
        '--abonnes', default='', help='« service » ou l’URL de sa base : y marquer les rebonds'
    )
    bounces.add_argument('--project', type=Path, default=Path.cwd())
    commands.add_parser(
        'build', help='sphinx-build -M BUILDER SOURCEDIR BUILDDIR [OPTIONS], pour make'
    )
    relecture = commands.add_parser(
        'relecture', help='PDF de relecture d’un numéro (filigrane BROUILLON, lignes numérotées)'
    )
    relecture.add_argument('--numero', type=int, required=True, help='numéro à relire')
    relecture.add_argument('--builddir', type=Path, default=Path('_build'))
    relecture.add_argument('--project', type=Path, default=Path.cwd())
    annual = commands.add_parser('volume', help='le volume annuel : PDF/A et ePub d’une année')
    annual.add_argument('--annee', type=int, required=True, help='année du volume')
    annual.add_argument('--builddir', type=Path, default=Path('_build'))
    annual.add_argument('--project', type=Path, default=Path.cwd())
    brouillons = commands.add_parser('brouillons', help='liste les numéros en brouillon')
    brouillons.add_argument('--project', type=Path, default=Path.cwd())
    commands.add_parser('langage', help='le tableau du langage de la lettre (celui du guide)')
    # Options left over are sphinx-build's, for ``relecture`` and ``volume`` (SPHINXOPTS).
    args, sphinx_options = parser.parse_known_args(arguments)
    if sphinx_options and args.command not in {'relecture', 'volume'}:
        parser.error(f'arguments inconnus : {" ".join(sphinx_options)}')

    if args.command == 'relecture':
        return review.make_review_pdf(args.project, args.builddir, args.numero, sphinx_options)
    if args.command == 'volume':
        return volume.make_volume(args.project, args.builddir, args.annee, sphinx_options)
    if args.command == 'brouillons':
        return review.list_drafts(args.project)
    if args.command == 'langage':
        print(guide_table())
        return 0

    if args.command == 'check-xml':
        return check_xml_files(args.folder)
    if args.command == 'check-private':
        return check_private_files(args.project)
    if args.command == 'send':
        return run_send(args)
    if args.command == 'lettre':
        return send_letter.child_main(args.numero, args.project, args.build_dir, args.resultat)
    if args.command == 'rebonds':
        return run_bounces(args)
    if args.command == 'build':
        parser.error('build : écrivez python -m galien build -M BUILDER SOURCEDIR BUILDDIR')
    try:
        path = create_issue(args.project, args.numero, args.date)
    except ScaffoldError as error:
        print(f'galien new : {error}', file=sys.stderr)
        return 1
    print(f'Créé : {path.relative_to(args.project)}, en brouillon (brouillon: oui).')
    print(
        'Il est lu et vérifié, mais publié dans aucune édition. '
        'Aperçu : make html BROUILLONS=1 (ou make livehtml) ; '
        'PDF pour le board : make relecture NUMERO=' + path.stem.lstrip('0') + '.'
    )
    print('Pour le publier : écrivez « brouillon: non » dans son en-tête (ou retirez la ligne).')
    return 0


def add_send_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser('send', help='envoie un numéro aux abonnés (make send)')
    parser.add_argument('--numero', type=int, required=True)
    parser.add_argument(
        '--abonnes',
        help='fichier CSV des abonnés, « service » ou l’URL de la base du service',
    )
    parser.add_argument('--desinscrits', type=Path, help='liste des désinscrits')
    parser.add_argument('--journal', type=Path, help='journal des envois (SQLite)')
    parser.add_argument('--test', default='', help='une seule copie, à cette adresse')
    parser.add_argument('--simulation', action='store_true', help="n'envoie rien")
    parser.add_argument('--confirmer', default='', help='« oui » : sans question')
    parser.add_argument(
        '--debit',
        default=str(send.DEFAULT_RATE),
        help='messages par minute ; 0 ou max : sans attente',
    )
    parser.add_argument('--renvoyer', default='', choices=['', 'incertains'])
    parser.add_argument(
        '--attente', type=float, default=send.DEFAULT_WAIT, help='première attente (s)'
    )
    parser.add_argument('--project', type=Path, default=Path.cwd())
    parser.add_argument('--build-dir', type=Path, help='dossier _build')


def rate(value: str) -> float:
    """``DEBIT=``: messages per minute, ``0`` or ``max`` for no pacing."""
    if value.strip().lower() == 'max':
        return 0.0
    try:
        number = float(value.replace(',', '.'))
    except ValueError:
        number = -1.0
    if not number >= 0:  # negative, or not a number at all (NaN included)
        raise send_errors.SendRefusedError(
            f'DEBIT vaut « {value} » : un nombre de messages par minute, ou 0 (ou max) : '
            'sans attente'
        )
    return number


def run_send(args: argparse.Namespace) -> int:
    try:
        return send_with(args)
    except send_errors.SendRefusedError as error:
        return send.refuse(error)


def send_with(args: argparse.Namespace) -> int:
    project = args.project.resolve()
    options = send.Options(
        numero=args.numero,
        project=project,
        build_dir=(args.build_dir or project / '_build').resolve(),
        subscribers=reader_list(args.abonnes, project, os.environ) if args.abonnes else None,
        unsubscribed=args.desinscrits,
        journal=args.journal,
        test=args.test.strip(),
        simulation=args.simulation,
        confirm=args.confirmer,
        rate=rate(args.debit),
        resend=args.renvoyer,
        wait=args.attente,
    )
    return send.run(options, os.environ, sys.stdout)


def run_bounces(args: argparse.Namespace) -> int:
    unsubscribed = args.desinscrits or args.project / 'desinscrits.txt'
    bounced = bounced_list_of(unsubscribed)
    try:
        scan, added = record_bounces(args.mailbox, bounced)
    except MailboxError as error:
        print(f'make rebonds : {error}', file=sys.stderr)
        return 1
    except OSError as error:
        where = error.filename or args.mailbox
        print(f'make rebonds : {where} : {error.strerror}', file=sys.stderr)
        return 1
    print(f'{scan.messages} message(s) lu(s) dans {args.mailbox}, ', end='')
    print(f'{scan.reports} rapport(s) de non-remise')
    print(f'Adresses inconnues (définitives) : {len(scan.permanent)}, ', end='')
    print(f'dont {len(added)} nouvelle(s)')
    for address in added:
        print(f'  + {address}')
    if scan.temporary:
        print(f'Échecs temporaires (non retenus) : {len(scan.temporary)}')
        for address, status in sorted(scan.temporary.items()):
            print(f'  {address} : {status or "temporaire"}')
    print(f'Liste des rebonds : {bounced} (laissée de côté par make send)')
    if args.abonnes:
        readers = reader_list(args.abonnes, args.project, os.environ)
        try:
            marked = readers.bounced(sorted(scan.permanent))
        except send_errors.SendRefusedError as error:
            print(f'make rebonds : {error}', file=sys.stderr)
            return 1
        finally:
            readers.close()
        print(f'Service d’abonnement : {marked} abonné(s) passé(s) en « rebond »')
    return 0


def check_private_files(project: Path) -> int:
    """``make check`` refuses a subscriber list, bounce list or journal tracked by git."""
    found = private_files(project)
    for name, reason in found:
        print(
            f'{name} : données personnelles suivies par git ({reason}) : git rm --cached {name}',
            file=sys.stderr,
        )
    if found:
        return 1
    print("Aucune liste d'abonnés dans le dépôt.")
    return 0


def check_xml_files(folder: Path) -> int:
    """Parse every ``.xml`` file at the top of ``folder``; name the first error of each."""
    failures = 0
    files = sorted(folder.glob('*.xml'))
    for path in files:
        try:
            ET.parse(path)
        except ET.ParseError as error:
            line, column = error.position
            print(f'{path}:{line}:{column}: XML invalide : {error}', file=sys.stderr)
            failures += 1
    print(f'{len(files) - failures}/{len(files)} fichier(s) XML valide(s) dans {folder}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
