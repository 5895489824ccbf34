#!/usr/bin/env python3
"""Runs bytecode in revm (PyPI pyrevm 0.3.7, revm 8, Cancun) for `ankr-bench evm --revm <python>`.

A long-lived worker, so the benchmark can interleave revm's runs with Ankr's: each line on stdin is one run,
{"gas": …, "code": "0x…", "accounts": {"0x<address>": "0x<code>", …}}; each answer on stdout is one line,
{"gasUsed": …, "seconds": …, "error": null or why}. A run is one message call from 0x…cafe to 0x…c0de (which
holds "code"; "accounts" are further contracts) in a fresh EVM, gas price 0; only `message_call` is timed.
gasUsed is revm's transaction gas (intrinsic 21,000 included): the benchmark subtracts an empty run's gas and
time (code 0x00) measured the same way."""
import json
import sys
import time

from pyrevm import EVM, AccountInfo, BlockEnv, CfgEnv, Env, TxEnv

CALLER = "0x000000000000000000000000000000000000cafe"
CONTRACT = "0x000000000000000000000000000000000000c0de"


def code_bytes(text):
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


def run(request):
    gas = int(request["gas"])
    block = BlockEnv(number=1, coinbase="0x" + "00" * 20, timestamp=1, basefee=0, gas_limit=gas)
    evm = EVM(env=Env(cfg=CfgEnv(chain_id=7331), block=block, tx=TxEnv()), gas_limit=gas, spec_id="Cancun")
    evm.insert_account_info(CALLER, AccountInfo(balance=0, nonce=1))
    evm.insert_account_info(CONTRACT, AccountInfo(code=code_bytes(request["code"])))
    for address, code in request.get("accounts", {}).items():
        evm.insert_account_info(address, AccountInfo(code=code_bytes(code)))
    error = None
    started = time.perf_counter()
    try:
        evm.message_call(CALLER, CONTRACT, b"", value=0, gas=gas, gas_price=0)
    except Exception as e:  # pyrevm raises plain RuntimeError/ValueError for reverts, halts and invalid transactions
        error = str(e)[:200]
    seconds = time.perf_counter() - started
    result = evm.result
    return {"gasUsed": result.gas_used if result is not None else None, "seconds": seconds, "error": error}


for line in sys.stdin:
    if line.strip():
        print(json.dumps(run(json.loads(line))), flush=True)
