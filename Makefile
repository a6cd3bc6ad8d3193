# smk: the smarketing board.  See README.md.
#
#   make            build ./smk
#   make run        install missing build dependencies, open the demo board
#   make test       unit, integration and tmux end-to-end tests under
#                   AddressSanitizer and UndefinedBehaviorSanitizer
#   make bench      speed and memory figures on a large generated file
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/smk
PKG_CONFIG ?= pkg-config

CC	?= cc
CFLAGS	?= -O2 -g
WARN	 = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes
CPPFLAGS += -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -Iinclude \
	   -I/usr/include/iniparser -DSMK_DATADIR='"$(DATADIR)"'
PKG_CFLAGS = $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE,$(shell $(PKG_CONFIG) --cflags ncursesw sqlite3 2>/dev/null))
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs ncursesw sqlite3 2>/dev/null || \
	     echo -lncursesw -ltinfo -lsqlite3)
LIBS	 = $(PKG_LIBS) -liniparser -lcsv -lm

SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

B	 = .build
SRCS	 = $(sort $(wildcard src/*.c))
LIBSRCS	 = $(filter-out src/main.c,$(SRCS))
OBJS	 = $(SRCS:src/%.c=$(B)/obj/%.o)
SOBJS	 = $(SRCS:src/%.c=$(B)/san/%.o)
SLIBOBJS = $(LIBSRCS:src/%.c=$(B)/san/%.o)
LIBOBJS	 = $(LIBSRCS:src/%.c=$(B)/obj/%.o)
TESTS	 = $(patsubst tests/%.c,$(B)/san/%,$(sort $(wildcard tests/test_*.c)))
HDRS	 = $(wildcard include/smk/*.h) $(wildcard src/*.h)

.PHONY: FORCE reliability all run test unit bench stress fuzz valgrind deps test-deps clean \
	install uninstall demo
all: smk

smk: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

# theme.c has the install prefix compiled in: rebuild it when PREFIX changes.
$(B)/datadir: FORCE
	@mkdir -p $(B)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(B)/obj/theme.o $(B)/san/theme.o: $(B)/datadir
FORCE:

$(B)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(B)/san/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(B)/san/smk: $(SOBJS)
	$(CC) $(SAN) -o $@ $(SOBJS) $(LIBS)

$(B)/san/test_%: tests/test_%.c tests/testutil.h tests/testdb.h $(SLIBOBJS)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) $(PKG_CFLAGS) -Itests \
	    -o $@ $< $(SLIBOBJS) $(LIBS) -lcmocka

$(B)/smkgen: tests/tools/smkgen.c $(LIBOBJS)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $< \
	    $(LIBOBJS) $(LIBS)

# The demo team.  Deterministic: the same tree always builds the same file.
sample.db: $(B)/smkgen tests/data/demo.ini
	rm -f $@.tmp $@.tmp-journal
	$(B)/smkgen --out $@.tmp --seed 2026 --anchor 2026-11-20T15:00:00Z \
	    --config tests/data/demo.ini
	mv $@.tmp $@

MANKEYS_OBJS = $(B)/obj/action.o $(B)/obj/text.o $(B)/obj/xmalloc.o
$(B)/mankeys: tests/tools/mankeys.c $(MANKEYS_OBJS)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $< \
	    $(MANKEYS_OBJS) $(LIBS)

# The man page's key list comes from the action table (see src/smk.1.in).
smk.1: src/smk.1.in $(B)/mankeys
	$(B)/mankeys > $(B)/keys.mdoc
	sed -e '/^\.\\" KEYS$$/r $(B)/keys.mdoc' -e '/^\.\\" KEYS$$/d' \
	    src/smk.1.in > $@

deps:
	@sh .ci/deps build

test-deps:
	@sh .ci/deps test

# The demo works on a copy with its clock moved to today, so that it always
# shows running, due-soon and breached SLA clocks; sample.db is untouched.
run: deps
	@$(MAKE) --no-print-directory smk $(B)/smkgen
	@mkdir -p $(B)/demo
	@rm -f $(B)/demo/demo.db $(B)/demo/demo.db-journal
	@cp sample.db $(B)/demo/demo.db
	@$(B)/smkgen --shift-to-now $(B)/demo/demo.db
	@cp tests/data/demo.ini $(B)/demo/smk.ini
	./smk --db $(B)/demo/demo.db --user mgarcia

unit: test-deps
	@$(MAKE) --no-print-directory $(TESTS)

test: test-deps
	@$(MAKE) --no-print-directory smk $(B)/san/smk $(B)/smkgen $(B)/mankeys $(TESTS)
	@sh tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory smk $(B)/smkgen
	@sh tests/bench.sh

stress: test-deps
	@$(MAKE) --no-print-directory smk $(B)/san/smk
	@SMK_STRESS_FULL=1 sh tests/stress.sh

# libFuzzer targets (tests/fuzz_*.c) and the board's key storm, each for
# FUZZ_SECONDS (default 60); one table of executions and crashes.
fuzz: test-deps
	@$(MAKE) --no-print-directory $(B)/san/smk
	@sh tests/fuzz.sh

# The one table of reliability figures: stress, kill -9, faults, sshfs and
# fuzzing (SMK_STRESS_FULL=1 and FUZZ_SECONDS=600 for the long runs).
reliability: test-deps
	@sh tests/reliability.sh

valgrind: test-deps
	@$(MAKE) --no-print-directory $(TESTS:$(B)/san/%=$(B)/vg/%)
	@sh tests/valgrind.sh

$(B)/vg/test_%: tests/test_%.c tests/testutil.h tests/testdb.h $(LIBOBJS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O0 -g $(CPPFLAGS) $(PKG_CFLAGS) -Itests \
	    -o $@ $< $(LIBOBJS) $(LIBS) -lcmocka

install: smk
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR)/themes
	install -m 755 smk $(DESTDIR)$(BINDIR)/smk
	install -m 644 smk.1 $(DESTDIR)$(MANDIR)/man1/smk.1
	install -m 644 themes/*.ini $(DESTDIR)$(DATADIR)/themes/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/smk $(DESTDIR)$(MANDIR)/man1/smk.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(B) smk
