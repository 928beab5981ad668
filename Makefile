# Two commands set everything up on a fresh Debian 12 machine:
#   make run   installs missing packages, builds (Release), runs scenarios/baseline.yaml
#   make test  installs missing packages, builds, runs every test through ctest
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
SANITIZE_DIR ?= build-sanitize
FUZZ_SECONDS ?= 600
# Any sanitizer report fails the run, with its stack.
SANITIZER_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:print_stacktrace=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1 \
                 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# Debian 12 packages, installed by the set-up when missing: what building and running
# needs, and what the tests need on top: Chromium for the report's browser test, clang with
# libFuzzer and its sanitizer runtimes for the fuzzers (make test, make fuzz) and the clang
# half of make sanitize, Python's YAML and JSON Schema modules for the scenario schema's test.
# The program itself builds with GCC alone.
PACKAGES := build-essential cmake pkg-config libeigen3-dev libtbb-dev libyaml-cpp-dev \
            libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev \
            librandom123-dev libboost-dev libfmt-dev libnlopt-cxx-dev libhwy-dev libsleef-dev openmpi-bin \
            libopenmpi-dev
TEST_PACKAGES := chromium clang libclang-rt-14-dev python3-yaml python3-jsonschema

.PHONY: all setup setup-test configure build run test sanitize fuzz bench bench-compare golden \
        screenshots format clean

all: build

setup:
	@scripts/install-packages.sh $(PACKAGES)
	@# Node.js and npm, from Debian unless the machine already has an npm of its own.
	@command -v npm > /dev/null 2>&1 || scripts/install-packages.sh nodejs npm
	@# The report's JavaScript libraries, at the versions pinned in package-lock.json.
	@if [ ! -d node_modules ] || [ node_modules/.package-lock.json -ot package-lock.json ]; then \
	  npm ci --no-audit --no-fund; \
	fi

setup-test: setup
	@scripts/install-packages.sh $(TEST_PACKAGES)

configure: setup
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) > /dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Builds only the program, then runs the shipped baseline.
run: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target tenure
	./$(BUILD_DIR)/tenure run scenarios/baseline.yaml

test: setup-test build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# GCC with ASan and UBSan: the whole suite (it runs and validates every shipped scenario and
# replays the fuzz corpora); then clang's sanitizers on the scenarios and the corpora.
sanitize: setup-test
	@cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTENURE_SANITIZE=ON > /dev/null
	@cmake --build $(SANITIZE_DIR) -j $(JOBS) --target tenure tenure_tests
	cd $(SANITIZE_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS)
	$(SANITIZER_ENV) tests/fuzz/fuzz.sh replay

# New inputs go to tests/fuzz/work/corpus-*, crashes to tests/fuzz/work/artifacts/.
fuzz: setup-test
	tests/fuzz/fuzz.sh run $(FUZZ_SECONDS)

bench: build
	./$(BUILD_DIR)/tenure_bench --benchmark_min_time=0.2

# The program against a NumPy implementation of the same model (bench/README.md): means
# checked to agree, wall and CPU times compared. RUNS rounds, alternately.
RUNS ?= 5
bench-compare: build
	@scripts/install-packages.sh python3-numpy python3-yaml
	/usr/bin/python3 bench/compare.py --runs $(RUNS) --program $(BUILD_DIR)/tenure

# Regenerates tests/golden/ (only in a commit that means to change the numbers).
golden: build
	tests/golden/update.sh $(BUILD_DIR)/tenure

# Runs the baseline, renders its report and saves one PNG per section to docs/images/.
screenshots: build
	tests/browser/screenshots.sh $(BUILD_DIR) docs/images

format:
	clang-format -i $$(find sim tests bench -name '*.cpp' -o -name '*.hpp')

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) build-fuzz
