# Two commands set everything up on a fresh Debian 12 machine:
#   make run   installs missing packages, builds (Release), runs scenarios/baseline.yaml
#   make test  installs missing packages, builds, runs every test through ctest (a short
#              fuzz run among them, built with clang)
# and the hardening audit (docs/hardening.md):
#   make sanitize  the test suite and every scenario under ASan and UBSan (GCC), and the
#                  scenarios and the fuzz corpora under clang's
#   make fuzz      each fuzzer for FUZZ_SECONDS on the working corpus
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
SANITIZE_DIR ?= build-sanitize
FUZZ_SECONDS ?= 600
# Any sanitizer report fails the run, with its stack.
SANITIZER_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:print_stacktrace=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1 \
                 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# Debian 12 packages the build needs; the setup step installs only those missing.
PACKAGES := build-essential cmake pkg-config libeigen3-dev libtbb-dev libyaml-cpp-dev \
            libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev \
            librandom123-dev libboost-dev libfmt-dev libnlopt-cxx-dev chromium
# clang with libFuzzer and its sanitizer runtimes: for the fuzzers (make test, make fuzz) and
# the clang half of make sanitize. The program itself builds with GCC alone.
HARDENING_PACKAGES := clang libclang-rt-14-dev

.PHONY: all setup setup-hardening configure build run test sanitize fuzz bench golden \
        screenshots format clean

all: build

# Installs those of $(1) that are missing, and nodejs/npm when $(2) is npm.
define install_missing
	@if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	  | grep -q 'install ok installed' || echo $$p; done); \
	if [ "$(2)" = npm ] && ! command -v npm > /dev/null 2>&1; then missing="$$missing nodejs npm"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:" $$missing; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

setup:
	$(call install_missing,$(PACKAGES),npm)
	@# The report's JavaScript libraries, at the versions pinned in package-lock.json.
	@if [ ! -d node_modules ] || [ node_modules/.package-lock.json -ot package-lock.json ]; then \
	  npm ci --no-audit --no-fund; \
	fi

configure: setup
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) > /dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/tenure run scenarios/baseline.yaml

setup-hardening: setup
	$(call install_missing,$(HARDENING_PACKAGES),)

test: build
	$(call install_missing,$(HARDENING_PACKAGES),)
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# GCC with ASan and UBSan: the whole suite (it runs and validates every shipped scenario and
# replays the fuzz corpora); then clang's sanitizers on the scenarios and the corpora.
sanitize: setup-hardening
	@cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTENURE_SANITIZE=ON > /dev/null
	@cmake --build $(SANITIZE_DIR) -j $(JOBS) --target tenure tenure_tests tenure_render_report
	cd $(SANITIZE_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS)
	$(SANITIZER_ENV) tests/fuzz/fuzz.sh replay

# New inputs go to tests/fuzz/work/corpus-*, crashes to tests/fuzz/work/artifacts/.
fuzz: setup-hardening
	tests/fuzz/fuzz.sh run $(FUZZ_SECONDS)

bench: build
	./$(BUILD_DIR)/tenure_bench --benchmark_min_time=0.2

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
