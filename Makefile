# Two-command set-up: `make run` and `make test`. Both check the Debian
# packages pesim needs, install the missing ones with apt-get when run as root
# (otherwise print the exact command and stop), configure once, build, then
# run the default job or every test.

PKGS := gcc g++ pkg-config meson ninja-build libfyaml-dev libhdf5-dev \
        libcmocka-dev gnuplot-nox verilator libsystemc-dev yosys iverilog \
        zlib1g-dev slurm-wlm munge clang libclang-rt-14-dev
BUILD := build
ASAN := build-asan
# the Verilated models both builds share (rtl/verilate.sh): each is
# verilated and compiled once
VLCACHE := build-vlcache
# the Yosys results both builds' test_rtl_area share ($PESIM_AREA_CACHE): the
# area table's designs are synthesized once per `make test`
AREACACHE := build-areacache
MESON_OPTS := --buildtype=debugoptimized -Dwerror=true -Dtests=enabled -Drtl=enabled \
              -Drtl_vl_cache=$(CURDIR)/$(VLCACHE)

.PHONY: run test fuzz bench deps build build-asan clean

run: build
	./$(BUILD)/cli/pesim report all --out reports/out

test: build build-asan
	@mkdir -p $(AREACACHE)
	@PESIM_AREA_CACHE=$(CURDIR)/$(AREACACHE) bash tests/run-tests.sh $(BUILD) $(ASAN)

# Benchmark programs (print their own measurements).
bench: build
	./$(BUILD)/bench/bench_sim
	./$(BUILD)/bench/bench_pe
	./$(BUILD)/bench/bench_map
	@if [ -x ./$(BUILD)/bench/bench_rtl ]; then ./$(BUILD)/bench/bench_rtl; fi

# libFuzzer targets (clang, ASan+UBSan) for the trace, .npy and .safetensors
# readers and the YAML configs (arch, energy, model through their schemas),
# FUZZ_SECONDS each (default 60).
fuzz:
	@$(MAKE) --no-print-directory deps
	@bash tests/fuzz/run-fuzz.sh

deps:
	@missing=""; \
	for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "missing Debian packages; run as root:"; \
	    echo "  apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD) $(MESON_OPTS)

$(ASAN)/build.ninja: | deps
	meson setup $(ASAN) $(MESON_OPTS) -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)
	@ln -sf cli/pesim $(BUILD)/pesim

build-asan: deps $(ASAN)/build.ninja
	ninja -C $(ASAN)

clean:
	rm -rf $(BUILD) $(ASAN) $(VLCACHE) $(AREACACHE) build-fuzz reports/out
