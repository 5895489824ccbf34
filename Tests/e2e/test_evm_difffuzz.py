"""Differential fuzzing of Ankr's EVM against revm (pyrevm): `ankr evm batch` itself, the regression
cases the fuzzer keeps in Tests/evm/difffuzz, and a short fixed-seed campaign. (`make test` also runs
the 20,000-case campaign on the release build; `make fuzz` runs with a random seed until stopped.)"""
import json
import os
import subprocess
import sys

import pytest

from conftest import ANKR, ROOT

sys.path.insert(0, os.path.join(ROOT, "scripts"))

from difffuzz import campaign, compare, generator, revm  # noqa: E402
from difffuzz.ankr import AnkrBatch, AnkrCrash  # noqa: E402

REGRESSIONS = os.path.join(ROOT, "Tests", "evm", "difffuzz")
KNOWN = campaign.load_known(os.path.join(REGRESSIONS, "known-divergences.txt"))
# Some crashes are races (a thread hand-off): a regression case runs this many times.
ATTEMPTS = 8


def case(code, storage=None, data="0x", gas=100_000, value=0):
    return {"env": {"chainId": "0x1", "coinbase": generator.COINBASE, "number": "0x10", "timestamp": "0x3e8",
                    "gasLimit": hex(30_000_000), "prevRandao": "0x" + "00" * 32, "excessBlobGas": "0x0"},
            "tx": {"from": generator.CALLER, "to": generator.TARGET, "gas": hex(gas), "value": hex(value), "data": data,
                   "gasPrice": "0x0", "accessList": []},
            "pre": {generator.CALLER: {"balance": hex(10**18), "nonce": "0x0", "code": "0x", "storage": {}},
                    generator.TARGET: {"balance": "0x0", "nonce": "0x1", "code": "0x" + code, "storage": storage or {}}}}


