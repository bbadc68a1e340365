# csp-portal — build, run, test.
#   make            build cgi-bin/portal.fcgi and bin/portalctl
#   make run        install what is missing, build, start portal + nginx (PORT=8080)
#   make test       install what is missing, build, run unit, integration and browser tests
#   make test-pg    the unit suites that open a store, integration and browser tests again on
#                   PostgreSQL 15 (its own servers, never the system service)
#   make asan       AddressSanitizer + UBSan build; unit and integration tests against it
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make bench      the portal beside its floor and its PHP peer, with the ratios (bench/side.sh)
#   make bench-load wrk load, RSS and saturation benchmarks (bench/run.sh)
#                   bench/engines.sh: the signed-in overview and a writing POST on SQLite and PostgreSQL
#   make bench-compare REF=<commit>   this tree against another, side by side in one run
#   make bench-scale  every list page on the demo database and a large one, with the ratio
#   make install [PREFIX=/usr/local] [DESTDIR=...]   binaries, templates, static files, man
#                   pages, settings, systemd units, nginx site (GNU directory variables)
#   make uninstall  the same files removed (settings and data are kept)
#   make package    the Debian package (dpkg-buildpackage) in build/pkg/
#   make package-test  package + lintian, systemd-analyze, mandoc, installing it in a throwaway root

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wno-format-truncation -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
STD      := -std=c11 -D_GNU_SOURCE -pthread -fno-strict-aliasing -Isrc $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
# TOTP (RFC 6238) through liboath, the QR code of its setup through libqrencode.
# The JSON API's JSON through Debian's libjansson (issue 14); webhooks sent with libcurl.
LIBS     := -lfcgi -lsqlite3 -lpq -lsodium $(shell pkg-config --libs liboath libqrencode 2>/dev/null || echo -loath -lqrencode) $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson) $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl) -lpthread -lm
# issue 15: ICU converts times into each person's zone (src/base/tz.c)
LIBS     += $(shell pkg-config --libs icu-i18n icu-uc 2>/dev/null || echo -licui18n -licuuc -licudata)
CHECKLIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm)

