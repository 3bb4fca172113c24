# Galien: one source tree, every edition of the letter.
#
#   make html        the website           -> _build/html/
#   make latexpdf    the print edition     -> _build/latex/galien-NNN.pdf, one per issue
#   make epub        the tablet edition    -> _build/epub/galien.epub
#   make site        website + PDFs + ePub -> _build/site/, ready to deploy
#   make email       the e-mail edition    -> _build/email/galien-NNN.{html,txt,eml}
#   make livehtml    live preview for editors, drafts shown (http://127.0.0.1:8000)
#   make html BROUILLONS=1   the website with the draft issues, marked « Brouillon »
#   make relecture NUMERO=21 -> _build/relecture/galien-021-relecture.pdf, for the board
#   make volume ANNEE=2018   -> _build/volume/galien-2018.{pdf,epub}, the year bound
#   make test        make lint, then every test (installs the Debian and npm packages they need)
#   make test-fast   the edit-test loop: units, properties, in-process builds (about a minute)
#   make fuzz        a long fuzzing run: generated hostile issues in every edition (FUZZ_EXAMPLES=)
#   make lint        ruff, ruff format --check, mypy and the import layers
#   make lock        pins requirements/*.in, with hashes, into requirements/*.txt
#   make check       strict checks before publishing; make new-issue starts the next issue
#   make send        sends an issue to the subscribers: make send NUMERO=20 ABONNES=abonnes.csv
#                    (or ABONNES=service: the subscription service's confirmed readers)
#   make rebonds     adds a mailbox's hard bounces to the bounced list: make rebonds BOITE=...
#   make abonnements the subscription service on http://127.0.0.1:8001/ (SQLite; README)
#   make guide       the guide (docs/), warnings are errors, links checked -> _build/guide/
#
# The first target run creates .venv; each target installs the dependency groups it needs.

SPHINXOPTS  ?=
BUILDDIR    ?= _build
SOURCEDIR   := .
PYTHON3     ?= python3
VENV        ?= .venv
# python -m galien: the command line; its build is sphinx-build -M ending a Ctrl-C or a full
# disk with one line (extensions/galien/cli/build.py). The extension first on the path, then
# whatever the caller's PYTHONPATH holds (a test's configuration helpers).
GALIEN      := PYTHONPATH="$(CURDIR)/extensions$${PYTHONPATH:+:$$PYTHONPATH}" $(VENV)/bin/python -m galien
GALIENBUILD := $(GALIEN) build
# Dependencies by role, in requirements/: GROUP.in names a group's direct dependencies,
# GROUP.txt pins them and theirs with hashes (`make lock`, uv pip compile). runtime is the
# letter's (make html and every editor's target); abonnements is the subscription service's
# (make abonnements, make send ABONNES=service); tests and lint are the tools, on top of
# both. Each .in starts with `-c` on the groups below it, so a package two groups share has
# one version. A new group: its name in LOCKED_GROUPS after the groups it is constrained on.
REQUIREMENTS  := requirements
LOCKED_GROUPS := runtime abonnements tests lint
# The stamp of an installed group: a copy of its GROUP.txt, newer than it.
group_stamp    = $(VENV)/.requirements-$(1).txt
RUNTIME_STAMP := $(call group_stamp,runtime)
FONT_CACHE_STAMP := $(VENV)/.font-cache
TESTS_STAMP   := $(call group_stamp,tests)
LINT_STAMP    := $(call group_stamp,lint)
# BROUILLONS=1: show the draft issues (brouillon: oui), a preview (core/drafts.py).
BROUILLONS  ?=
DRAFTOPTS    = $(if $(filter 1 oui yes true,$(BROUILLONS)),-D galien_drafts=1,$(if $(filter 0 non no false,$(BROUILLONS)),-D galien_drafts=0))

# Debian packages, by what needs them.
DEBIAN_TEX   := texlive-latex-recommended texlive-fonts-recommended texlive-latex-extra \
                texlive-lang-french tex-gyre latexmk texlive-luatex fonts-texgyre fonts-freefont-otf \
                fonts-dejavu-core librsvg2-bin
