"""The differences between Ankr's and revm's outcomes of one case, the kind of a divergence and its
signature (what the known-divergences list and regression files name)."""
from eth_hash.auto import keccak

from . import opcodes

KINDS = ["crash", "hang", "status", "gas", "output", "logs", "state"]


def _int(s):
    return int(s, 16) if isinstance(s, str) else int(s)


def ankr_outcome(case, answer):
    """Ankr's answer in revm's shape: ints, code hashes, and the caller's nonce as a message call leaves it."""
    post = {}
    for address, acct in answer.get("post", {}).items():
        post[address.lower()] = {"balance": _int(acct["balance"]), "nonce": int(acct["nonce"]),
                                 "codeHash": keccak(bytes.fromhex(acct["code"][2:])).hex(),
                                 "storage": {_int(k): _int(v) for k, v in acct["storage"].items() if _int(v)}}
    caller = case["tx"]["from"].lower()
    if answer["status"] != "invalid" and caller in post:
        # A transaction raises the sender's nonce; pyrevm's message call does not.
        post[caller]["nonce"] -= 1
    return {"status": answer["status"], "reason": answer.get("reason"), "gasUsed": answer.get("gasUsed"),
            "output": answer.get("output", "0x"), "logs": answer.get("logs", []), "post": post}


def _live(post):
    """Accounts that exist: an empty account without storage counts as absent (EIP-161)."""
    from .revm import EMPTY_CODE_HASH
    return {a: acct for a, acct in post.items()
            if acct["balance"] or acct["nonce"] or acct["codeHash"] != EMPTY_CODE_HASH or acct["storage"]}


def differences(ankr, revm):
    """[(kind, field, ankr's value, revm's value)], empty when the outcomes agree."""
    if ankr["status"] in ("crash", "hang"):
        return [(ankr["status"], "status", ankr["status"] + ": " + (ankr.get("reason") or ""), revm["status"])]
    if ankr["status"] != revm["status"]:
        return [("status", "status", f"{ankr['status']} ({ankr.get('reason')})", f"{revm['status']} ({revm.get('reason')})")]
    if ankr["status"] == "invalid":
        return []
    out = []
    if ankr["gasUsed"] != revm["gasUsed"]:
        out.append(("gas", "gasUsed", ankr["gasUsed"], revm["gasUsed"]))
    if ankr["output"] != revm["output"]:
        out.append(("output", "output", ankr["output"], revm["output"]))
    if ankr["logs"] != revm["logs"]:
        out.append(("logs", "logs", ankr["logs"], revm["logs"]))
    a, r = _live(ankr["post"]), _live(revm["post"])
    for address in sorted(set(a) | set(r)):
        x, y = a.get(address), r.get(address)
        if x is None or y is None:
            out.append(("state", f"{address}", "present" if x else "absent", "present" if y else "absent"))
            continue
        for field in ("balance", "nonce", "codeHash"):
            if x[field] != y[field]:
                out.append(("state", f"{address}.{field}", x[field], y[field]))
        for k in sorted(set(x["storage"]) | set(y["storage"])):
            if x["storage"].get(k, 0) != y["storage"].get(k, 0):
                out.append(("state", f"{address}.storage[{hex(k)}]", hex(x["storage"].get(k, 0)), hex(y["storage"].get(k, 0))))
    return out


def kind(diffs):
    """The divergence's main kind: the first of crash, hang, status, gas, output, logs, state."""
    present = {d[0] for d in diffs}
    return next(k for k in KINDS if k in present)


def signature(case, diffs, ankr, revm):
    """`crash|where Ankr traps`, or `kind|ankr status/revm status|opcodes`: opcodes of every code in the
    (minimised) case, PUSHn as PUSH, so the same bug found again from another seed tends to get the
    same signature."""
    if ankr["status"] == "crash":
        return f"crash|{ankr['site']}"
    ops = set()
    for acct in case["pre"].values():
        for op, _ in opcodes.parse(bytes.fromhex(acct.get("code", "0x")[2:])):
            n = opcodes.name(op)
            ops.add("PUSH" if n.startswith("PUSH") and n != "PUSH0" else n)
    return f"{kind(diffs)}|{ankr['status']}/{revm['status']}|{','.join(sorted(ops))}"