# src/<layer>/: base, store, domain, mail, web, pages, cli (see README "Layout"; `make
# check-layers` enforces which layer may include which).
LAYERS   := base store domain mail web pages cli
LIB_SRC  := $(filter-out src/web/main.c src/cli/portalctl.c,$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)))
DEFS     := $(wildcard src/*/*.def)
HDRS     := $(wildcard src/*/*.h)
UNIT_SRC := $(wildcard tests/unit/*/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_SECONDS ?= 60
# Targets run side by side, FUZZ_JOBS at a time (libFuzzer uses one core each).
FUZZ_JOBS ?= 2
PORT     ?= 8080

B        ?= build
LIB_OBJ  := $(LIB_SRC:src/%.c=$(B)/%.o) $(B)/store/embed.o
UNIT_BIN := $(foreach t,$(UNIT_SRC),$(B)/$(basename $(notdir $(t))))

.PHONY: install uninstall install-build package package-test FORCE bench-scale bench-scale-clean bench-compare bench-deps bench-load all run test test-pg unit-pg unit unit-asan integration e2e asan asan-test fuzz bench clean deps deps-run check-format check-layers
all: cgi-bin/portal.fcgi bin/portalctl locale

$(B)/%.o: src/%.c $(HDRS) $(DEFS)
	@mkdir -p $(@D)
	@echo "  CC $<"
	@$(CC) $(STD) $(WARN) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# schema.sql is compiled into the binaries: the program and its data model cannot drift apart.
$(B)/store/embed.o: src/store/embed.S schema.sql
	@mkdir -p $(@D)
	$(CC) $(STD) -c -o $@ src/store/embed.S

$(B)/libportal.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

cgi-bin/portal.fcgi: $(B)/web/main.o $(B)/libportal.a
	@mkdir -p cgi-bin
	$(CC) $(STD) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

bin/portalctl: $(B)/cli/portalctl.o $(B)/libportal.a
	@mkdir -p bin
	$(CC) $(STD) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# One program per suite: tests/unit/<layer>/test_<module>.c -> $(B)/test_<module>.
define unit_rule
$(B)/$(basename $(notdir $(1))): $(1) tests/unit/unit.h $(B)/libportal.a
	@echo "  CC $$<"
	@$$(CC) $$(STD) $$(WARN) $$(CFLAGS) -Itests/unit -o $$@ $$< $(B)/libportal.a $$(CHECKLIBS) $$(LIBS)
endef
$(foreach t,$(UNIT_SRC),$(eval $(call unit_rule,$(t))))

deps:
	@scripts/install-deps.sh

run: 
	@scripts/install-deps.sh --run
	@$(MAKE) --no-print-directory all
	@PORT=$(PORT) scripts/run.sh

# Every suite runs even when an earlier one fails; the target fails if any did. JOBS suites at
# a time (scripts/run-suites.sh: each suite's output printed whole, in order); Check's per-test
# timeouts (there to end a hung test) tripled, since two suites share the cores.
unit: $(UNIT_BIN) | locale
	@scripts/run-suites.sh $(JOBS) unit "CK_FORK=yes CK_TIMEOUT_MULTIPLIER=3" $^ && echo "make unit: all suites passed"

# Test files run TEST_JOBS at a time: each starts its own portal, nginx (and PostgreSQL) on free
# ports in a directory of its own, so they do not share anything; the stacks wait on each other
# far more than they compute, so two at a time finish sooner on two cores.
TEST_JOBS ?= 2
# The integration files (HTTP only, no browser) run INTEGRATION_JOBS at a time: at two they left
# a fifth of two cores idle (user + sys 1.6 cores over the run), at three 1.75. The wall-clock
# gain is within the run-to-run spread (session 14: 324 -> 302 s alone; in CI SQLite 322 -> 333,
# PostgreSQL 475 -> 441, ASan 414 -> 400 s), and no test flaked at three.
INTEGRATION_JOBS ?= 3
# Compilers run JOBS at a time where a test target builds.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
integration: all
	node --test --test-concurrency=$(INTEGRATION_JOBS) tests/integration/

# The unit suites that open a store, on PostgreSQL 15 (tests/lib/pg-run.mjs starts a server and
# gives them an empty database through PORTAL_TEST_PG; each test empties it first).
UNIT_PG_BIN := $(filter-out $(B)/test_db,$(foreach t,$(shell grep -l 'unit_db_setup\|unit_db_open' $(UNIT_SRC)),$(B)/$(basename $(notdir $(t)))))
unit-pg: $(UNIT_PG_BIN) | locale
	@node tests/lib/pg-run.mjs sh -c 'failed=""; for t in $^; do CK_FORK=yes $$t || failed="$$failed $${t##*/}"; done; \
	if [ -n "$$failed" ]; then echo "make unit-pg: FAILED:$$failed"; exit 1; fi; echo "make unit-pg: all suites passed"'

# The same integration and browser suites, unchanged, on PostgreSQL 15: each test file starts its own
# server (tests/lib/pg.mjs, never the system service) and each stack gets its own database. Both
# are copies of one made here (build/pg-template: a data directory whose portal_template database
# has this build's schema), so the schema is made once per run, not once per stack.
test-pg: all
	@scripts/install-deps.sh
	@$(MAKE) --no-print-directory -j$(JOBS) unit-pg
	rm -rf build/pg-template && node tests/lib/pg-template.mjs build/pg-template
	PORTAL_TEST_DB=postgres PORTAL_TEST_PG_TEMPLATE=$(CURDIR)/build/pg-template node --test --test-concurrency=$(INTEGRATION_JOBS) tests/integration/
	PORTAL_TEST_DB=postgres PORTAL_TEST_PG_TEMPLATE=$(CURDIR)/build/pg-template node --test --test-concurrency=$(TEST_JOBS) tests/e2e/

