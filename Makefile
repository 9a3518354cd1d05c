# cccd-gateway - plain GNU make, no generated build system.
#
#   make            all binaries (build/)          make test    unit + sanitizer + fuzz replay + CLI
#   make deps       install Debian packages        make demo    main job on the embedded default
#   make bench      benchmarks, one figure a line  make fuzz    libFuzzer, FUZZ_SECONDS per target
#   make install DESTDIR=... PREFIX=...            make clean
#
# Build variants share the rules and differ in B (output dir) and flags:
#   build/        release-ish (-O2 -g)
#   build/asan/   SAN=1: AddressSanitizer + UndefinedBehaviorSanitizer (make test runs both)
#   build/fuzz/   clang + libFuzzer (make fuzz)

B        ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
FUZZ_SECONDS ?= 60
CC       ?= cc

PKGS     := libcjson inih libutf8proc libnfc libpcsclite
# Optional libraries: the code builds without them and says "not supported" at run time.
ifneq ($(shell pkg-config --exists libmodbus && echo y),)
PKGS     += libmodbus
FEATURES += -DHAVE_LIBMODBUS
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# --as-needed: a binary links only the libraries it uses (cccdctl parse needs no OpenCV).
LIBS     := -Wl,--as-needed $(PKG_LIBS) -lmbedtls -lmbedx509 -lmbedcrypto -lm

WARN     := -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
CSTD     := -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64
INCLUDES := -Idaemon -Idrivers -I.
OPT      ?= -O2 -g
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT      := -O1 -g
endif
ifneq ($(wildcard drivers/nfc/link_sim.c),)
FEATURES += -DHAVE_LINK_SIM
endif
ifneq ($(wildcard drivers/nfc/link_libnfc.c),)
FEATURES += -DHAVE_LIBNFC
endif
ifneq ($(wildcard drivers/nfc/link_pcsc.c),)
FEATURES += -DHAVE_PCSC
endif
CFLAGS   := $(FEATURES) $(CSTD) $(WARN) $(OPT) $(SANFLAGS) $(INCLUDES) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS  := $(SANFLAGS) $(EXTRA_LDFLAGS)

# --- C++ shims (camera): *_shim.cpp expose OpenCV, zbar and zxing-cpp as plain C functions.
# They go into the library beside the C objects; every binary links the C++ runtime.
CXX      := $(if $(filter clang,$(notdir $(CC))),clang++,g++)
SHIM_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags opencv4 zbar 2>/dev/null))
CXXFLAGS := -std=c++17 -Wall -Wextra -Werror -Wshadow $(OPT) $(SANFLAGS) $(INCLUDES) $(SHIM_CFLAGS)
LIBS     += -lopencv_freetype -lopencv_objdetect -lopencv_videoio -lopencv_imgcodecs \
	    -lopencv_imgproc -lopencv_core $(shell pkg-config --libs zbar libqrencode 2>/dev/null) \
	    -lZXing -lstdc++
SHIM_SRCS := $(sort $(wildcard drivers/*/*_shim.cpp daemon/*/*_shim.cpp tools/gen/*_shim.cpp))

# Sources are discovered, so a new module, test or fuzz target needs no Makefile edit.
LIB_SRCS   := $(sort $(wildcard daemon/*/*.c drivers/*.c drivers/*/*.c))
GEN_TOOL_SRCS := $(sort $(wildcard tools/gen/*.c))
CTL_SRCS   := $(sort $(wildcard tools/cccdctl/*.c))
UNIT_SRCS  := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_HELP  := $(sort $(wildcard tests/unit/helpers/*.c))
FUZZ_SRCS  := $(sort $(wildcard tests/fuzz/*/fuzz_*.c))
BENCH_SRCS := $(sort $(wildcard tests/bench/bench_*.c))

# Generated C (data shipped as text and compiled in).
GEN_SRCS   :=
ifneq ($(wildcard daemon/doc/vietqr_banks.tsv),)
GEN_SRCS   += $(B)/gen/vietqr_banks.c
endif

LIB_OBJS   := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRCS)) $(GEN_SRCS:.c=.o)
LIB_OBJS   += $(patsubst %.cpp,$(B)/obj/%.o,$(SHIM_SRCS))
CTL_OBJS   := $(patsubst %.c,$(B)/obj/%.o,$(CTL_SRCS))
LIBA       := $(B)/libcccd.a
CCCDCTL    := $(B)/cccdctl
GATEWAYD   := $(B)/cccd-gatewayd
UNIT_BINS  := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRCS))
REPLAY_BINS:= $(patsubst tests/fuzz/%.c,$(B)/tests/replay/%,$(FUZZ_SRCS))
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(B)/tests/fuzz/%,$(FUZZ_SRCS))
BENCH_BINS := $(patsubst tests/bench/%.c,$(B)/tests/bench/%,$(BENCH_SRCS))
GEN_TOOLS  := $(patsubst tools/gen/%.c,$(B)/tools/%,$(GEN_TOOL_SRCS))

.PHONY: all deps deps-check test unit-bins replay-bins fuzz fuzz-bins bench bench-bins demo \
	install clean format
.DELETE_ON_ERROR:

all: $(CCCDCTL) $(GATEWAYD) $(GEN_TOOLS)

deps:
	@tools/deps.sh

# test and demo install what is missing when run as root, else print the one command to run.
deps-check:
	@tools/deps.sh

