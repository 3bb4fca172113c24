"""The subtypes of the extension's warnings: one enumeration, in French, each with its entry.

An editor reads ``[galien.<subtype>]`` after a warning, filters it with
``suppress_warnings`` and finds it explained in the guide, whose table is made
from this enumeration (``docs/_ext``), so code and guide cannot drift.
A member is its string, so a build's output is the same as with a bare string.
"""

from __future__ import annotations

from enum import StrEnum


class Subtype(StrEnum):
    """What a ``galien`` warning is about; ``description`` is the guide's entry."""

    description: str

    def __new__(cls, value: str, description: str = '') -> Subtype:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    EN_TETE = (
        'en-tete',
        "en-tête absent ou illisible, `numero` ou `date` manquant ou invalide, `numero` qui n'est "
        'pas écrit en chiffres décimaux (`0x15`, `21.0`, `true`, une liste ; `021` veut dire 21), '
        "`titre` qui n'est pas un texte (ignoré), `date` à plus d'un an de la construction, deux "
        'fichiers pour un même numéro, nom de fichier différent du numéro, `brouillon` qui ne vaut '
        'ni `oui` ni `non` (le numéro reste un brouillon), clé autre que `numero`, `date`, `titre` '
        'et `brouillon` (`myst:`, `orphan:`… : ignorée)',
    )
    CHIFFRE = (
        'chiffre',
        'chiffre du mois sans chiffre, sans texte, option inconnue, `:source:` qui n’est pas une '
        'adresse web, deux chiffres dans un numéro',
    )
    BOARD = 'board', 'board sans membre, ligne mal formée, titre inconnu, option inconnue'
    IMBRICATION = (
        'imbrication',
        'listes ou citations imbriquées sur plus de 6 niveaux (le bloc est gardé comme texte '
        'simple), italique, gras ou liens imbriqués sur plus de 6 niveaux (les marques en trop '
        'restent visibles)',
    )
    REFERENCE = (
        'reference',
        "`{galien}` avec autre chose qu'un numéro, numéro inconnu, numéro postérieur au numéro "
        'qui le cite',
    )
    CITATION = (
        'citation',
        'clé de citation absente de `references.bib`, `{footcite}` sans '
        "```` ```{footbibliography} ```` après lui (l'appel est retiré)",
    )
    BIBTEX = (
        'bibtex',
        '`references.bib` : erreur de syntaxe, entrée non fermée, trop longue ou trop imbriquée '
        '(elle est ignorée), clé définie deux fois (la seconde est ignorée), chaîne `@string` qui '
        "se développe démesurément, `url` qui n'est pas en `http`/`https` (retirée), caractères "
        'de contrôle (supprimés), fichier trop gros, hors du projet, absent ou pas en UTF-8 '
        '(ignoré)',
    )
    STYLE_REFERENCE = (
        'style-reference',
        "type d'entrée de `references.bib` que le style de Vancouver ne connaît pas (imprimée "
        'sous une forme simple)',
    )
    ENCODAGE = 'encodage', "fichier qui n'est pas enregistré en UTF-8 (il est ignoré)"
    IMAGE = (
        'image',
        'image sans texte alternatif (`![description](image.png)`), image introuvable, fichier '
        "qui n'est pas l'image que son nom annonce (contenu vérifié : PNG, JPEG, GIF, WebP, SVG), "
        'format non accepté, image que le PDF ne peut pas imprimer : son texte alternatif '
        "s'affiche dans un cadre",
    )
    IMAGE_DISTANTE = (
        'image-distante',
        'image désignée par une adresse (`https://…`, `data:`, `javascript:`, `//…`) : jamais '
        'chargée, son texte alternatif la remplace',
    )
    SVG = (
        'svg',
        'image SVG : contenu actif ou externe retiré de la copie publiée (`<script>`, `onload=`, '
        'lien `javascript:`, `<foreignObject>`, référence à un autre fichier ou à une page), ou '
        'SVG refusé (entités externes ou imbriquées, éléments imbriqués sur plus de 100 niveaux, '
        'fichier de plus de 8 Mo)',
    )
    FICHIER = (
        'fichier',
        'image, figure, `{download}` ou lien vers un fichier hors du dossier du projet (`../`, '
        'chemin absolu, lien symbolique qui pointe dehors), ou `{download}` d’un fichier caché '
        '(`.git/config`, `.env` : un nom qui commence par un point) : rien n’est lu ni copié '
        '(image remplacée par son texte alternatif)',
    )
    LIEN = (
        'lien',
        'lien vers une adresse autre que `http`, `https`, `mailto` ou relative (`javascript:`, '
        '`data:`, `vbscript:`, `file:`…, même déguisée) : le texte reste, sans lien',
    )
    LANGAGE = (
        'langage',
        'directive, rôle, option ou valeur d’option qui ne fait pas partie du langage de la '
        'lettre, bloc `{eval-rst}` : affiché tel quel, comme du texte ; le reste du numéro est '
        'construit',
    )
    HTML = (
        'html',
        "HTML d'une page hors de la liste blanche (élément, attribut, adresse ou propriété de "
        'style) : retiré de la page publiée (site, ePub, e-mail)',
    )
    CARACTERE = (
        'caractere',
        'caractère de contrôle (NUL, ESC, DEL, C1…) ou U+FFFD dans un numéro : retiré',
    )
    MATH = (
        'math',
        'formule refusée (commande, environnement ou caractère hors liste blanche, `%`, `^^`, '
        'accolades non équilibrées, `&`/`\\\\` hors environnement, plus de 2 000 caractères, '
        '`:nowrap:`) : affichée comme du texte dans toutes les éditions ; TeX écrit entre `$…$` '
        'dans le texte, qui n’est pas une formule (écrire `{math}`)',
    )
    LATEX = 'latex', 'caractère impossible à imprimer (remplacé dans le PDF), erreur LaTeX'
    EMAIL = (
        'email',
        "contenu que l'édition e-mail ne peut pas reprendre, `html_baseurl` vide, message de plus "
        'de 100 Ko (Gmail le couperait)',
    )
    ARCHIVES = (
        'archives',
        'ancien numéro de `archives/numeros-papier.yml` : PDF introuvable ou qui n’est pas un '
        'PDF, clé inconnue, `numero` ou `date` invalide, numéro déclaré deux fois ou aussi écrit '
        'en Markdown, chiffre sans texte, fichier YAML illisible',
    )
    MEDICAMENT = (
        'medicament',
        '`{medicament}` ou `{dci}` sans DCI ou dont la DCI ne nomme aucun médicament '
        '(`` {dci}`<>` ``, sans lettre ; rien dans l’index), option ou statut inconnus, code ATC '
        'ou date mal formés, médicament présenté deux fois dans un numéro, code ATC ou spécialité '
        'contradictoires d’un numéro à l’autre',
    )
    CONFIG = (
        'config',
        'réglage invalide dans `conf.py` (par ex. autre chose qu’un numéro dans '
        '`galien_paper_issues`, `galien_email_from` sans adresse, une adresse de '
        '`galien_unsubscribe` qui ne commence ni par `mailto:` ni par `https:`), `galien_issn` '
        'qui n’est pas un ISSN valide, fichier de `galien_paper_archive` absent, valeur d’un '
        'réglage `galien_*` qui n’est pas du bon type, modèle d’adresse (`galien_pdf_url`, '
        '`galien_feed_url`, `galien_epub_url`) qui cite autre chose que `{baseurl}` et '
        '`{numero}`, période de `galien_colophons` sans `since` ; dit une fois par construction, '
        'à la ligne de `conf.py` (sans ligne pour une valeur donnée par `-D`), la construction '
        'continuant avec la valeur par défaut (pour une liste : ses bons éléments)',
    )
    BROUILLON = (
        'brouillon',
        'un numéro publié cite avec `{galien}` un numéro en brouillon : le nom reste en texte, '
        'sans lien (dans un aperçu, le lien est gardé mais l’avertissement prévient qu’il serait '
        'mort une fois publié)',
    )
    ACCESSIBILITE = (
        'accessibilite',
        '`galien_accessibility_contact` vide dans `conf.py` : la déclaration d’accessibilité du '
        'site n’a pas de contact',
    )
    RELECTURE = (
        'relecture',
        '`make relecture NUMERO=N` : aucun numéro N dans `issues/`, pas de PDF de relecture',
    )
    VOLUME = (
        'volume',
        '`make volume ANNEE=N` : aucun numéro publié en N (les brouillons ne comptent pas), '
        'pas de volume',
    )
    LIEN_SYMBOLIQUE = (
        'lien-symbolique',
        'lien symbolique parmi les sources (un numéro, un dossier de `issues/`, '
        '`references.bib`, `archives/numeros-papier.yml`, le PDF d’un ancien numéro), où qu’il '
        'mène : refusé, jamais lu ni suivi, le reste est construit',
    )
    FICHIER_SPECIAL = (
        'fichier-special',
        'numéro ou fichier de `{download}` qui n’est pas un fichier ordinaire (tube nommé, '
        'socket, périphérique, que la lecture attendrait sans fin ; dossier) : refusé, jamais '
        'ouvert, le reste est construit',
    )