e2e: all
	node --test --test-concurrency=$(TEST_JOBS) tests/e2e/

test: deps
	@$(MAKE) --no-print-directory check-layers
	@$(MAKE) --no-print-directory po-check
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@$(MAKE) --no-print-directory -j$(JOBS) unit
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory e2e
	@echo "make test: all suites passed"

# Sanitizers: separate object directory, same sources; the integration suite runs the
# sanitized binaries behind real nginx (PORTAL_BIN / PORTALCTL_BIN point at them).
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
asan: deps
	@$(MAKE) --no-print-directory -j$(JOBS) B=build/asan CFLAGS="$(ASAN_FLAGS)" build/asan/portal.fcgi build/asan/portalctl unit-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	PORTAL_BIN=build/asan/portal.fcgi PORTALCTL_BIN=build/asan/portalctl \
	  node --test --test-concurrency=$(INTEGRATION_JOBS) tests/integration/
	@echo "make asan: clean"

build/asan/portal.fcgi: build/asan/web/main.o build/asan/libportal.a
	$(CC) $(STD) $(ASAN_FLAGS) -o $@ $^ $(LIBS)
build/asan/portalctl: build/asan/cli/portalctl.o build/asan/libportal.a
	$(CC) $(STD) $(ASAN_FLAGS) -o $@ $^ $(LIBS)
# CK_FORK=no: one process per suite, so LeakSanitizer sees every test's allocations.
unit-asan: $(UNIT_BIN) | locale
	@scripts/run-suites.sh $(JOBS) "asan: unit" \
	  "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 CK_FORK=no CK_TIMEOUT_MULTIPLIER=3" $^ \
	  && echo "make asan: unit suites clean"

# libFuzzer: clang, one binary per parser, seed corpus in tests/fuzz/seeds/<name>/. Each
# runs FUZZ_SECONDS, FUZZ_JOBS at a time (scripts/fuzz-run.sh); new inputs go to
# build/fuzz/corpus/<name>/, a crash to build/fuzz/<name>-crash-* (reproduce: build/fuzz/<name>
# <file>). Fails if any target did.
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_LINK   := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz: deps
	@$(MAKE) --no-print-directory -j$(JOBS) CC=clang B=build/fuzz CFLAGS="$(FUZZ_CFLAGS)" WARN="-Wall -Wextra -Werror" build/fuzz/libportal.a
	@failed=""; for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang $(STD) -Itests/fuzz -Wall -Wextra -Werror $(FUZZ_LINK) -o build/fuzz/$$n $$f build/fuzz/libportal.a $(LIBS) \
	    || failed="$$failed $$n(build)"; \
	done; \
	if [ -n "$$failed" ]; then echo "make fuzz: FAILED:$$failed"; exit 1; fi; \
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) scripts/fuzz-run.sh $(notdir $(basename $(FUZZ_SRC))) \
	  || { echo "make fuzz: FAILED (logs in build/fuzz/*.log)"; exit 1; }; \
	echo "make fuzz: no crashes"

# Dependencies point only down: see scripts/check-layers.sh for the table.
check-layers:
	@scripts/check-layers.sh
	@scripts/check-layers.sh --self-test

# Issue 17: the Overview, the sign-in page and the order POST beside the stack's floor (a bare
# libfcgi program) and the PHP peer (PHP-FPM 8.2 + PDO-SQLite), through one nginx, with the
# ratios. Its own dependency step installs PHP (only here, never for run or test).
bench: bench-deps
	@$(MAKE) --no-print-directory all bench/floor
	bench/side.sh
	bench/engines.sh

bench-deps:
	@scripts/install-deps.sh --bench

bench-load: all bench/pwhash
	bench/run.sh

# List pages at real volumes (issue 17): the demo database and a large one (bench/scale-load.sql,
# about 3 GiB in SCALE_DIR, default /tmp/csp-scale, kept for the next run) side by side, then a
# worker's RSS under many requests (bench/scale.sh). bench-scale-clean removes SCALE_DIR.
bench-scale: all
	bench/scale.sh
