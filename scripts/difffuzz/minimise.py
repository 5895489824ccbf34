"""Shrinks a diverging case while it keeps diverging the same way (same kind, same pair of statuses):
drop accounts, storage, calldata, value and access list; cut instructions out of every contract (halves,
quarters, … single instructions); replace PUSH operands by 0, 1 or their shortest form; lower the gas."""
import copy
import time

from . import opcodes
from .compare import kind


def _key(diffs, ankr, revm):
    if not diffs:
        return None
    return ("crash", ankr["site"]) if ankr["status"] == "crash" else (kind(diffs), ankr["status"], revm["status"])


def minimise(case, check, budget=20.0):
    """`check(case)` → (diffs, ankr, revm). Returns the smallest case found within `budget` seconds and
    how many trials it took."""
    diffs, ankr, revm = check(case)
    goal = _key(diffs, ankr, revm)
    deadline = time.time() + budget
    trials = 0

    def keeps(candidate):
        nonlocal trials
        trials += 1
        d, a, r = check(candidate)
        return _key(d, a, r) == goal

    best = copy.deepcopy(case)
    best.pop("origin", None)
    changed = True
    while changed and time.time() < deadline:
        changed = False
        for simplify in (_drop_parts, _cut_code, _simpler_operands):
            smaller = simplify(best, keeps, deadline)
            if smaller is not None:
                best, changed = smaller, True
    return best, trials


def _drop_parts(case, keeps, deadline):
    """Removes whatever the divergence does not need, one part at a time."""
    best, progress = case, False
    caller, target = case["tx"]["from"], case["tx"]["to"]

    def attempt(edit):
        nonlocal best, progress
        if time.time() > deadline:
            return
        candidate = copy.deepcopy(best)
        if edit(candidate) is False:
            return
        if candidate != best and keeps(candidate):
            best, progress = candidate, True

    for address in sorted(case["pre"]):
        if address not in (caller, target):
            attempt(lambda c, a=address: c["pre"].pop(a, None))
    for address in sorted(best["pre"]):
        attempt(lambda c, a=address: c["pre"][a].__setitem__("storage", {}))
        if address != caller:
            attempt(lambda c, a=address: c["pre"][a].__setitem__("balance", "0x0"))
        if address != caller:
            attempt(lambda c, a=address: c["pre"][a].__setitem__("nonce", "0x0"))
    attempt(lambda c: c["tx"].__setitem__("accessList", []))
    attempt(lambda c: c["tx"].__setitem__("data", "0x"))
    attempt(lambda c: c["tx"].__setitem__("value", "0x0"))
    for gas in (100_000, 1_000_000, 10_000_000):
        if int(best["tx"]["gas"], 16) > gas:
            attempt(lambda c, g=gas: c["tx"].__setitem__("gas", hex(g)))
    return best if progress else None


def _cut_code(case, keeps, deadline):
    """ddmin over each contract's instructions: remove chunks, halving the chunk size down to one."""
    best, progress = case, False
    for address in sorted(case["pre"]):
        ins = opcodes.parse(bytes.fromhex(best["pre"][address]["code"][2:]))
        chunk = max(1, len(ins) // 2)
        while chunk >= 1 and ins:
            i = 0
            while i < len(ins) and time.time() < deadline:
                trial = ins[:i] + ins[i + chunk:]
                candidate = copy.deepcopy(best)
                candidate["pre"][address]["code"] = "0x" + opcodes.assemble(trial).hex()
                if keeps(candidate):
                    best, ins, progress = candidate, trial, True
                else:
                    i += chunk
            if chunk == 1:
                break
            chunk //= 2
    return best if progress else None


def _simpler_operands(case, keeps, deadline):
    """Each PUSH operand: 0, then 1, then the same value in the shortest PUSH."""
    best, progress = case, False
    for address in sorted(case["pre"]):
        ins = opcodes.parse(bytes.fromhex(best["pre"][address]["code"][2:]))
        for i, (op, imm) in enumerate(ins):
            if not opcodes.push_size(op) or time.time() > deadline:
                continue
            v = int.from_bytes(imm, "big") if imm else 0
            n = max(1, (v.bit_length() + 7) // 8)
            for replacement in ([(0x5F, b"")] if v else []) + ([(0x60, b"\x01")] if v > 1 else []) + \
                               ([(0x5F + n, v.to_bytes(n, "big"))] if n < len(imm) else []):
                trial = ins[:i] + [replacement] + ins[i + 1:]
                candidate = copy.deepcopy(best)
                candidate["pre"][address]["code"] = "0x" + opcodes.assemble(trial).hex()
                if keeps(candidate):
                    best, ins, progress = candidate, trial, True
                    break
    return best if progress else None