# bubblewrap confines the builds (README, « Sécurité »); the tests check that it holds.
DEBIAN_SANDBOX := bubblewrap
DEBIAN_TESTS := $(DEBIAN_TEX) $(DEBIAN_SANDBOX) poppler-utils fontconfig epubcheck chromium \
                spamassassin postgresql openssl
# Node.js for the tests' npm tools, when the machine has no npm of its own.
DEBIAN_NODE  := nodejs npm

# Install the missing Debian packages among $(1): as root, with sudo, or say which.
define ensure_debian
	@missing=""; \
	for package in $(1); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; \
	  elif sudo -n true 2>/dev/null; then sudo="sudo"; \
	  else echo "Paquets Debian manquants :$$missing"; \
	       echo "Installez-les avec : sudo apt-get install$$missing"; exit 1; fi; \
	  echo "Installation des paquets Debian :$$missing"; \
	  $$sudo apt-get update -q \
	    && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing \
	    || { echo "Échec de l'installation de :$$missing"; exit 1; }; \
	fi
endef

LINTED := extensions tests conf.py abonnements docs

# The subscription service's own dependencies (Django, psycopg, waitress), pinned in
# requirements/abonnements.txt (a group of make lock): make abonnements, make lint and make test install them,
# make html does not.
ABONNES_STAMP := $(call group_stamp,abonnements)
# make send and make rebonds with ABONNES=service (or the service's database URL) ask the
# service's own command (python -m abonnements sendlink): its dependencies first.
SERVICE_DEPS  := $(if $(filter service postgresql://% postgres://% sqlite://%,$(ABONNES)),$(ABONNES_STAMP))

# The tests' npm tools (tests/package.json, versions in tests/package-lock.json):
# axe-core for the website, Ace by DAISY for the ePub, doiuse-email for the e-mail
# (spamassassin, Debian's, is in DEBIAN_TESTS). Ace drives Debian's
# chromium through Puppeteer, which must not download a browser of its own.
NPM_DIR   := tests
NPM_STAMP := $(NPM_DIR)/node_modules/.installed-package-lock.json
export PUPPETEER_SKIP_DOWNLOAD := 1
export PUPPETEER_EXECUTABLE_PATH := /usr/bin/chromium

.PHONY: abonnements bench-abonnements guide help lint lock test-fast html dirhtml text epub email latex latexpdf site livehtml test fuzz new-issue check send rebonds relecture volume bench system-check system-tex system-tests system-node system-nodejs npm-tools clean

help:
	@sed -n '3,22p' Makefile | sed 's/^# *//'

$(VENV)/bin/python:
	@$(PYTHON3) -m venv $(VENV) 2>/dev/null || { \
	  $(MAKE) --no-print-directory system-venv && $(PYTHON3) -m venv $(VENV); }

# Installs one group, every file checked against its hash.
$(VENV)/.requirements-%.txt: $(REQUIREMENTS)/%.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r $<
	cp $< $@

# The tools' groups sit on the runtime: installed after it.
$(ABONNES_STAMP): $(RUNTIME_STAMP)
$(TESTS_STAMP) $(LINT_STAMP): $(RUNTIME_STAMP) $(ABONNES_STAMP)

# Pins every group again, runtime first (the others are constrained on it); a version
# already pinned stays unless its .in asks for another. Python 3.11.5: soupsieve's floor.
lock: $(LINT_STAMP)
	for group in $(LOCKED_GROUPS); do \
	  $(VENV)/bin/uv pip compile --quiet --python-version 3.11.5 --generate-hashes \
	    --custom-compile-command "make lock" \
	    $(REQUIREMENTS)/$$group.in -o $(REQUIREMENTS)/$$group.txt || exit 1; \
	done

# The subscription service: migrate its database (GALIEN_ABONNES_DB, SQLite by default
# under ~/.local/share/galien), then serve it with waitress on ECOUTE= (127.0.0.1:8001).
abonnements: $(ABONNES_STAMP)
	$(VENV)/bin/python -m abonnements migrate
	$(VENV)/bin/python -m abonnements serve --listen "$(or $(ECOUTE),127.0.0.1:8001)"

system-venv:
	$(call ensure_debian,python3-venv)

system-tex:
	$(call ensure_debian,$(DEBIAN_TEX))

# luaotfload's cache of the letter's fonts, filled once outside the LaTeX jobs' sandbox,
# which refuses its writes (extensions/galien/print/font_cache.py); TeX checked first.
$(FONT_CACHE_STAMP): $(RUNTIME_STAMP) extensions/galien/print/font_cache.py \
  extensions/galien/print/fonts.py extensions/galien/print/latex/galien-fonts.lua | system-tex
	$(GALIEN).print.font_cache
	@touch $@

system-tests:
	$(call ensure_debian,$(DEBIAN_TESTS))

html dirhtml text epub email latex: $(RUNTIME_STAMP)
	$(GALIENBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" $(DRAFTOPTS) $(SPHINXOPTS)

latexpdf: $(RUNTIME_STAMP) $(FONT_CACHE_STAMP)
	$(GALIENBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" $(DRAFTOPTS) $(SPHINXOPTS)

# The review PDF of one issue, draft or published: « BROUILLON » on every page,
# numbered lines, in a build folder of its own (extensions/galien/print/review.py).
relecture: $(RUNTIME_STAMP) $(FONT_CACHE_STAMP)
	@test -n "$(NUMERO)" || { echo "Indiquez le numéro à relire : make relecture NUMERO=21"; exit 1; }
	$(GALIEN) relecture --numero "$(NUMERO)" \
	  --builddir "$(BUILDDIR)" --project "$(SOURCEDIR)" $(SPHINXOPTS)

# The annual volume: the year's published issues as printed, between a title page,
# contents and chiffres du mois, and the year's drug index (PDF/A-2b), and as an
# ePub (extensions/galien/cli/volume.py); nothing is made again when nothing changed.
volume: $(RUNTIME_STAMP) $(FONT_CACHE_STAMP)
	@test -n "$(ANNEE)" || { echo "Indiquez l'année du volume : make volume ANNEE=2018"; exit 1; }
	$(GALIEN) volume --annee "$(ANNEE)" \
	  --builddir "$(BUILDDIR)" --project "$(SOURCEDIR)" $(SPHINXOPTS)

# The deployable folder: the website, the PDFs where galien_pdf_url points
# (pdf/ by default; the html build has already put the back issues' PDFs from
# archives/ there) and the ePub at its root. One build after the other: they
# share the doctrees. Reproducible: SOURCE_DATE_EPOCH (the PDFs' dates), unless
# already set, is the date of the last commit, so that the same sources give
# the same PDF bytes.
SITE_EPOCH := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null))
ifneq ($(SITE_EPOCH),)
site: export SOURCE_DATE_EPOCH := $(SITE_EPOCH)
endif
site:
	$(MAKE) --no-print-directory html
	$(MAKE) --no-print-directory latexpdf
	$(MAKE) --no-print-directory epub
	rm -rf "$(BUILDDIR)/site"
	cp -R "$(BUILDDIR)/html" "$(BUILDDIR)/site"
	mkdir -p "$(BUILDDIR)/site/pdf"
	cp "$(BUILDDIR)"/latex/galien-[0-9]*.pdf "$(BUILDDIR)/site/pdf/"
	cp "$(BUILDDIR)/epub/galien.epub" "$(BUILDDIR)/site/"

# The guide (docs/, a Sphinx project of its own): every warning is an error, then
# Sphinx's linkcheck over it. No network here: docs/conf.py ignores external
# addresses (linkcheck_ignore); links between the guide's pages fail the first build.
GUIDE_DOCTREES := $(BUILDDIR)/guide-doctrees
guide: $(RUNTIME_STAMP)
	$(VENV)/bin/sphinx-build -b html -W --keep-going -q -d "$(GUIDE_DOCTREES)" docs "$(BUILDDIR)/guide"
	$(VENV)/bin/sphinx-build -b linkcheck -W --keep-going -q -d "$(GUIDE_DOCTREES)" docs \
	  "$(BUILDDIR)/guide-linkcheck"

# Drafts shown unless BROUILLONS=0.
livehtml: $(RUNTIME_STAMP)
	$(VENV)/bin/sphinx-autobuild "$(SOURCEDIR)" "$(BUILDDIR)/html" \
	  $(or $(DRAFTOPTS),-D galien_drafts=1) $(SPHINXOPTS) \
	  --ignore "$(VENV)/*" --ignore "$(BUILDDIR)/*" --watch extensions

lint: $(LINT_STAMP) $(ABONNES_STAMP)
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy docs/_ext
	cd extensions && $(abspath $(VENV))/bin/lint-imports ../pyproject.toml

# Node.js and npm: Debian's, unless the machine already has them.
system-node:
	@command -v npm >/dev/null 2>&1 || $(MAKE) --no-print-directory system-nodejs

system-nodejs:
	$(call ensure_debian,$(DEBIAN_NODE))

$(NPM_STAMP): $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	$(MAKE) --no-print-directory system-node
	npm ci --prefix $(NPM_DIR) --no-audit --no-fund --loglevel=error
	cp $(NPM_DIR)/package-lock.json $@

npm-tools: $(NPM_STAMP)

# Every test, with every real component (LuaLaTeX, Chromium, epubcheck, Ace, SMTP servers),
# on two processes (pytest-xdist): a test file is one unit of work, its builds made once on
# one process; the files with slow tests first (tests/conftest.py).
FULL_OPTS := -n 2 --dist loadfile --no-loadscope-reorder
test: lint $(TESTS_STAMP) $(ABONNES_STAMP) system-tests $(FONT_CACHE_STAMP) npm-tools
	$(VENV)/bin/python -m pytest tests $(FULL_OPTS) --durations=20 $(PYTESTOPTS)

# The edit-test loop: the tests marked fast (tests/conftest.py), no LaTeX, browser or
# subprocess build, on two processes (pytest-xdist: each has its own temporary folders);
# the ten slowest are listed, to keep the tier near a minute.
FAST_MARKS := fast and not slow and not browser
FAST_OPTS  := -n 2
test-fast: $(TESTS_STAMP)
	$(VENV)/bin/python -m pytest tests -m "$(FAST_MARKS)" $(FAST_OPTS) --durations=10 $(PYTESTOPTS)

# The fuzzer of tests/test_fuzz.py for longer than `make test` runs it (a few hundred
# examples there): 5000 generated issues by default, FUZZ_EXAMPLES= to choose. A failure
# is shrunk and printed; Hypothesis keeps it in .hypothesis/ and tries it first next time.
FUZZ_EXAMPLES ?=
fuzz: $(TESTS_STAMP)
	GALIEN_FUZZ_PROFILE=galien-fuzz-long $(if $(FUZZ_EXAMPLES),GALIEN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES)) \
	  $(VENV)/bin/python -m pytest tests/test_fuzz.py -k fuzzed --hypothesis-show-statistics $(PYTESTOPTS)

# Start the next issue: issues/NNN.md with its front matter (NUMERO=, DATE= to choose).
new-issue: $(RUNTIME_STAMP)
	$(GALIEN) new \
	  $(if $(NUMERO),--numero $(NUMERO)) $(if $(DATE),--date $(DATE))

system-check:
	$(call ensure_debian,epubcheck)

# Before publishing: a fresh strict build of the site and the ePub (every warning
# is an error, every reference checked), epubcheck, Ace by DAISY, and the feeds' XML.
check: $(RUNTIME_STAMP) system-check npm-tools
	$(GALIEN) check-private
	$(GALIENBUILD) -M html "$(SOURCEDIR)" "$(BUILDDIR)/check" -E -W --keep-going -n $(SPHINXOPTS)
	$(GALIENBUILD) -M epub "$(SOURCEDIR)" "$(BUILDDIR)/check" -E -W --keep-going -n $(SPHINXOPTS)
	java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar /usr/bin/epubcheck --quiet "$(BUILDDIR)/check/epub/galien.epub"
	$(NPM_DIR)/node_modules/.bin/ace-cli --silent --exiterror2 --force \
	  --outdir "$(BUILDDIR)/check/ace" "$(BUILDDIR)/check/epub/galien.epub" \
	  || { echo "Ace by DAISY : l'ePub n'est pas accessible, voir $(BUILDDIR)/check/ace/report.html"; exit 1; }
	$(GALIEN) check-xml "$(BUILDDIR)/check/html"
	@$(GALIEN) brouillons --project "$(SOURCEDIR)"
	@echo "make check : tout est en ordre."

# Send issue NUMERO to the subscribers of ABONNES= over the relay of GALIEN_SMTP_*
# (README, « Envoyer la lettre »): TEST=adresse, SIMULATION=1, CONFIRMER=oui,
# JOURNAL=, DEBIT= (messages per minute; 0 or max: no pacing), DESINSCRITS=, RENVOYER=incertains.
# Exit: 0 all sent, 1 refused, 2 failures or uncertain readers left, 3 stopped (relay lost,
# journal unwritable), 130 Ctrl-C, 143 SIGTERM; the README lists them.
send: $(RUNTIME_STAMP) $(SERVICE_DEPS)
	@test -n "$(NUMERO)" || { echo "make send : NUMERO= manque (ex. make send NUMERO=20 ABONNES=abonnes.csv)"; exit 1; }
	$(GALIEN) send --numero "$(NUMERO)" \
	  --build-dir "$(BUILDDIR)" \
	  $(if $(ABONNES),--abonnes "$(ABONNES)") $(if $(TEST),--test "$(TEST)") \
	  $(if $(filter-out 0 non,$(SIMULATION)),--simulation) \
	  $(if $(CONFIRMER),--confirmer "$(CONFIRMER)") $(if $(JOURNAL),--journal "$(JOURNAL)") \
	  $(if $(DEBIT),--debit "$(DEBIT)") $(if $(DESINSCRITS),--desinscrits "$(DESINSCRITS)") \
	  $(if $(RENVOYER),--renvoyer "$(RENVOYER)")

# The hard bounces of the mailbox BOITE= (mbox or Maildir) join the bounced list.
rebonds: $(RUNTIME_STAMP) $(SERVICE_DEPS)
	@test -n "$(BOITE)" || { echo "make rebonds : BOITE= manque (fichier mbox ou dossier Maildir)"; exit 1; }
	$(GALIEN) rebonds "$(BOITE)" \
	  $(if $(DESINSCRITS),--desinscrits "$(DESINSCRITS)") $(if $(ABONNES),--abonnes "$(ABONNES)")

# Benchmark: this project against the stock Sphinx stack (guide, « Performances »), the
# subscription service under load (its section; BENCHOPTS='--charge "--duree 10"'), then
# the test suite's time per tier (tests/bench/tiers.py; BENCH_TIERS=fast: the fast tier only).
BENCH_TIERS ?= fast full
bench: $(RUNTIME_STAMP) $(TESTS_STAMP) $(ABONNES_STAMP)
	$(call ensure_debian,wrk postgresql)
	$(VENV)/bin/python tests/bench/bench.py $(BENCHOPTS)
	$(VENV)/bin/python tests/bench/tiers.py --tiers $(BENCH_TIERS) \
	  --fast-marks "$(FAST_MARKS)" --fast-options "$(FAST_OPTS)" --full-options "$(FULL_OPTS)"

# The subscription service under load: 200 clients for 60 s (wrk, Debian's) against the
# production server on SQLite and on PostgreSQL; p99 latency, no 5xx, no lost unsubscription.
bench-abonnements: $(ABONNES_STAMP)
	$(call ensure_debian,wrk postgresql)
	$(VENV)/bin/python tests/bench/abonnements_load.py $(BENCHOPTS)

clean:
	rm -rf "$(BUILDDIR)"