bench-scale-clean:
	rm -rf $(or $(SCALE_DIR),/tmp/csp-scale)

bench/floor: bench/floor.c
	$(CC) $(STD) $(WARN) -O2 -o $@ $< -lfcgi

# This tree against REF (a commit; default main), side by side in one run (bench/compare.sh).
bench-compare: all
	bench/compare.sh $(or $(REF),main)
	bench/instructions.sh $(or $(REF),main)

bench/pwhash: bench/pwhash.c
	$(CC) $(STD) $(WARN) -O2 -o $@ $< -lsodium

# ---- install, uninstall, the Debian package (issue 16) ----
# GNU directory variables; `make install PREFIX=/usr sysconfdir=/etc localstatedir=/var
# runstatedir=/run` is the Debian layout (debian/rules). The installed programs are linked
# with config.c compiled again with this prefix's defaults (build/inst/paths.h): settings
# file, data directory, socket and templates, so nothing depends on the checkout; the
# checkout's own binaries (make run, the tests) keep "var" and "templates".
PREFIX        ?= /usr/local
prefix        ?= $(PREFIX)
exec_prefix   ?= $(prefix)
sbindir       ?= $(exec_prefix)/sbin
datarootdir   ?= $(prefix)/share
datadir       ?= $(datarootdir)
mandir        ?= $(datarootdir)/man
localedir     ?= $(datarootdir)/locale
sysconfdir    ?= $(prefix)/etc
localstatedir ?= $(prefix)/var
runstatedir   ?= $(localstatedir)/run
systemdunitdir ?= $(prefix)/lib/systemd/system
nginxsitedir  ?= $(sysconfdir)/nginx/sites-available
NGINX_LISTEN  ?= 80
NGINX_GROUP   ?= www-data
BACKUP_KEEP   ?= 14
INSTALL       ?= install
pkgdatadir    := $(datadir)/csp-portal
pkgconfdir    := $(sysconfdir)/csp-portal
pkgstatedir   := $(localstatedir)/lib/csp-portal
pkgsocket     := $(runstatedir)/csp-portal/portal.sock
I             := $(B)/inst
MANPAGES      := $(I)/man/portal.fcgi.8 $(I)/man/portalctl.8 $(I)/man/portal.conf.5
UNITS         := $(I)/systemd/csp-portal.service $(I)/systemd/csp-portal-backup.service $(I)/systemd/csp-portal-backup.timer
SUBST = sed -e 's|@SBINDIR@|$(sbindir)|g' -e 's|@CONF@|$(pkgconfdir)/portal.conf|g' \
	-e 's|@PKGDATADIR@|$(pkgdatadir)|g' -e 's|@PKGSTATEDIR@|$(pkgstatedir)|g' -e 's|@SOCKET@|$(pkgsocket)|g' \
	-e 's|@SYSTEMDUNITDIR@|$(systemdunitdir)|g' -e 's|@NGINXSITE@|$(nginxsitedir)/csp-portal|g' \
	-e 's|@NGINX_GROUP@|$(NGINX_GROUP)|g' -e 's|@BACKUP_KEEP@|$(BACKUP_KEEP)|g'

# Rewritten only when a path changed, so a second make install relinks nothing.
$(I)/paths.h: FORCE
	@mkdir -p $(@D)
	@printf '#define PORTAL_DEFAULT_CONF "%s"\n#define PORTAL_DEFAULT_DATA "%s"\n#define PORTAL_DEFAULT_SOCKET "%s"\n#define PORTAL_DEFAULT_TEMPLATES "%s"\n#define PORTAL_DEFAULT_LOCALEDIR "%s"\n' \
	  '$(pkgconfdir)/portal.conf' '$(pkgstatedir)' '$(pkgsocket)' '$(pkgdatadir)/templates' '$(localedir)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(I)/config.o: src/base/config.c $(I)/paths.h $(HDRS) $(DEFS)
	$(CC) $(STD) $(WARN) $(CPPFLAGS) $(CFLAGS) -include $(I)/paths.h -c -o $@ $<
