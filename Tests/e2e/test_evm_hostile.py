"""Hostile bytecode against the real binary (a debug build): the 12 bytes that crashed `ankr evm run`
and every node that ran them, and a contract that calls itself to the EVM's 1,024-frame depth limit
through eth_call and in a mined block (the interpreter recursed on the RPC and block threads' stacks)."""
import json

from eth_account import Account

from conftest import DEV_ADDRESS, DEV_KEY, NodeProcess, ankr

# Calls itself with all its gas, then returns 1 + what the callee returned (a failed call returns
# nothing, so the frame at depth 1,024, whose call is refused, returns 1). The outermost frame
# (CALLER == ORIGIN) also stores the count in slot 0.
RUNTIME = bytes.fromhex(
    "6020" "6000" "6000" "6000" "6000" "30" "5a" "f1" "50"   # CALL(gas, self, 0, 0, 0, 0, 32); pop status
    "6000" "51" "6001" "01" "80" "6000" "52"                # v = mem[0] + 1; mem[0] = v
    "32" "33" "14" "6024" "57"                              # if CALLER == ORIGIN jump to the store
    "50" "6020" "6000" "f3"                                 # return mem[0..32]
    "5b" "6000" "55" "6020" "6000" "f3")                    # slot 0 = v; return mem[0..32]
INITCODE = bytes([0x60, len(RUNTIME), 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, len(RUNTIME), 0x60, 0x00, 0xf3]) + RUNTIME
# The 63/64 rule leaves ~99,000 of 10^12 gas at the deepest frame: enough for it to return.
GAS = 10**12


def test_the_twelve_byte_crash_is_out_of_gas():
    # PUSH8 2^64-1, PUSH1 0, KECCAK256: the word count of the size overflowed 64 bits and trapped.
    out = ankr("evm", "run", "--code", "0x67ffffffffffffffff600020", "--gas", "100000")
    result = json.loads(out.stdout)
    assert result["status"] == "failure: out of gas"
    assert result["gasUsed"] == 100000


def test_self_call_reaches_the_depth_limit_in_eth_call_and_in_a_block(tmp_path):
    genesis = tmp_path / "genesis.json"
    genesis.write_text(json.dumps({
        "config": {"chainId": 7331}, "gasLimit": hex(4 * GAS), "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1",
        "alloc": {DEV_ADDRESS: {"balance": str(10**24)}}}))
    datadir = tmp_path / "chain"
    ankr("init", "--genesis", str(genesis), "--datadir", str(datadir))
    node = NodeProcess(str(datadir), ["--no-p2p"]).start()
    try:
        w3 = node.web3()
        dev = Account.from_key(DEV_KEY)

        def send(tx):
            tx = {"chainId": 7331, "nonce": w3.eth.get_transaction_count(dev.address, "pending"), "maxFeePerGas": 2 * 10**9,
                  "maxPriorityFeePerGas": 1, **tx}
            h = w3.eth.send_raw_transaction(dev.sign_transaction(tx).raw_transaction)
            return w3.eth.wait_for_transaction_receipt(h, timeout=60)

        created = send({"data": "0x" + INITCODE.hex(), "gas": 200_000})
        assert created.status == 1
        contract = created.contractAddress
        assert bytes(w3.eth.get_code(contract)) == RUNTIME

        # eth_call: every one of the 1,025 frames (depths 0…1,024) counted.
        answer = w3.eth.call({"from": dev.address, "to": contract, "gas": GAS})
        assert int.from_bytes(answer, "big") == 1025
        assert w3.eth.block_number >= 1, "the node still serves after the deep call"

        # A mined transaction: the block is produced and imported, the count stored.
        receipt = send({"to": contract, "gas": GAS})
        assert receipt.status == 1
        assert int.from_bytes(w3.eth.get_storage_at(contract, 0), "big") == 1025
        assert node.proc.poll() is None, "the node is alive"
    finally:
        node.stop()
