# Two commands on a fresh machine:
#   make run    installs what is missing, builds, runs the pipeline on the embedded default,
#               then serves the dashboard on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)
#   make test   installs what is missing, builds, runs every test (release and asan+ubsan:
#               C++, SQL golden, web unit tests, the browser test)
# Real data: put the two CSVs in data/raw/ or run `make run RAW_DIR=/path/to/folder`.

SHELL := /bin/bash
# Precompiled headers (CMake's AA_PCH) are cacheable by ccache only with these.
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
# Paths relative to the clone and no working directory in the hash: a cache filled by one clone
# serves another clone anywhere (a fresh CI checkout), debug builds included.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
PRESET ?= release
RAW_DIR ?= data/raw
LAKE ?= lake
SAMPLE_DIR ?= data/sample
SAMPLE_MEMBERS ?= 20000
CMAKE_EXTRA ?= $(if $(CI),-DAA_WERROR=ON,)
PORT ?= 8080
BIN = build/$(PRESET)/airline-analytics
LOYALTY_CSV = Customer Loyalty History.csv

.PHONY: all deps deps-apt deps-npm deps-web deps-python build web run pipeline serve test \
        test-release test-asan build-bench bench bench-venvs bench-ops bench-ask bench-serve recovery fuzz \
        screenshots docs-operations format format-check clean

all: build

## Dependencies: Debian packages (pinned list), DuckDB from npm (lock file), Python test venv.
deps: deps-apt deps-npm deps-web deps-python

deps-apt:
	@scripts/install-apt.sh deps/apt-packages.txt

deps-npm: deps/duckdb/node_modules/.package-lock.json

deps/duckdb/node_modules/.package-lock.json: deps/duckdb/package-lock.json deps/duckdb/package.json
	cd deps/duckdb && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

deps-web: web/node_modules/.package-lock.json

web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps-python: .venv/.installed

.venv/.installed: tests/requirements.txt
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	@touch $@

## Build: the C++ binary and the web app (web/dist, served by `serve`).
build: deps-apt deps-npm web
	cmake --preset $(PRESET) $(CMAKE_EXTRA) > /dev/null
	cmake --build --preset $(PRESET)

WEB_SOURCES = $(shell find web/src -type f) web/index.html web/vite.config.ts web/tsconfig.json
web: web/dist/index.html

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run --silent build

## The main job on the embedded default (local lake + DuckDB), then the dashboard.
run: build
	@$(MAKE) --no-print-directory pipeline
	@$(MAKE) --no-print-directory serve

serve:
	$(BIN) serve --lake "$(LAKE)" --port $(PORT)

pipeline:
	@if [ -f "$(RAW_DIR)/$(LOYALTY_CSV)" ]; then \
	  echo "Using the data set in $(RAW_DIR)/"; \
	  $(BIN) run --raw-dir "$(RAW_DIR)" --lake "$(LAKE)"; \
	else \
	  echo "No data set in $(RAW_DIR)/ ('$(LOYALTY_CSV)' is missing):"; \
	  echo "generating a SYNTHETIC sample of $(SAMPLE_MEMBERS) members in $(SAMPLE_DIR)/ and running on it."; \
	  echo "For the real data, put the two CSVs in $(RAW_DIR)/ or run: make run RAW_DIR=/path/to/folder"; \
	  $(BIN) generate-sample --out "$(SAMPLE_DIR)" --members $(SAMPLE_MEMBERS) --seed 42 && \
	  $(BIN) run --raw-dir "$(SAMPLE_DIR)" --lake "$(LAKE)"; \
	fi

## Tests: the release build, then the whole suite again under AddressSanitizer + UBSan, but
## for four tests that run in the release build only (CMakePresets.json's asan filter): the
## real data's golden run and its 12-month replay (their C++ paths run under the sanitizers in
## the generated-data tests: cli/all, e2e/drift_detection, PipelineReliability), the Spark
## parity test (its time is the JVM's) and the planner's leave-one-set-out cross-validation
## (the planner's code runs sanitized in every other PlannerEval test; it replans every
## labelled question once per set under four weightings and trains the classifier once per
## set: 50 s in release on 2026-12-05 with 8,851 questions; 94 s under asan with 1,758
## questions before the classifier, and the asan run's
## last test on 2026-12-05). The first three summed to 5.3 minutes under asan; without them the
## asan suite's wall time fell from 535 s to 412 s on 2 cores (-j2), for a cold `make test`
## that had taken 1,562 s in CI (1,636 s at the next CI run).
test: deps
	@$(MAKE) --no-print-directory test-release
	@$(MAKE) --no-print-directory test-asan

# The benchmarks are not built for the tests (they have their own targets below), so that a
# cold `make test` stays within 20 minutes on 2 cores.
test-release:
	@$(MAKE) --no-print-directory build PRESET=release CMAKE_EXTRA="$(CMAKE_EXTRA) -DAA_BUILD_BENCH=OFF"
	ctest --preset release

test-asan:
	@$(MAKE) --no-print-directory build PRESET=asan
	ctest --preset asan

## Benchmarks (not part of `make test`; figures go to docs/BENCHMARKS.md).
BENCH_DIR ?= build/bench-data
build-bench:
	@$(MAKE) --no-print-directory build CMAKE_EXTRA="$(CMAKE_EXTRA) -DAA_BUILD_BENCH=ON"

