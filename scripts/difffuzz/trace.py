"""Step-for-step comparison of EIP-3155 traces: Ankr's (`ankr evm batch` with `"trace": true`) against revm's
(pyrevm's `EVM(tracing=True)`, whose TracerEip3155 writes JSON lines to file descriptor 1), on the programs of
the GeneralStateTests fixtures and on random programs.

Compared per step: pc, op, gas, gasCost, stack, depth, memSize; refund at depth 1 (revm prints the running
frame's refund counter, Ankr the transaction's, which agree in the transaction's own frame); whether the step
ended its frame with an error (revm also marks CALL/CREATE steps "CallOrCreate" and REVERT "Revert", which are
not failures). Then the number of steps and the summary's pass, output (unless the transaction failed without reverting: revm
then still prints a failed creation's return data) and gasUsed (for calls that ran code only: for a
creation revm's summary leaves out the code deposit, and without steps it is revm's whole gas limit). returnData is not compared: revm 8 always prints "0x"."""
import glob
import io
import json
import os
import sys

from . import revm
from .ankr import with_block_hashes

# As BatchCase.maxTraceLines: a longer trace is compared up to there.
MAX_STEPS = 250_000
# The mean stack depth past which a trace is left out (see compare): ordinary programs stay well below it.
MAX_STACK_WORDS_PER_STEP = 16
STEP_FIELDS = ("pc", "op", "gas", "gasCost", "stack", "depth", "memSize")
NOT_FAILURES = {"CallOrCreate", "Revert"}


def _int(s):
    return int(s, 16) if isinstance(s, str) and s.startswith("0x") else int(s)


class RevmPanicked(Exception):
    """pyrevm panicked (a Rust panic) while running the case: there is no revm trace to compare against."""


def revm_trace(case):
    """(steps, summary, truncated) of revm's trace of the case; summary None when the transaction never ran.

    pyrevm writes every JSON token of its lines through Python's sys.stdout (a C-level StringIO is the cheapest
    target, still ~1 ms per step), so callers run it only on traces Ankr found to be of a bounded length."""
    tx = case["tx"]
    evm = revm.prepare(case, tracing=True)
    sink, saved = io.StringIO(), sys.stdout
    sys.stdout = sink
    try:
        data = bytes.fromhex(tx.get("data", "0x")[2:])
        value, gas = _int(tx.get("value", "0x0")), _int(tx["gas"])
        if tx.get("to"):
            evm.message_call(tx["from"], tx["to"], data, value=value, gas=gas, gas_price=0)
        else:
            evm.deploy(tx["from"], data, value=value, gas=gas)
    except Exception:  # reverts, halts and invalid transactions all raise; the trace says which
        pass
    except BaseException as e:
        # A Rust panic inside pyrevm arrives as pyo3's PanicException, which derives from BaseException: it is
        # revm failing on the case, not a difference from Ankr, so the caller counts it apart.
        if type(e).__name__ != "PanicException":
            raise
        raise RevmPanicked(str(e)) from None
    finally:
        sys.stdout = saved
    return _read(sink.getvalue().split("\n"))


def _read(lines):
    steps, summary, truncated = [], None, False
    for raw in lines:
        raw = raw.strip()
        if not raw:
            continue
        # Lines past the bound are not parsed: a looping program's trace can run to millions of lines.
        if raw[:12] in (b'{"stateRoot"', '{"stateRoot"'):
            summary = json.loads(raw)
        elif len(steps) < MAX_STEPS:
            steps.append(json.loads(raw))
        else:
            truncated = True
    return steps, summary, truncated


def ankr_trace(batch, case):
    answer = batch.run(dict(with_block_hashes(case), trace=True))
    steps, summary, _ = _read(answer.get("trace", []))
    return steps, summary, bool(answer.get("traceTruncated")), answer


def first_difference(a_steps, a_summary, a_truncated, r_steps, r_summary, r_truncated, creation=False):
    """None when the traces agree, else (step index, field, Ankr's value, revm's value)."""
    for i, (a, r) in enumerate(zip(a_steps, r_steps)):
        for field in STEP_FIELDS:
            if a.get(field) != r.get(field):
                return i, field, a.get(field), r.get(field)
        if a["depth"] == 1 and a.get("refund") != r.get("refund"):
            return i, "refund", a.get("refund"), r.get("refund")
        revm_failed = r.get("error") not in (None, *NOT_FAILURES)
        if ("error" in a) != revm_failed:
            return i, "error", a.get("error"), r.get("error")
    if len(a_steps) != len(r_steps) and not (a_truncated or r_truncated):
        return min(len(a_steps), len(r_steps)), "steps", len(a_steps), len(r_steps)
    if a_truncated or r_truncated:
        return None
    if (a_summary is None) != (r_summary is None):
        return len(a_steps), "summary", a_summary, r_summary
    if a_summary is not None:
        # A frame that failed (not reverted) returns nothing in Ankr; revm keeps a failed creation's return data.
        reverted = bool(r_steps) and r_steps[-1].get("error") == "Revert"
        # revm's summary gasUsed is the gas limit less the gas left at its last step: without steps (a transfer to
        # an account without code) it is the whole limit.
        fields = ("pass",) + (("output",) if r_summary.get("pass") or reverted else ()) + (("gasUsed",) if r_steps and not creation else ())
        for field in fields:
            if a_summary.get(field) != r_summary.get(field):
                return len(a_steps), "summary." + field, a_summary.get(field), r_summary.get(field)
    return None


