# Two commands set everything up on a fresh Debian 12 machine:
#   make run   installs missing packages, builds (Release), runs scenarios/baseline.yaml
#   make test  installs missing packages, builds, runs every test through ctest
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

# Debian 12 packages the build needs; the setup step installs only those missing.
PACKAGES := build-essential cmake pkg-config libeigen3-dev libtbb-dev libyaml-cpp-dev \
            libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev \
            librandom123-dev libboost-dev libfmt-dev

.PHONY: all setup configure build run test bench bench-compare golden format clean

all: build

# $(call install_missing,PACKAGES): installs those of the Debian PACKAGES not yet installed.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	  | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:" $$missing; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

setup:
	$(call install_missing,$(PACKAGES))

configure: setup
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) > /dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/tenure run scenarios/baseline.yaml

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: build
	./$(BUILD_DIR)/tenure_bench --benchmark_min_time=0.2

# The program against its NumPy reference on bench/compare.yaml: the means must agree within
# 4 standard errors; prints wall and CPU times. RUNS rounds of both (about 5 s + 1 min each).
RUNS ?= 5
bench-compare: build
	$(call install_missing,python3-numpy python3-yaml)
	/usr/bin/python3 bench/compare.py --runs $(RUNS) --program $(BUILD_DIR)/tenure

# Regenerates tests/golden/ (only in a commit that means to change the numbers).
golden: build
	tests/golden/update.sh $(BUILD_DIR)/tenure

format:
	clang-format -i sim/*.cpp sim/*.hpp tests/*.cpp tests/*.hpp bench/*.cpp

clean:
	rm -rf $(BUILD_DIR)