# Objects depend on the flags they were built with: a new feature macro (HAVE_LINK_SIM appears
# when drivers/nfc/link_sim.c does) or sanitizer switch rebuilds them instead of linking stale ones.
FLAGS_STAMP := $(B)/.cflags
$(shell mkdir -p $(B); echo '$(CC) $(CFLAGS)' | cmp -s - $(FLAGS_STAMP) || echo '$(CC) $(CFLAGS)' > $(FLAGS_STAMP))

$(B)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/%.o: %.cpp $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -MMD -MP -c $< -o $@

$(B)/gen/vietqr_banks.c: daemon/doc/vietqr_banks.tsv tools/tsv2c-banks.sh
	@mkdir -p $(@D)
	sh tools/tsv2c-banks.sh $< > $@

$(B)/gen/%.o: $(B)/gen/%.c
	$(CC) $(CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(CCCDCTL): $(CTL_OBJS) $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $(CTL_OBJS) $(LIBA) $(LIBS)

# The daemon's main() sits beside the modules (daemon/*.c), not in the library.
$(GATEWAYD): daemon/cccd-gatewayd.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBA) $(LIBS) -lsystemd $(LDFLAGS)

# --- test-data generators: one file each in tools/gen/, linked with the library ---
$(B)/tools/%: tools/gen/%.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBA) $(LIBS) $(LDFLAGS)

# --- unit tests (cmocka): one binary per tests/unit/<module>/test_<x>.c ---
UNIT_HELP_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(UNIT_HELP))
$(B)/tests/unit/%: tests/unit/%.c $(UNIT_HELP_OBJS) $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(UNIT_HELP_OBJS) $(LIBA) $(LIBS) $(LDFLAGS) -lcmocka

unit-bins: $(UNIT_BINS) $(CCCDCTL) $(GATEWAYD) $(GEN_TOOLS)

# --- fuzz targets, replayed without libFuzzer by make test (tests/fuzz/replay.c) ---
$(B)/tests/replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIBA) $(LIBS) $(LDFLAGS)

replay-bins: $(REPLAY_BINS)

# --- libFuzzer (clang), into build/fuzz ---
FUZZ_B := build/fuzz
fuzz-bins:
	$(MAKE) --no-print-directory B=$(FUZZ_B) CC=clang OPT="-O1 -g" \
		SANFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		fuzz-link

$(B)/tests/fuzz/%: tests/fuzz/%.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIBA) $(LIBS) $(LDFLAGS)

.PHONY: fuzz-link
fuzz-link: $(FUZZ_BINS)

fuzz: deps-check fuzz-bins
	@tests/fuzz/run-fuzz.sh $(FUZZ_B) $(FUZZ_SECONDS)

# --- the test suite ---
test: deps-check
	$(MAKE) --no-print-directory unit-bins replay-bins
	$(MAKE) --no-print-directory B=build/asan SAN=1 unit-bins replay-bins
	@tests/run-tests.sh build build/asan

# --- benchmarks: one figure per line, each beside its peer ---
$(B)/tests/bench/%: tests/bench/%.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBA) $(LIBS) $(LDFLAGS)

bench-bins: $(BENCH_BINS) $(CCCDCTL) $(GATEWAYD) $(GEN_TOOLS)

bench: deps-check
	$(MAKE) --no-print-directory bench-bins
	@tests/bench/run-bench.sh build

# --- demo: the main job on the embedded default ---
demo: deps-check
	$(MAKE) --no-print-directory all
	@tools/demo.sh build

DOCDIR := $(DESTDIR)$(PREFIX)/share/doc/cccd-gateway
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DOCDIR)/formats
	install -m 0755 $(CCCDCTL) $(DESTDIR)$(PREFIX)/bin/cccdctl
	install -m 0644 README.md docs/*.md $(DOCDIR)/
	install -m 0644 docs/formats/*.md $(DOCDIR)/formats/
	install -d $(DESTDIR)/lib/udev/rules.d $(DESTDIR)/etc/modprobe.d
	install -m 0644 udev/*.rules $(DESTDIR)/lib/udev/rules.d/
	install -m 0644 udev/cccd-gateway-blacklist-pn533.conf $(DESTDIR)/etc/modprobe.d/
	install -d $(DESTDIR)$(PREFIX)/sbin
	install -m 0755 $(GATEWAYD) $(DESTDIR)$(PREFIX)/sbin/cccd-gatewayd
	install -d $(DESTDIR)/lib/systemd/system $(DESTDIR)/usr/lib/sysusers.d \
		$(DESTDIR)/usr/lib/tmpfiles.d $(DESTDIR)/etc/cccd-gateway
	sed 's|/usr/local|$(PREFIX)|g' systemd/cccd-gatewayd.service \
		> $(DESTDIR)/lib/systemd/system/cccd-gatewayd.service
	install -m 0644 systemd/sysusers.d/cccd-gateway.conf $(DESTDIR)/usr/lib/sysusers.d/
	install -m 0644 systemd/tmpfiles.d/cccd-gateway.conf $(DESTDIR)/usr/lib/tmpfiles.d/
	install -m 0644 docs/gateway.ini.example $(DESTDIR)/etc/cccd-gateway/gateway.ini.example
	install -d $(DESTDIR)/usr/lib/cccd-gateway
	install -m 0755 systemd/cccd-gadget.sh $(DESTDIR)/usr/lib/cccd-gateway/
	install -m 0644 systemd/cccd-gadget.service $(DESTDIR)/lib/systemd/system/

format:
	clang-format -i $$(git ls-files '*.c' '*.h' '*.cpp')

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