def compare(batch, case, max_steps=MAX_STEPS):
    """(difference or None, steps compared, whether the case was skipped): a case whose Ankr trace is longer than
    `max_steps` (or was cut at MAX_STEPS), or holds more than `max_steps` × MAX_STACK_WORDS_PER_STEP stack words in
    all, is not run in revm."""
    a_steps, a_summary, a_cut, _ = ankr_trace(batch, case)
    # pyrevm writes each stack word of each line through Python's stdout: a deep stack costs it as much as steps do
    # (stStackTests' 1,024-word stacks took minutes per case), so both are bounded.
    if a_cut or len(a_steps) > max_steps or sum(len(s.get("stack", ())) for s in a_steps) > max_steps * MAX_STACK_WORDS_PER_STEP:
        return None, 0, True
    r_steps, r_summary, r_cut = revm_trace(case)
    diff = first_difference(a_steps, a_summary, a_cut, r_steps, r_summary, r_cut, creation=not case["tx"].get("to"))
    return diff, min(len(a_steps), len(r_steps)), False


def fixture_cases(root):
    """(name, case) for every Cancun case of every GeneralStateTests fixture under root, as `ankr evm statetest`
    runs them: the fixture's pre-state, block, sender, recipient and the indexed data, gas and value. Gas price and
    base fee are 0 (pyrevm's message call fixes them so); a sender with nonce 0 starts at 1 (a message call leaves
    the nonce where it is while a transaction raises it); storage of accounts with neither code nor nonce is dropped
    (EIP-7610 collisions, which revm 8 predates)."""
    for path in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
        with open(path) as f:
            tests = json.load(f)
        for name in sorted(tests):
            t = tests[name]
            posts = t.get("post", {}).get("Cancun", [])
            if not posts:
                continue
            env, ftx = t["env"], t["transaction"]
            sender = ftx.get("sender", "").lower()
            if not sender:
                continue
            pre = {}
            for address, acct in t["pre"].items():
                code, nonce = acct.get("code", "0x"), _int(acct.get("nonce", "0x0"))
                storage = {k: v for k, v in acct.get("storage", {}).items() if _int(v)}
                if len(code) <= 2 and not nonce:
                    storage = {}
                pre[address.lower()] = {"balance": acct.get("balance", "0x0"), "nonce": hex(nonce), "code": code, "storage": storage}
            if sender not in pre:
                pre[sender] = {"balance": "0x0", "nonce": "0x0", "code": "0x", "storage": {}}
            if _int(pre[sender]["nonce"]) == 0:
                pre[sender]["nonce"] = "0x1"
            block = {"chainId": "0x1", "coinbase": env["currentCoinbase"].lower(), "number": env["currentNumber"],
                     "timestamp": env["currentTimestamp"], "gasLimit": env["currentGasLimit"],
                     "prevRandao": env.get("currentRandom", "0x" + "00" * 32), "baseFee": "0x0",
                     "excessBlobGas": env.get("currentExcessBlobGas", "0x0")}
            for index, post in enumerate(posts):
                ix = post["indexes"]
                # A value past 256 bits ("0x:bigint …", ValueOverflow) makes the transaction invalid before any step.
                if ftx["value"][ix["value"]].startswith("0x:"):
                    continue
                lists = ftx.get("accessLists") or []
                access = lists[ix["data"]] if ix["data"] < len(lists) and lists[ix["data"]] else []
                gas = min(_int(ftx["gasLimit"][ix["gas"]]), _int(env["currentGasLimit"]))
                tx = {"from": sender, "to": (ftx.get("to") or "").lower() or None, "gas": hex(gas), "value": ftx["value"][ix["value"]],
                      "data": ftx["data"][ix["data"]], "gasPrice": "0x0", "nonce": pre[sender]["nonce"],
                      "accessList": [{"address": e["address"].lower(), "storageKeys": e.get("storageKeys", [])} for e in access]}
                if tx["to"] is None:
                    del tx["to"]
                yield f"{name}[{index}]", {"env": block, "tx": tx, "pre": pre}
