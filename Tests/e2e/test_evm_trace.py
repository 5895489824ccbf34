"""EIP-3155 tracing end to end: `ankr evm run --trace`, `ankr evm batch` with `"trace": true`, and a sampled
step-for-step cross-check against revm (pyrevm) on GeneralStateTests programs and random programs. (The full
cross-check over every fixture case is `make tracecheck`.)"""
import json
import os
import subprocess
import sys

from conftest import ANKR, ROOT

sys.path.insert(0, os.path.join(ROOT, "scripts"))

from difffuzz import generator, trace  # noqa: E402
from difffuzz.ankr import AnkrBatch  # noqa: E402

VECTORS = os.path.join(os.path.dirname(ROOT), "shared", "vectors", "ethereum", "GeneralStateTests")
CALLER = "0x" + "11" * 20
TARGET = "0x" + "22" * 20
# SSTORE(0, 0x2a), MSTORE(0, 0x2a), LOG1(0, 32, 7), RETURN(0, 32).
PROGRAM = "602a5f55602a5f52600760205fa160205ff3"


def case(code, gas=100_000, data="0x", trace_flag=True):
    c = {"env": {"chainId": "0x1", "coinbase": "0x" + "cc" * 20, "number": "0x10", "timestamp": "0x3e8", "gasLimit": hex(30_000_000),
                 "prevRandao": "0x" + "00" * 32},
         "tx": {"from": CALLER, "to": TARGET, "gas": hex(gas), "value": "0x0", "data": data, "gasPrice": "0x0"},
         "pre": {CALLER: {"balance": hex(10**18), "nonce": "0x1", "code": "0x", "storage": {}},
                 TARGET: {"balance": "0x0", "nonce": "0x1", "code": "0x" + code, "storage": {}}}}
    if trace_flag is not None:
        c["trace"] = trace_flag
    return c


def test_evm_run_trace_prints_revms_lines_on_stderr_and_the_result_on_stdout():
    # A bare call with the gas a 100,000-gas transaction has left after its 21,000 intrinsic gas.
    run = subprocess.run([ANKR, "evm", "run", "--code", PROGRAM, "--gas", "79000", "--trace"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["status"] == "success" and result["output"] == "0x" + "00" * 31 + "2a"
    ours = [json.loads(x) for x in run.stderr.splitlines()]
    theirs, summary, _ = trace.revm_trace(case(PROGRAM))
    assert ours[:-1] == theirs
    assert ours[-1]["pass"] is True and ours[-1]["output"] == summary["output"]
    # Without --trace, stderr stays empty.
    quiet = subprocess.run([ANKR, "evm", "run", "--code", PROGRAM], capture_output=True, text=True, timeout=60)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_evm_run_trace_of_an_endless_loop_ends_with_the_gas():
    # JUMPDEST; PUSH1 0; JUMP: four steps' worth of lines per 12 gas, then out of gas.
    run = subprocess.run([ANKR, "evm", "run", "--code", "5b600056", "--gas", "1200", "--trace", "--trace-memory"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(x) for x in run.stderr.splitlines()]
    assert len(lines) == 3 * 100 + 1 + 1
    assert lines[-2]["error"] == "out of gas" and lines[-2]["memory"] == "0x"
    assert lines[-1]["pass"] is False


def test_batch_traces_on_request_and_refuses_a_malformed_flag():
    lines = [json.dumps(case(PROGRAM)), json.dumps(case(PROGRAM, trace_flag="yes")), json.dumps(case(PROGRAM, trace_flag=None))]
    run = subprocess.run([ANKR, "evm", "batch"], input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    traced, refused, plain = [json.loads(x) for x in run.stdout.splitlines()]
    steps = [json.loads(x) for x in traced["trace"]]
    assert [s["opName"] for s in steps[:-1]] == ["PUSH1", "PUSH0", "SSTORE", "PUSH1", "PUSH0", "MSTORE", "PUSH1", "PUSH1", "PUSH0", "LOG1",
                                                 "PUSH1", "PUSH0", "RETURN"]
    # The summary's gasUsed is the transaction's before refunds, as revm's.
    assert steps[-1]["gasUsed"] == hex(traced["gasUsed"])
    assert refused == {"error": 'trace is not true or false: "yes"'}
    assert "trace" not in plain and plain["status"] == "success"


def test_traces_match_revm_step_for_step_on_a_sample_of_fixture_and_random_programs():
    fixtures = list(trace.fixture_cases(VECTORS))
    assert len(fixtures) > 10_000
    import random
    sample = random.Random(20).sample(fixtures, 40) + [(f"random {i}", generator.generate(20, i)) for i in range(60)]
    batch = AnkrBatch(ANKR)
    diverging, steps, long = [], 0, 0
    try:
        for name, c in sample:
            # pyrevm's tracer costs ~1 ms a step: long loops are left to `make tracecheck`.
            diff, compared, skipped = trace.compare(batch, c, max_steps=2_000)
            steps += compared
            long += skipped
            if diff:
                diverging.append((name, diff))
    finally:
        batch.close()
    assert diverging == []
    assert steps > 3_000 and long < 20
