"""A contract that emits one event per call, assembled by hand (no compiler): `Ping(uint256)` with the call data as
its data. Shared by the subscription and filter tests."""
from eth_account import Account
from eth_utils import keccak, to_checksum_address
import rlp

PING_TOPIC = "0x" + keccak(text="Ping(uint256)").hex()
# Runtime: copy the call data to memory, LOG1 it under PING_TOPIC, stop.
RUNTIME = (bytes.fromhex("3660006000377f") + bytes.fromhex(PING_TOPIC[2:]) + bytes.fromhex("366000a100"))
# Init code: CODECOPY the runtime (after these 12 bytes) to memory 0 and RETURN it.
INITCODE = bytes([0x60, len(RUNTIME), 0x60, 12, 0x60, 0, 0x39, 0x60, len(RUNTIME), 0x60, 0, 0xF3]) + RUNTIME
ABI = [{"type": "event", "name": "Ping", "anonymous": False,
        "inputs": [{"name": "value", "type": "uint256", "indexed": False}]}]


def created_address(sender, nonce):
    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(sender[2:]), nonce]))[12:])


def signed(key, nonce, to=None, data=b"", chain_id=7331, gas=100_000):
    tx = {"value": 0, "gas": gas, "nonce": nonce, "chainId": chain_id, "maxFeePerGas": 10**11,
          "maxPriorityFeePerGas": 10**9, "data": data}
    if to:
        tx["to"] = to
    return Account.sign_transaction(tx, key).raw_transaction


def deploy(key, nonce, **kw):
    """(raw transaction, address) of a Ping contract deployed by `key` at `nonce`."""
    return signed(key, nonce, data=INITCODE, **kw), created_address(Account.from_key(key).address, nonce)


def ping(key, nonce, address, value, **kw):
    return signed(key, nonce, to=address, data=value.to_bytes(32, "big"), **kw)
