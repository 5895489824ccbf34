# Ankr: the two set-up commands are `make run` and `make test`.
# Swift runs with the environment a shell gives `swift build` (make's own variables removed, `_` the swift found on
# PATH): SwiftPM re-evaluates WasmKit's manifest whenever the environment changes (it reads Context.environment) and
# then orders WasmKit's trait flags anew, so `make build` after `swift build` recompiled ~100 WasmKit files.
SWIFT_PATH := $(shell command -v swift)
SWIFT ?= env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u MAKE_TERMOUT -u MAKE_TERMERR _=$(SWIFT_PATH) swift
VENV := .venv-e2e

.PHONY: all bootstrap build run run-fresh test e2e statetests dapps bench clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build --product ankr

# The main job: a local network of three producing nodes, RPC on 127.0.0.1:8545-8547, with a child chain and its
# operator (8600), an oracle relay and a local HTTPS data source (8443); Ctrl-C stops it, the next run resumes it
# (the banner says which, and at what height). `make run-fresh` deletes the network in .ankr-devnet and starts over.
DEVNET := .build/debug/ankr devnet --nodes 3 --dir .ankr-devnet --http.port 8545 --with plasma,oracle,appchain,realestate

run: build
	$(DEVNET)

run-fresh: build
	$(DEVNET) --fresh

# Every test: official vectors (../shared/vectors), fuzzing, CLI end to end.
# Swift Testing is off because every suite is XCTest; its empty summary would hide the real count.
# The e2e virtualenv comes first: a unit test checks the DCAP test PKI against dcap-qvl (Python).
test: $(VENV)/.installed
	@scripts/bootstrap --test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing
	$(MAKE) e2e E2E_BUILT=1
	$(MAKE) statetests
	$(MAKE) difffuzz
	$(MAKE) fuzz-harnesses

# Every GeneralStateTests fixture (Cancun) through `ankr evm statetest`, optimized: a few of them are
# performance loops. Prints the pass count per directory; fails on any case not in Tests/evm/known-failures.txt.
statetests:
	$(SWIFT) build -c release --product ankr-evm
	scripts/statetests .build/release/ankr-evm

# End to end: real `ankr node` processes driven by web3.py and eth-account (pip, in a virtualenv), the
# ankr CLI, and the explorer in headless Chromium (screenshots in Tests/e2e/artifacts).
$(VENV)/.installed: Tests/e2e/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/e2e/requirements.txt
	touch $@

# `make test` has built `ankr` already (with the tests); building the product again would recompile WasmKit.
e2e: $(VENV)/.installed dapps
	$(if $(E2E_BUILT),,$(SWIFT) build --product ankr)
	$(VENV)/bin/python -m pytest -q Tests/e2e

# Differential fuzzing of the EVM against revm (pyrevm): 20,000 cases from a fixed seed on the optimized
# build (`make test`); fails on any divergence not in Tests/evm/difffuzz/known-divergences.txt.
.PHONY: difffuzz fuzz
difffuzz: $(VENV)/.installed
	$(SWIFT) build -c release --product ankr-evm
	$(VENV)/bin/python scripts/evm-difffuzz --seed 17 --cases 20000 --ankr .build/release/ankr-evm

# EIP-3155 traces against revm's step for step: every Cancun case of the GeneralStateTests fixtures and 2,000
# random programs, on the optimized build (`make test` runs a sample of both in Tests/e2e/test_evm_trace.py).
.PHONY: tracecheck
tracecheck: $(VENV)/.installed
	$(SWIFT) build -c release --product ankr-evm
	$(VENV)/bin/python scripts/evm-tracecheck --fixtures --random 2000 --ankr .build/release/ankr-evm

# The same with a random seed until Ctrl-C; each new minimised divergence is kept in Tests/evm/difffuzz.
fuzz: $(VENV)/.installed
	$(SWIFT) build --build-tests
	scripts/fuzz-run --seconds $(FUZZ_SECONDS) --save
	$(SWIFT) build -c release --product ankr-evm
	$(VENV)/bin/python scripts/evm-difffuzz --ankr .build/release/ankr-evm --save Tests/evm/difffuzz

# Coverage-guided fuzzing (libFuzzer): the harnesses in Fuzz/harnesses (RLP, ABI, transactions, P2P messages,
# Plasma transactions, system-contract dispatch, Wasm admission, JSON pointer, XML path), built by
# scripts/fuzz-build over the debug build. `make test` runs each for 20 s from a fixed seed over the seed
# corpora in Fuzz/corpus and the kept crashes in Fuzz/crashes; `make fuzz` first runs each for FUZZ_SECONDS
# from a random seed, keeping new minimised crashes in Fuzz/crashes.
.PHONY: fuzz-harnesses
FUZZ_SECONDS ?= 300
fuzz-harnesses:
	$(SWIFT) build --build-tests
	scripts/fuzz-run --seconds 20 --seed 1

# The dApps' Vyper contracts, compiled (Cancun) into dapps/build/<Name>.json ({"abi", "bytecode", "runtimeBytecode"}),
# which `ankr dapp` deploys (and checks deployed code against).
DAPP_SOURCES := $(wildcard dapps/*/*.vy)
DAPP_ARTIFACTS := $(patsubst %.vy,dapps/build/%.json,$(notdir $(DAPP_SOURCES)))
dapps: $(DAPP_ARTIFACTS)
dapps/build/%.json: dapps/*/%.vy scripts/compile-vyper $(VENV)/.installed
	@mkdir -p dapps/build
	$(VENV)/bin/python scripts/compile-vyper $< $@

# Benchmarks need an optimized build; numbers are ratios against same-run baselines.
bench: bootstrap $(VENV)/.installed
	$(SWIFT) build -c release --product ankr-bench
	.build/release/ankr-bench primitives
	.build/release/ankr-bench chain
	.build/release/ankr-bench rpc
	.build/release/ankr-bench p2p
	.build/release/ankr-bench work
	.build/release/ankr-bench pouw
	.build/release/ankr-bench plasma
	.build/release/ankr-bench oracle
	.build/release/ankr-bench evm --revm $(VENV)/bin/python
	.build/release/ankr-bench assets
	.build/release/ankr-bench dcap
	.build/release/ankr-bench kzg --ckzg $(VENV)/bin/python
	.build/release/ankr-bench subscriptions
	.build/release/ankr-bench appchain

clean:
	$(SWIFT) package clean
