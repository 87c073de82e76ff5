# laketop: htop for a data lake.
#   make run      install missing build deps, build, create the demo lake, start
#   make test     install missing test deps, build, run every test
#   make bench    figures on a generated large lake (not part of make test)
#   make bench-scale  the 10-million-object lake and 100-million-row inventory alone
#   make install  PREFIX=/usr/local DESTDIR= STRIP=-s (the binary, themes, man page,
#                 completion, example config); make uninstall removes them

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
SAN       ?=
CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS      := ncursesw json-c inih libcurl expat avro-c libzstd zlib

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
CFLAGS    ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -I. -DLAKETOP_VERSION='"$(VERSION)"' \
             -DLAKETOP_DATADIR='"$(PREFIX)/share/laketop"' \
             $(WARN) $(CFLAGS) $(SANFLAGS) -MMD -MP \
             $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS    := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lsnappy -lcrypto -lpthread -lm

ifeq ($(SAN),asan)
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
CFLAGS    := -O1 -g
endif
ifeq ($(SAN),fuzz)
# the library for tests/fuzz (clang; the harnesses add -fsanitize=fuzzer)
SANFLAGS  := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
CFLAGS    := -O1 -g
endif
ifeq ($(SAN),tsan)
SANFLAGS  := -fsanitize=thread
CFLAGS    := -O1 -g
endif

LIB_SRCS  := $(wildcard common/*.c collector/*.c collector/*/*.c actions/*.c tools/*.c tui/*.c \
                       views/*.c) \
             $(filter-out app/main.c,$(wildcard app/*.c))
HEADERS   := $(wildcard */*.h collector/*/*.h)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/app/main.o
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps test-deps run test bench bench-scale fuzz install uninstall clean format format-check unit

all: $(BUILD)/laketop

# `make V=1` shows the whole commands.
Q = $(if $(V),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $(BUILD)/$*.o")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/liblaketop.a: $(LIB_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/laketop: $(MAIN_OBJ) $(BUILD)/liblaketop.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/liblaketop.a
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/liblaketop.a $(LDLIBS) -lcmocka

unit: $(UNIT_BINS)

deps:
	@sh scripts/deps.sh build

test-deps:
	@sh scripts/deps.sh test

DEMO_DIR = $${XDG_DATA_HOME:-$$HOME/.local/share}/laketop/demo

# the demo lake's own config (laketop.conf: its crawler, zones and sync
# rules) when it has one; a demo lake written before it had none
run: deps
	@$(MAKE) --no-print-directory all
	@if [ ! -d "$(DEMO_DIR)/catalog" ]; then $(BUILD)/laketop demo "$(DEMO_DIR)"; fi
	@if [ -f "$(DEMO_DIR)/laketop.conf" ]; then \
	    echo "$(BUILD)/laketop --lake $(DEMO_DIR) --config $(DEMO_DIR)/laketop.conf --themes-dir themes"; \
	    exec $(BUILD)/laketop --lake "$(DEMO_DIR)" --config "$(DEMO_DIR)/laketop.conf" --themes-dir themes; \
	else \
	    echo "$(BUILD)/laketop --lake $(DEMO_DIR) --themes-dir themes"; \
	    exec $(BUILD)/laketop --lake "$(DEMO_DIR)" --themes-dir themes; \
	fi

test: test-deps
	@sh tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/inventory_gen
	@sh tests/bench.sh
	@sh tests/bench_aws.sh
	@sh tests/bench_scale.sh

# the 10-million-object lake and the 100-million-row inventory alone
# (SCALE=0.1: a lake ten times smaller, for trying it out)
bench-scale: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/inventory_gen
	@sh tests/bench_scale.sh

# S3 Inventory data files of a synthetic bucket, for bench_scale.sh
$(BUILD)/bench/inventory_gen: tests/bench/inventory_gen.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $@")
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 -o $@ $< -lz -lcrypto

# libFuzzer harnesses (clang), FUZZ_SECONDS each; not part of make test.
FUZZ_SECONDS ?= 180
fuzz: test-deps
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

# The binary (stripped: `make install STRIP=` keeps its symbols), the
# themes, the man page, bash and zsh completion, the example config.
STRIP       ?= -s
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
DOCDIR      ?= $(PREFIX)/share/doc/laketop

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/laketop/themes \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(STRIP) $(BUILD)/laketop $(DESTDIR)$(PREFIX)/bin/laketop
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/laketop/themes/
	install -m 644 doc/laketop.1 $(DESTDIR)$(MANDIR)/man1/laketop.1
	install -m 644 doc/completion/laketop.bash $(DESTDIR)$(BASHCOMPDIR)/laketop
	install -m 644 doc/completion/_laketop $(DESTDIR)$(ZSHCOMPDIR)/_laketop
	install -m 644 doc/config.example $(DESTDIR)$(DOCDIR)/config.example

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/laketop $(DESTDIR)$(MANDIR)/man1/laketop.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/laketop $(DESTDIR)$(ZSHCOMPDIR)/_laketop
	rm -rf $(DESTDIR)$(PREFIX)/share/laketop $(DESTDIR)$(DOCDIR)

format:
	clang-format -i $(LIB_SRCS) app/main.c $(HEADERS) $(UNIT_SRCS)

format-check:
	clang-format --dry-run --Werror $(LIB_SRCS) app/main.c $(HEADERS) $(UNIT_SRCS)

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)