# The explicit config.o comes first: the archive's own copy is then never linked.
$(I)/portal.fcgi: $(B)/web/main.o $(I)/config.o $(B)/libportal.a
	$(CC) $(STD) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
$(I)/portalctl: $(B)/cli/portalctl.o $(I)/config.o $(B)/libportal.a
	$(CC) $(STD) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
# Man pages: man/*.in with the settings (config.def) and commands (commands.def) tables,
# the same tables --help prints.
$(I)/mkman: man/mkman.c $(I)/paths.h src/base/config.def src/base/config.h src/cli/commands.def
	$(CC) $(STD) $(WARN) -include $(I)/paths.h -o $@ man/mkman.c
$(I)/man/%: man/%.in $(I)/mkman $(I)/paths.h
	@mkdir -p $(@D)
	$(I)/mkman $< | $(SUBST) > $@
$(I)/systemd/%: systemd/%.in $(I)/paths.h
	@mkdir -p $(@D)
	$(SUBST) $< > $@
$(I)/portal.conf: etc/portal.conf.in $(I)/paths.h
	$(SUBST) $< > $@
$(I)/nginx-site: nginx.conf scripts/render-nginx.sh $(I)/paths.h FORCE
	scripts/render-nginx.sh --site $@ '$(NGINX_LISTEN)' '$(pkgdatadir)' '$(pkgsocket)' '$(localstatedir)/log/nginx/csp-portal-access.log'

install-build: $(I)/portal.fcgi $(I)/portalctl $(MANPAGES) $(UNITS) $(I)/portal.conf $(I)/nginx-site locale

# Settings and the site file are an administrator's once installed: never overwritten.
install: install-build
	$(INSTALL) -d $(DESTDIR)$(sbindir) $(DESTDIR)$(pkgdatadir)/schema $(DESTDIR)$(mandir)/man5 $(DESTDIR)$(mandir)/man8 \
	  $(DESTDIR)$(pkgconfdir) $(DESTDIR)$(systemdunitdir) $(DESTDIR)$(nginxsitedir)
	$(INSTALL) -d -m 0700 $(DESTDIR)$(pkgstatedir)
	$(INSTALL) -m 0755 $(I)/portal.fcgi $(I)/portalctl $(DESTDIR)$(sbindir)/
	rm -rf $(DESTDIR)$(pkgdatadir)/templates $(DESTDIR)$(pkgdatadir)/static
	cp -R templates static $(DESTDIR)$(pkgdatadir)/
	chmod -R u=rwX,go=rX $(DESTDIR)$(pkgdatadir)/templates $(DESTDIR)$(pkgdatadir)/static
	$(INSTALL) -m 0644 schema.sql $(DESTDIR)$(pkgdatadir)/schema/schema.sql
	for l in $(LANGS); do $(INSTALL) -d $(DESTDIR)$(localedir)/$$l/LC_MESSAGES && \
	  $(INSTALL) -m 0644 build/locale/$$l/LC_MESSAGES/csp-portal.mo $(DESTDIR)$(localedir)/$$l/LC_MESSAGES/ || exit 1; done
	$(INSTALL) -m 0644 $(I)/man/portal.conf.5 $(DESTDIR)$(mandir)/man5/
	$(INSTALL) -m 0644 $(I)/man/portal.fcgi.8 $(I)/man/portalctl.8 $(DESTDIR)$(mandir)/man8/
	$(INSTALL) -m 0644 $(UNITS) $(DESTDIR)$(systemdunitdir)/
	[ -e $(DESTDIR)$(pkgconfdir)/portal.conf ] || $(INSTALL) -m 0644 $(I)/portal.conf $(DESTDIR)$(pkgconfdir)/portal.conf
	[ -e $(DESTDIR)$(nginxsitedir)/csp-portal ] || $(INSTALL) -m 0644 $(I)/nginx-site $(DESTDIR)$(nginxsitedir)/csp-portal

