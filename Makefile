# Cairn: make builds build/cairn; make demo runs it with demo data; make check runs every
# test. demo, check and bench first install what is missing (scripts/setup).

CC ?= cc
PKGS = libmicrohttpd sqlite3 libsodium libcurl xlsxwriter jansson
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual
CFLAGS ?= -O2 -g
CFLAGS += -MMD -MP -std=c17 -D_GNU_SOURCE $(WARN) -fstack-protector-strong -Isrc -Ibuild/gen
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS = $(PKG_LIBS) -lpthread -lm
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC = $(sort $(wildcard src/*/*.c src/store/*/*.c))
LIB_SRC = $(filter-out src/app/main.c,$(SRC))
DS = node_modules/@scottish-government/design-system/dist
EMBED = $(sort $(wildcard templates/*.html templates/*/*.txt migrations/*.sql)) \
	static/app.css static/app.js
EMBED_DS = $(DS)/css/design-system.min.css $(DS)/scripts/design-system.js
HDR = $(sort $(wildcard src/*/*.h src/store/*/*.h))

OBJ = $(LIB_SRC:src/%.c=build/obj/%.o) build/obj/embedded.o
SAN_OBJ = $(LIB_SRC:src/%.c=build/san/%.o) build/san/embedded.o
UNIT = $(patsubst tests/unit/%.c,build/san/tests/%,$(wildcard tests/unit/test_*.c))
FUZZ = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

-include $(shell find build -name '*.d' 2>/dev/null)

.PHONY: all demo check bench setup-check unit fuzz fuzz-replay integration e2e valgrind clean format

all: build/cairn

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

$(EMBED_DS):
	scripts/setup build

build/gen/embedded.c: build/tools/embed $(EMBED) $(EMBED_DS)
	@mkdir -p $(@D)
	build/tools/embed $@ $(foreach f,$(EMBED),$(f)=$(f)) \
		static/ds/design-system.min.css=$(DS)/css/design-system.min.css \
		static/ds/design-system.js=$(DS)/scripts/design-system.js

build/obj/embedded.o: build/gen/embedded.c src/core/embed.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<
build/san/embedded.o: build/gen/embedded.c src/core/embed.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -O1 -c -o $@ $<

build/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<
build/san/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -O1 $(PKG_CFLAGS) -c -o $@ $<

build/cairn: build/obj/app/main.o $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/cairn-san: build/san/app/main.o $(SAN_OBJ)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

build/san/tests/%: tests/unit/%.c tests/unit/unit.h $(SAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -O1 -Itests/unit -o $@ $< $(SAN_OBJ) $(LDLIBS)

# Fuzz harnesses: under make check each replays its corpus as a plain program; under
# make fuzz each runs with libFuzzer (clang) for FUZZ_SECONDS.
build/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(SAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -O1 -Wno-missing-prototypes -o $@ $< tests/fuzz/replay.c $(SAN_OBJ) $(LDLIBS)

# make fuzz: each harness under libFuzzer (clang) for FUZZ_SECONDS, new inputs kept in
# build/fuzz/NAME-corpus (the committed seeds stay small), crashes in build/fuzz/NAME-artifacts.
FUZZ_SECONDS ?= 60
fuzz: build/gen/embedded.c
	@mkdir -p build/fuzz
	@for f in $(FUZZ); do n=$${f#fuzz_}; echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE \
	    -std=c17 -Isrc -Ibuild/gen $(PKG_CFLAGS) tests/fuzz/$$f.c $(LIB_SRC) build/gen/embedded.c \
	    $(LDLIBS) -o build/fuzz/$$f || exit 1; \
	  mkdir -p build/fuzz/$$n-corpus build/fuzz/$$n-artifacts; \
	  build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -timeout=5 -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/$$n-artifacts/ build/fuzz/$$n-corpus tests/fuzz/corpus/$$n || exit 1; \
	done

unit: $(UNIT)
	@for t in $(UNIT); do echo "unit: $$t"; $$t || exit 1; done

fuzz-replay: $(FUZZ:%=build/fuzz-replay/%)
	@for f in $(FUZZ); do echo "fuzz replay: $$f"; build/fuzz-replay/$$f tests/fuzz/corpus/$${f#fuzz_} || exit 1; done

PLAIN_UNIT = $(patsubst tests/unit/%.c,build/obj/tests/%,$(wildcard tests/unit/test_*.c))
build/obj/tests/%: tests/unit/%.c tests/unit/unit.h $(OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(OBJ) $(LDLIBS)

# The unit tests again, without sanitizers, under valgrind's memcheck.
valgrind: $(PLAIN_UNIT)
	@for t in $(PLAIN_UNIT); do echo "valgrind: $$t"; \
	  valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite $$t >/dev/null || exit 1; done

integration: build/cairn-san
	CAIRN_BIN=$(CURDIR)/build/cairn-san /usr/bin/python3 -m unittest discover -s tests/integration -t . -v

e2e: build/cairn
	CAIRN_BIN=$(CURDIR)/build/cairn node tests/e2e/run.mjs

check:
	scripts/setup check
	$(MAKE) build/cairn build/cairn-san
	$(MAKE) unit
	$(MAKE) valgrind
	$(MAKE) fuzz-replay
	$(MAKE) integration
	$(MAKE) e2e

demo:
	scripts/setup demo
	$(MAKE) build/cairn
	@mkdir -p var/mail
	build/cairn migrate --db var/cairn.db
	build/cairn demo-data --db var/cairn.db
	@echo "Open http://127.0.0.1:8080 and sign in with one of the accounts above. Ctrl-C stops."
	build/cairn serve --db var/cairn.db --listen 127.0.0.1:8080 --mail-dir var/mail --base-url http://127.0.0.1:8080

format:
	clang-format -i $(SRC) $(HDR) tests/unit/*.c tests/unit/*.h tests/fuzz/*.c

clean:
	rm -rf build

# Load, memory and durability benchmarks against nginx and a Flask peer (bench/run);
# appends the table to docs/benchmarks.md. Needs about 5 minutes.
.PHONY: bench
bench:
	bench/run
