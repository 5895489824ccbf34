#!/usr/bin/env python3
"""Runs bytecode in py-evm (Cancun) the way `ankr-bench evm` runs it in Ankr's EVM: one message call
to a contract holding the code, in a fresh state that also holds the other contracts given. Prints
{"gasUsed": …, "seconds": …}.

usage: pyevm-baseline.py <gas> <hex code> [<address>=<hex code>]…   (needs `pip install py-evm`)"""
import json
import sys
import time

from eth.constants import BLANK_ROOT_HASH
from eth.db.atomic import AtomicDB
from eth.vm.execution_context import ExecutionContext
from eth.vm.forks.cancun.state import CancunState
from eth.vm.message import Message
from eth.vm.transaction_context import BaseTransactionContext

CALLER = bytes.fromhex("000000000000000000000000000000000000cafe")
CONTRACT = bytes.fromhex("000000000000000000000000000000000000c0de")


def code_bytes(text):
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


gas = int(sys.argv[1])
code = code_bytes(sys.argv[2])
context = ExecutionContext(coinbase=b"\0" * 20, timestamp=1, block_number=1, difficulty=0, mix_hash=b"\0" * 32, gas_limit=30_000_000,
                           prev_hashes=[], chain_id=7331, base_fee_per_gas=0, excess_blob_gas=0)
state = CancunState(AtomicDB(), context, BLANK_ROOT_HASH)
state.set_code(CONTRACT, code)
for account in sys.argv[3:]:
    address, other = account.split("=", 1)
    state.set_code(code_bytes(address), code_bytes(other))
message = Message(gas=gas, to=CONTRACT, sender=CALLER, value=0, data=b"", code=code)
tx = BaseTransactionContext(gas_price=0, origin=CALLER)
started = time.perf_counter()
computation = state.computation_class.apply_message(state, message, tx)
seconds = time.perf_counter() - started
print(json.dumps({"gasUsed": gas - computation.get_gas_remaining(), "seconds": seconds, "error": str(computation.error) if computation.is_error else None}))