# The pipeline benchmark (issue #7): our stages vs the peers on the same files, the bare
# DuckDB scan, operation / page / analyst latency and micro-benchmarks. SCALE: comma list of
# real, 100k, 1m, 10m or a member count; results in $(BENCH_DIR)/pipeline/pipeline_bench.{json,md}.
# The peers (issue 28): pandas_baseline.py under pandas 2.2 and pandas 3.x and a plain DuckDB SQL
# script (bench/peers/), each in its own pinned venv; stage peer-check compares their outputs.
# BENCH_ORDERS=member,month runs ours and every peer on the files as generated and again on a
# copy of the activity file sorted by (year, month, member), which the bench makes.
SCALE ?= real,100k,1m
BENCH_STAGES ?= ingest,features,peer,peer-check,run,scan,latency,micro
BENCH_ORDERS ?= member
BENCH_PEERS ?= pandas2,pandas3,duckdb
bench: build-bench deps-python bench-venvs
	.venv/bin/python bench/pipeline_bench.py --scales $(SCALE) --stages $(BENCH_STAGES) \
	  --orders $(BENCH_ORDERS) --peers $(BENCH_PEERS) \
	  --out-dir $(BENCH_DIR)/pipeline --cli $(BIN) --scan-tool build/$(PRESET)/aa_duckdb_scan \
	  --bench-bin-dir build/$(PRESET)

# The peers' venvs, apart from the test venv (.venv) so that neither moves the other: every
# package pinned in bench/peers/requirements-{pandas2,pandas3,duckdb}.txt, installed with
# --no-deps and checked by `pip check` (a missing pin fails here).
BENCH_VENVS = $(foreach v,pandas2 pandas3 duckdb,.venv-bench-$(v)/.installed)
bench-venvs: $(BENCH_VENVS)

.venv-bench-%/.installed: bench/peers/requirements-%.txt
	python3 -m venv --clear .venv-bench-$*
	.venv-bench-$*/bin/pip install --quiet --disable-pip-version-check --no-deps -r $<
	.venv-bench-$*/bin/pip check
	@touch $@

bench-ops: build-bench
	mkdir -p $(BENCH_DIR)
	AA_BENCH_DIR=$(BENCH_DIR) OMP_WAIT_POLICY=PASSIVE build/$(PRESET)/ops_bench \
	  --benchmark_out=$(BENCH_DIR)/ops_bench.json --benchmark_out_format=json

bench-ask: build-bench
	mkdir -p $(BENCH_DIR)
	AA_BENCH_DIR=$(BENCH_DIR) OMP_WAIT_POLICY=PASSIVE build/$(PRESET)/analyst_bench \
	  --benchmark_out=$(BENCH_DIR)/analyst_bench.json --benchmark_out_format=json

# The dashboard server at each of BENCH_SERVE_MEMBERS (issue 28): open time and memory, every
# operation, page and analyst question over HTTP, a republish (bench/serve_bench.cc); builds
# each lake once (AA_BENCH_DIR/ops-N). Then the first page load in Chromium at 1M.
BENCH_SERVE_MEMBERS ?= 1000000 10000000
bench-serve: build-bench
	mkdir -p $(BENCH_DIR)
	@for m in $(BENCH_SERVE_MEMBERS); do \
	  AA_BENCH_DIR=$(BENCH_DIR) AA_BENCH_MEMBERS=$$m OMP_WAIT_POLICY=PASSIVE build/$(PRESET)/serve_bench \
	    --benchmark_out=$(BENCH_DIR)/serve_bench-$$m.json --benchmark_out_format=json || exit 1; \
	done
	cd web && node e2e/page_load_bench.mjs --cli ../$(BIN) --lake ../$(BENCH_DIR)/ops-1000000/lake

## The churn model against planted truth (issue 24): every generator scenario at
## RECOVERY_MEMBERS members, then the table of docs/CHURN_MODEL.md ("Recovery").
RECOVERY_MEMBERS ?= 100000
RECOVERY_SCENARIOS ?= reference-like behaviour tenure-cliff drift
recovery: build deps-python
	@for s in $(RECOVERY_SCENARIOS); do \
	  $(BIN) recovery --scenario $$s --members $(RECOVERY_MEMBERS) \
	    --work $(BENCH_DIR)/recovery/$$s || exit 1; \
	done
	.venv/bin/python bench/recovery_table.py $(BENCH_DIR)/recovery

## Coverage-guided fuzzing with clang's libFuzzer (not part of `make test`, which runs each target
## for a bounded pass through its GCC build). FUZZ_SECONDS per target; findings go to build/fuzz/.
FUZZ_SECONDS ?= 300
FUZZ_TARGETS = csv api_request question
fuzz: deps-npm
	@scripts/install-apt.sh deps/apt-packages-fuzz.txt
	cmake --preset fuzz > /dev/null
	cmake --build --preset fuzz
	@mkdir -p build/fuzz/findings
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus-$$t && cp -n fuzz/corpus/$$t/* build/fuzz/corpus-$$t/ ; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  build/fuzz/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
	    -artifact_prefix=build/fuzz/findings/$$t- -print_final_stats=1 \
	    build/fuzz/corpus-$$t fuzz/corpus/$$t 2>&1 | grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY)" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

## The browser test again, saving each page's screenshot under docs/screenshots/.
screenshots: build
	cd web && node e2e/browser_test.mjs --cli ../$(BIN) --screenshots ../docs/screenshots

## docs/OPERATIONS.md's reference section regenerated from the operations' declarations
## (`ops list --markdown`; ops_test fails while the committed text differs).
docs-operations: build
	$(BIN) ops list --markdown > build/operations.md
	sed -i -e '/<!-- generated by ops list --markdown: begin -->/,/<!-- generated by ops list --markdown: end -->/{//!d}' \
	  -e '/<!-- generated by ops list --markdown: begin -->/r build/operations.md' docs/OPERATIONS.md

format:
	clang-format-14 -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'fuzz/*.cc' 'fuzz/*.h')

format-check:
	clang-format-14 --dry-run --Werror $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'fuzz/*.cc' 'fuzz/*.h')

clean:
	rm -rf build
