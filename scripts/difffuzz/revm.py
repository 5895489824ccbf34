"""Runs a case in revm (pyrevm 0.3.7, revm 8, Cancun) and describes the outcome like `ankr evm batch`.

What pyrevm fixes and the cases follow: `message_call` runs the transaction's validation, intrinsic gas,
warm set (caller, recipient, coinbase, precompiles, access list), execution and the EIP-3529 refund, but
never charges the caller and forces BASEFEE to 0 — so cases use gas price 0 and base fee 0, and the
caller's nonce stays where it was (Ankr's is one higher; `compare` allows for that, and cases never give
the caller nonce 0, where an emptied caller would be "empty" in revm only). The journal is not
finalised, so the post-state is read from it: accounts destroyed in the transaction are dropped here,
as finalisation would. Logs come back only on success, as from Ankr."""
import re

from eth_hash.auto import keccak
from pyrevm import EVM, AccountInfo, BlockEnv, CfgEnv, Env, TxEnv

EMPTY_CODE_HASH = keccak(b"").hex()

_ACCOUNT = re.compile(
    r"(0x[0-9a-fA-F]{40}): Account \{ info: AccountInfo \{ balance: (\d+), nonce: (\d+), code_hash: 0x([0-9a-f]{64}), .*?\}, "
    r"storage: \{((?:\d+: StorageSlot \{ previous_or_original_value: \d+, present_value: \d+ \}(?:, )?)*)\}, "
    r"status: AccountStatus\(([^)]*)\) \}")
_SLOT = re.compile(r"(\d+): StorageSlot \{ previous_or_original_value: \d+, present_value: (\d+) \}")
_OUTPUT = re.compile(r"output: 0x([0-9a-fA-F]*)")


def _int(s):
    return int(s, 16) if isinstance(s, str) and s.startswith("0x") else int(s)


def block_hash(number):
    """BLOCKHASH in pyrevm's in-memory database: keccak256 of the number's decimal text."""
    return "0x" + keccak(str(number).encode()).hex()


def prepare(case, tracing=False):
    """A pyrevm EVM holding the case's block and pre-state (`tracing`: revm's EIP-3155 tracer prints to fd 1)."""
    env, tx = case["env"], case["tx"]
    access = [(e["address"], [_int(k) for k in e.get("storageKeys", [])]) for e in tx.get("accessList", [])]
    block = BlockEnv(number=_int(env["number"]), coinbase=env["coinbase"], timestamp=_int(env["timestamp"]),
                     prevrandao=bytes.fromhex(env["prevRandao"][2:]), basefee=0, gas_limit=_int(env["gasLimit"]),
                     excess_blob_gas=_int(env.get("excessBlobGas", "0x0")))
    evm = EVM(env=Env(cfg=CfgEnv(chain_id=_int(env["chainId"])), block=block, tx=TxEnv(access_list=access)),
              gas_limit=_int(env["gasLimit"]), spec_id="Cancun", tracing=tracing)
    for address, acct in case["pre"].items():
        evm.insert_account_info(address, AccountInfo(balance=_int(acct.get("balance", "0x0")), nonce=_int(acct.get("nonce", "0x0")),
                                                     code=bytes.fromhex(acct.get("code", "0x")[2:])))
        for k, v in acct.get("storage", {}).items():
            # Inserting a slot also loads (warms) the account, and a second slot would then go through
            # the journal: so each slot is inserted into a cold account and the load reverted, which
            # keeps the slot in the database and the account cold, as a pre-state account is.
            checkpoint = evm.snapshot()
            evm.insert_account_storage(address, _int(k), _int(v))
            evm.revert(checkpoint)
    return evm


def run(case):
    tx = case["tx"]
    evm = prepare(case)
    out = {"status": None, "reason": None, "gasUsed": None, "output": "0x", "logs": []}
    try:
        data = evm.message_call(tx["from"], tx["to"], bytes.fromhex(tx.get("data", "0x")[2:]), value=_int(tx.get("value", "0x0")),
                                gas=_int(tx["gas"]), gas_price=_int(tx.get("gasPrice", "0x0")))
        out["status"] = "success"
        out["output"] = "0x" + bytes(data).hex()
    except Exception as e:  # pyrevm raises plain RuntimeError/ValueError for reverts, halts and invalid transactions
        result = evm.result
        if result is None:
            out["status"], out["reason"] = "invalid", str(e)
            return out
        if result.reason == "Revert":
            out["status"] = "revert"
            m = _OUTPUT.search(str(e))
            out["output"] = "0x" + (m.group(1).lower() if m else "")
        else:
            out["status"], out["reason"] = "failure", result.reason
    result = evm.result
    out["gasUsed"] = result.gas_used
    if out["status"] == "success":
        out["logs"] = [{"address": log.address.lower(), "topics": [t.lower() for t in log.topics],
                        "data": "0x" + bytes(log.data[1]).hex()} for log in result.logs]
    out["post"] = post_state(case, evm.journal_str)
    return out


def post_state(case, journal):
    """{address: {balance, nonce, codeHash, storage}}: the pre-state overlaid with the journal."""
    post = {}
    for address, acct in case["pre"].items():
        code = bytes.fromhex(acct.get("code", "0x")[2:])
        post[address.lower()] = {"balance": _int(acct.get("balance", "0x0")), "nonce": _int(acct.get("nonce", "0x0")),
                                 "codeHash": keccak(code).hex(),
                                 "storage": {_int(k): _int(v) for k, v in acct.get("storage", {}).items() if _int(v)}}
    for m in _ACCOUNT.finditer(journal):
        address = m.group(1).lower()
        balance, nonce, code_hash, status = int(m.group(2)), int(m.group(3)), m.group(4), m.group(6)
        # What finalising would do: drop accounts destroyed in the transaction, and touched accounts
        # left empty (EIP-161) with their storage.
        if "SelfDestructed" in status or ("Touched" in status and not balance and not nonce and code_hash == EMPTY_CODE_HASH):
            post.pop(address, None)
            continue
        storage = post.get(address, {}).get("storage", {})
        for k, v in _SLOT.findall(m.group(5)):
            if int(v):
                storage[int(k)] = int(v)
            else:
                storage.pop(int(k), None)
        post[address] = {"balance": balance, "nonce": nonce, "codeHash": code_hash, "storage": storage}
    return post