def batch(lines):
    run = subprocess.run([ANKR, "evm", "batch"], input="".join(x + "\n" for x in lines), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return [json.loads(x) for x in run.stdout.splitlines()]


def test_batch_answers_every_line_in_order_and_goes_on_after_a_bad_one():
    # SSTORE(0, 0x2a) into a fresh slot, LOG1(0, 32, topic 7) of MSTORE(0, 0x2a), RETURN(0, 32).
    store_log_return = "602a5f55602a5f52600760205fa160205ff3"
    answers = batch([json.dumps(case(store_log_return)), '{"env": {}, "tx": {}, "pre": {"0xzz": {}}}',
                     json.dumps(dict(case("60015f55"), id=9))])
    assert len(answers) == 3
    first = answers[0]
    assert first["status"] == "success"
    # 21,000 + cold SSTORE of a fresh slot (22,100) + LOG1 of one word (375 + 375 + 8 × 32) + pushes and memory.
    assert first["gasUsed"] == 21_000 + (3 + 2 + 22_100) + (3 + 2 + 3 + 3) + (3 + 3 + 2 + 375 + 375 + 8 * 32) + (3 + 2)
    assert first["output"] == "0x" + "00" * 31 + "2a"
    assert first["logs"] == [{"address": generator.TARGET, "topics": ["0x" + "00" * 31 + "07"], "data": "0x" + "00" * 31 + "2a"}]
    assert first["post"][generator.TARGET]["storage"] == {"0x0": "0x2a"}
    assert first["post"][generator.CALLER]["nonce"] == 1
    assert answers[1] == {"error": "pre[0xzz] is not a 20-byte hex address"}
    assert answers[2]["id"] == 9 and answers[2]["post"][generator.TARGET]["storage"] == {"0x0": "0x1"}


def test_batch_reports_an_invalid_transaction_without_touching_the_state():
    poor = case("00", value=10**19)
    answer = batch([json.dumps(poor)])[0]
    assert answer["status"] == "invalid"
    assert "insufficient funds" in answer["reason"]
    assert answer["post"][generator.CALLER] == {"balance": hex(10**18), "code": "0x", "nonce": 0, "storage": {}}


def test_pre_state_storage_and_warm_set_are_the_same_on_both_sides():
    # SLOAD of a pre-set slot, BALANCE of the caller (warm), of 0xdead (cold), of a precompile (warm):
    # a wrong warm set or a lost slot changes the gas or the output, and the comparison must see it.
    code = "600154600052" + "333150" + "61dead3150" + "60043150" + "60205ff3"
    c = case(code, storage={"0x1": "0x7", "0x2": "0x9"})
    runner = campaign.Runner(ANKR)
    try:
        diffs, _, r = runner.check(c)
        assert diffs == []
        assert r["output"] == "0x" + "00" * 31 + "07"
        assert r["gasUsed"] == 21_000 + (3 + 2_100 + 3 + 3 + 3) + (2 + 100 + 2) + (3 + 2_600 + 2) + (3 + 100 + 2) + (3 + 2)
        # The same program over another pre-state: the comparison reports the output and the storage.
        other = compare.ankr_outcome(c, runner.ankr.run(case(code, storage={"0x1": "0x8"})))
        assert {d[0] for d in compare.differences(other, r)} == {"output", "state"}
    finally:
        runner.close()


def test_a_crash_is_reported_with_where_ankr_trapped_and_the_next_case_runs():
    ankr = AnkrBatch(ANKR)
    try:
        # A process that dies mid-case: a crash with a site; the next case gets a fresh process.
        ankr.start()
        ankr.proc.kill()
        ankr.proc.wait()
        with pytest.raises(AnkrCrash) as crash:
            ankr.run(case("00"))
        assert "signal 9" in str(crash.value)
        assert ankr.run(case("00"))["status"] == "success"
        assert ankr.restarts == 1
    finally:
        ankr.close()


@pytest.mark.parametrize("path", sorted(f for f in os.listdir(REGRESSIONS) if f.endswith(".json")) if os.path.isdir(REGRESSIONS) else [])
def test_regression_case_agrees_with_revm_unless_listed_as_known(path):
    with open(os.path.join(REGRESSIONS, path)) as f:
        saved = json.load(f)
    runner = campaign.Runner(ANKR)
    try:
        outcomes = [runner.check(saved["case"]) for _ in range(ATTEMPTS)]
    finally:
        runner.close()
    diverging = [d for d, _, _ in outcomes if d]
    if saved["signature"] in KNOWN:
        assert diverging, f"{path} now agrees with revm: remove `{saved['signature']}` from known-divergences.txt"
    else:
        assert not diverging, f"{path} diverges: {diverging[0][:4]}"


def test_fixed_seed_campaign_finds_no_unknown_divergence():
    summary = campaign.run(1717, 300, ANKR, corpus_root=os.path.join(os.path.dirname(ROOT), "shared", "vectors", "ethereum",
                                                                     "GeneralStateTests"),
                           known=KNOWN, minimise_budget=5.0, log=lambda s: None, progress_every=0, timeout=600.0)
    assert summary["cases"] == 300
    # Every kind of outcome occurs, so the campaign is not comparing only trivial failures.
    statuses = {a for a, _ in summary["statuses"]}
    assert {"success", "revert", "failure", "invalid"} <= statuses
    assert campaign.unexplained(summary) == []


def test_revm_side_follows_cancun_for_what_the_cases_rely_on():
    # TSTORE/TLOAD (EIP-1153), MCOPY (EIP-5656), BLOBBASEFEE (EIP-7516) all exist in revm's Cancun.
    code = "602a5f5d5f5c5f5260205f60205e4a60405260605ff3"
    r = revm.run(case(code))
    assert r["status"] == "success"
    assert r["output"] == "0x" + ("00" * 31 + "2a") * 2 + "00" * 31 + "01"
    runner = campaign.Runner(ANKR)
    try:
        assert runner.check(case(code))[0] == []
    finally:
        runner.close()