uninstall:
	rm -f $(DESTDIR)$(sbindir)/portal.fcgi $(DESTDIR)$(sbindir)/portalctl
	for l in $(LANGS); do rm -f $(DESTDIR)$(localedir)/$$l/LC_MESSAGES/csp-portal.mo; done
	rm -rf $(DESTDIR)$(pkgdatadir)
	rm -f $(DESTDIR)$(mandir)/man5/portal.conf.5 $(DESTDIR)$(mandir)/man8/portal.fcgi.8 $(DESTDIR)$(mandir)/man8/portalctl.8
	rm -f $(DESTDIR)$(systemdunitdir)/csp-portal.service $(DESTDIR)$(systemdunitdir)/csp-portal-backup.service \
	  $(DESTDIR)$(systemdunitdir)/csp-portal-backup.timer
	@echo "kept: $(DESTDIR)$(pkgconfdir)/portal.conf, $(DESTDIR)$(nginxsitedir)/csp-portal and the data in $(DESTDIR)$(pkgstatedir)"

# The .deb from a clean copy of the tree (tracked and new files, no build products):
# build/pkg/csp-portal_<version>_amd64.deb. Installs debhelper, lintian, ... first.
package:
	@scripts/install-deps.sh --package
	scripts/package-test.sh --build-only

# The package, then lintian, systemd-analyze verify and security, mandoc -T lint, and the
# .deb installed, run, upgraded and removed in a throwaway root (tests/package/).
package-test:
	@scripts/install-deps.sh --package
	scripts/package-test.sh

# ---- languages (issue 18, README "Languages") ----
# po/<lang>.po compiled into build/locale/<lang>/LC_MESSAGES/csp-portal.mo (PORTAL_LOCALEDIR;
# installed into $(localedir)). `make update-po` extracts every marked string: xgettext over
# src/ (_, N_, ngettext) and tools/tmpl-pot over templates/ ({{_ "..."}}, {{_n ...}}), into
# po/csp-portal.pot, then msgmerge brings each catalog up to date. `make po-check` (in make
# test) fails when a marked string is missing from a catalog, or any entry is untranslated
# or fuzzy, or a translation's {placeholders} differ from its message id's.
LANGS    := pl ru sv
MO       := $(foreach l,$(LANGS),build/locale/$(l)/LC_MESSAGES/csp-portal.mo)
.PHONY: locale update-po po-check
locale: $(MO)
build/locale/%/LC_MESSAGES/csp-portal.mo: po/%.po
	@mkdir -p $(@D)
	@msgfmt --check -o $@ $<
build/tools/tmpl-pot: tools/tmpl-pot.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) -O2 -o $@ $<
build/po/extracted.pot: build/tools/tmpl-pot FORCE
	@mkdir -p $(@D)
	@xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=NC_:1c,2 --keyword=ngettext:1,2 --add-comments=TRANSLATORS \
	  --package-name=csp-portal --no-wrap --sort-by-file -o $(@D)/c.pot $$(find src -name '*.c' | sort) src/domain/roles.def src/domain/perms.def src/domain/webhooks.h
	@build/tools/tmpl-pot $$(find templates -name '*.html' -o -name '*.txt' | sort) > $(@D)/templates.raw.pot
	@msguniq --no-wrap --sort-by-file -o $(@D)/templates.pot $(@D)/templates.raw.pot
	@msgcat --no-wrap --sort-by-file -o $@.tmp $(@D)/c.pot $(@D)/templates.pot
	@mv $@.tmp $@
update-po: build/po/extracted.pot
	cp build/po/extracted.pot po/csp-portal.pot
	for l in $(LANGS); do msgmerge --quiet --no-wrap --update --backup=none po/$$l.po po/csp-portal.pot || exit 1; done
po-check: build/po/extracted.pot
	@scripts/po-check.sh build/po/extracted.pot $(LANGS)

FORCE:

clean:
	rm -rf build cgi-bin/portal.fcgi bin

-include $(wildcard $(B)/*/*.d)
