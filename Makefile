# SPDX-License-Identifier: MIT
# smarkbot: `make run` to try it in the console, `make test` for every test.

PKGS     := libwebsockets libcurl jansson sqlite3 inih libcrypto
CC       ?= cc
CFLAGS   ?= -O2 -g
SAN      ?=
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla
VERSION  := 0.1.0
PREFIX   ?= /usr/local
LOCALEDIR ?= $(PREFIX)/share/locale
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/smarkbot
UNITDIR  ?= $(PREFIX)/lib/systemd/system
INSTALL  ?= install
CATALOGS := $(patsubst po/%.po,po/%.mo,$(wildcard po/*.po))
override CFLAGS += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
            -MD -MP -Ilib -Ibot -Icommands -DLOCALEDIR='"$(LOCALEDIR)"' \
            -DSMARKBOT_VERSION='"$(VERSION)"' \
            -DINIH_VERSION='"$(shell pkg-config --modversion inih 2>/dev/null)"' \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(SAN)
override LDFLAGS += $(SAN)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread

SRC      := $(wildcard lib/*.c commands/*.c bot/*.c)
OBJ      := $(patsubst %.c,%.o,$(filter-out bot/main.c,$(SRC)))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,tests/unit/bin/%,$(UNIT_SRC))
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(patsubst bench/%.c,bench/bin/%,$(BENCH_SRC))
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
PYTHON   := /usr/bin/python3
# end-to-end files run side by side (each on its own ports and directory);
# the tests mostly wait on protocol timers, so more jobs than cores help
E2E_JOBS ?= 4
# sanitized objects live apart so `make run` and `make test` never mix them
TESTDIR  := build/test

# libFuzzer targets (fuzz/fuzz_*.c): clang with ASan and UBSan, objects in
# a tree of their own so the gcc build never sees them
FUZZ_CC   ?= clang
FUZZDIR   := build/fuzz
FUZZ_SECS ?= 60
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer
FUZZ_CFLAGS := -O1 -g -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -Wall -Wextra -Ilib -Ibot -Icommands -DLOCALEDIR='"$(LOCALEDIR)"' \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(FUZZ_SAN)
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN  := $(patsubst fuzz/%.c,$(FUZZDIR)/bin/%,$(FUZZ_SRC))
FUZZ_OBJ  := $(patsubst %.c,$(FUZZDIR)/%.o,$(filter-out bot/main.c,$(SRC)))

.PHONY: all run demo-reset test check unit e2e deps test-deps bench clean style pot \
        install uninstall fuzz fuzz-deps fuzz-run

all: smarkbot

smarkbot: bot/main.o libbot.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

libbot.a: $(OBJ)
	rm -f $@ && $(AR) rcs $@ $^

tests/unit/bin/%: tests/unit/%.c libbot.a
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< libbot.a $(LDLIBS) \
	    $(shell pkg-config --libs cmocka)

bench/bin/%: bench/%.c libbot.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< libbot.a $(LDLIBS)

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

# The demo: alice = marketing, bob and dave = sales, carol = managers.
# Its database stays between runs; `make demo-reset run` starts afresh.
run: deps
	@$(MAKE) --no-print-directory smarkbot
	@mkdir -p demo
	@if [ -f demo/smarkbot.db ]; then \
	    echo "The demo goes on from last time (demo/smarkbot.db); to start afresh, quit and run: make demo-reset run"; fi
	./smarkbot -c config.demo.ini --console --as alice

# Forgets the demo's data (the database and its WAL files).
demo-reset:
	rm -f demo/smarkbot.db demo/smarkbot.db-wal demo/smarkbot.db-shm

# Every test, built with AddressSanitizer and UBSan in a tree of its own.
test: test-deps
	@rm -rf $(TESTDIR) && mkdir -p $(TESTDIR)
	@tar cf - --exclude='*.o' --exclude='*.d' --exclude='*.a' --exclude=bin \
	    --exclude=__pycache__ Makefile lib bot commands tests scripts docs \
	    config.example.ini config.demo.ini README.md \
	    $(wildcard bench po slack mattermost man systemd) | \
	    tar xf - -C $(TESTDIR)
	@$(MAKE) --no-print-directory -C $(TESTDIR) SAN="$(SANFLAGS)" check

check: unit e2e

unit: $(UNIT_BIN)
	@tests/unit/run.sh $(UNIT_BIN)

e2e: smarkbot $(BENCH_BIN)
	@SMARKBOT=$(CURDIR)/smarkbot $(PYTHON) -m pytest -q -p no:cacheprovider \
	    -n $(E2E_JOBS) --dist loadfile tests/e2e

bench: $(BENCH_BIN)

po/%.mo: po/%.po
	msgfmt --check -o $@ $<

# The binary, the manual pages, the example config, the compiled catalogs
# and the systemd unit. Build with the same PREFIX (the catalogs' place is
# compiled in); DESTDIR stages it for a package.
install: smarkbot $(CATALOGS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR)
	$(INSTALL) -m 755 smarkbot $(DESTDIR)$(BINDIR)/smarkbot
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' man/smarkbot.1 \
	    > $(DESTDIR)$(MANDIR)/man1/smarkbot.1
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' man/smarkbot.ini.5 \
	    > $(DESTDIR)$(MANDIR)/man5/smarkbot.ini.5
	chmod 644 $(DESTDIR)$(MANDIR)/man1/smarkbot.1 $(DESTDIR)$(MANDIR)/man5/smarkbot.ini.5
	$(INSTALL) -m 644 config.example.ini $(DESTDIR)$(DOCDIR)/smarkbot.ini.example
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/smarkbot.service \
	    > $(DESTDIR)$(UNITDIR)/smarkbot.service
	chmod 644 $(DESTDIR)$(UNITDIR)/smarkbot.service
	@for mo in $(CATALOGS); do \
	    lang=$$(basename $$mo .mo); \
	    echo "$(INSTALL) -D -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/smarkbot.mo"; \
	    $(INSTALL) -D -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/smarkbot.mo; \
	done

# Removes what install put there (and the directories of its own).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/smarkbot $(DESTDIR)$(MANDIR)/man1/smarkbot.1 \
	    $(DESTDIR)$(MANDIR)/man5/smarkbot.ini.5 $(DESTDIR)$(DOCDIR)/smarkbot.ini.example \
	    $(DESTDIR)$(UNITDIR)/smarkbot.service
	@for po in $(wildcard po/*.po); do \
	    lang=$$(basename $$po .po); \
	    echo "rm -f $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/smarkbot.mo"; \
	    rm -f $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/smarkbot.mo; \
	done
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

fuzz-deps:
	@scripts/deps.sh fuzz

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

# coverage for all but the string buffer: every parser appends byte by
# byte, and tracing its size checks halves the executions per second
FUZZ_COV  := -fsanitize=fuzzer-no-link
$(FUZZDIR)/lib/strbuf.o: FUZZ_COV :=
$(FUZZDIR)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  FUZZCC $<"; $(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV) -MD -MP -c -o $@ $<

$(FUZZDIR)/libbot.a: $(FUZZ_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

# the config target serves its input from memory in place of fopen()
$(FUZZDIR)/bin/fuzz_config: FUZZ_LDFLAGS := -Wl,--wrap=fopen
$(FUZZDIR)/bin/%: fuzz/%.c $(FUZZDIR)/libbot.a
	@mkdir -p $(@D)
	@echo "  FUZZLD $@"; $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_LDFLAGS) \
	    -o $@ $< $(FUZZDIR)/libbot.a $(LDLIBS)

# Each target for FUZZ_SECS seconds on its seeds (fuzz/corpus/NAME; what
# it learns goes to build/fuzz/corpus/NAME, not into the repository).
# Stops at the first crash, leak or sanitizer report, which libFuzzer saves
# as crash-*/leak-* in build/fuzz/.
fuzz-run: fuzz
	@for b in $(FUZZ_BIN); do \
	    name=$${b##*/fuzz_}; log=$(FUZZDIR)/fuzz_$$name.log; \
	    mkdir -p $(FUZZDIR)/corpus/$$name; \
	    echo "== fuzz_$$name, $(FUZZ_SECS)s (log: $$log)"; \
	    if ! $$b -max_total_time=$(FUZZ_SECS) -print_final_stats=1 \
	        -artifact_prefix=$(FUZZDIR)/ $(FUZZDIR)/corpus/$$name fuzz/corpus/$$name \
	        >$$log 2>&1; then tail -n 40 $$log; exit 1; fi; \
	    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' $$log; \
	done

pot:
	xgettext --language=C --keyword=_ --keyword=N_ --keyword=P_:1,2 --from-code=UTF-8 \
	    --add-comments=TRANSLATORS --package-name=smarkbot \
	    -o po/smarkbot.pot $(sort $(SRC))

style:
	clang-format -i $(SRC) $(wildcard lib/*.h bot/*.h commands/*.h)

clean:
	rm -rf smarkbot libbot.a build tests/unit/bin bench/bin demo po/*.mo
	find . -name '*.[od]' -delete

-include $(SRC:.c=.d) $(UNIT_SRC:.c=.d) $(FUZZ_OBJ:.o=.d)
