"""`ankr plasma util` against an independent Python implementation of the Plasma MVP conventions
(DESIGN.md §5): pyrlp for the encoding, eth-keys for signatures over the raw hash, eth-hash for keccak."""
import json

import rlp
from eth_hash.auto import keccak
from eth_keys import keys

from conftest import ankr

ALICE = keys.PrivateKey(bytes.fromhex("a1" * 32))
BOB = keys.PrivateKey(bytes.fromhex("b2" * 32))
ZERO_ADDRESS = b"\x00" * 20
NULL_SIG = b"\x00" * 65


def sign(key, digest):
    s = key.sign_msg_hash(digest)
    return s.r.to_bytes(32, "big") + s.s.to_bytes(32, "big") + bytes([s.v + 27])


def util(*args):
    return json.loads(ankr("plasma", "util", *args).stdout)


def merkle(leaves, depth=16):
    """Root and per-leaf proofs of the fixed-depth tree: zero-word leaves, keccak(left ‖ right)."""
    level = list(leaves)
    zero = b"\x00" * 32
    levels = [level]
    for _ in range(depth):
        nxt = []
        for i in range(0, max(len(level), 1), 2):
            left = level[i] if i < len(level) else zero
            right = level[i + 1] if i + 1 < len(level) else zero
            nxt.append(keccak(left + right))
        levels.append(nxt)
        level = nxt
        zero = keccak(zero + zero)
    return levels


def proof(levels, index, depth=16):
    zero, out = b"\x00" * 32, b""
    for k in range(depth):
        sibling = index ^ 1
        out += levels[k][sibling] if sibling < len(levels[k]) else zero
        zero = keccak(zero + zero)
        index >>= 1
    return out


def test_transaction_encoding_signatures_and_leaf_match_an_independent_implementation():
    tx = {"inputs": [{"blknum": 1000, "txindex": 3, "oindex": 1}, {"blknum": 2000, "txindex": 0, "oindex": 0}],
          "outputs": [{"owner": "0x" + BOB.public_key.to_canonical_address().hex(), "amount": "700000000000000000"},
                      {"owner": "0x" + ALICE.public_key.to_canonical_address().hex(), "amount": "0x10"}],
          "fee": 5}
    out = util("tx-encode", json.dumps(tx), "--key", "0x" + "a1" * 32, "--key", "0x" + "b2" * 32)
    unsigned = [1000, 3, 1, 2000, 0, 0, BOB.public_key.to_canonical_address(), 700000000000000000,
                ALICE.public_key.to_canonical_address(), 16, 5]
    assert out["unsigned"] == "0x" + rlp.encode(unsigned).hex()
    tx_hash = keccak(rlp.encode(unsigned))
    assert out["hash"] == "0x" + tx_hash.hex()
    sig1, sig2 = sign(ALICE, tx_hash), sign(BOB, tx_hash)
    assert out["signatures"] == ["0x" + sig1.hex(), "0x" + sig2.hex()]
    signed = unsigned[0:3] + [sig1] + unsigned[3:6] + [sig2] + unsigned[6:]
    assert out["signed"] == "0x" + rlp.encode(signed).hex()
    assert out["leaf"] == "0x" + keccak(tx_hash + sig1 + sig2).hex()

    # A single-input spend: zeroed second input and output, a null second signature in the leaf.
    single = util("tx-encode", json.dumps({"inputs": [{"blknum": 1000, "txindex": 0, "oindex": 0}],
                                           "outputs": [{"owner": "0x" + "35" * 20, "amount": 100}]}), "--key", "0x" + "a1" * 32)
    fields = [1000, 0, 0, 0, 0, 0, bytes.fromhex("35" * 20), 100, ZERO_ADDRESS, 0, 0]
    h = keccak(rlp.encode(fields))
    assert single["hash"] == "0x" + h.hex()
    assert single["leaf"] == "0x" + keccak(h + sign(ALICE, h) + NULL_SIG).hex()


def test_merkle_root_proofs_and_confirm_signatures_match():
    leaves = [keccak(bytes([i])) for i in range(5)]
    hexes = ["0x" + l.hex() for l in leaves]
    levels = merkle(leaves)
    root = levels[16][0]
    assert util("merkle-root", *hexes)["root"] == "0x" + root.hex()
    assert util("merkle-root")["root"] == "0x" + merkle([])[16][0].hex()
    for i in (0, 3, 4):
        p = util("proof", str(i), *hexes)
        assert p["proof"] == "0x" + proof(levels, i).hex() and len(p["proof"]) == 2 + 1024
        assert util("verify-proof", hexes[i], str(i), p["proof"], "0x" + root.hex()) == {"valid": True}
    bad = ankr("plasma", "util", "verify-proof", hexes[1], "0", util("proof", "0", *hexes)["proof"], "0x" + root.hex(), check=False)
    assert bad.returncode == 1 and json.loads(bad.stdout) == {"valid": False}

    tx_hash = keccak(b"some transaction")
    confirm = util("confirm-sig", "0x" + tx_hash.hex(), "0x" + root.hex(), "--key", "0x" + "a1" * 32)
    assert confirm["signature"] == "0x" + sign(ALICE, keccak(tx_hash + root)).hex()


def test_bad_input_is_one_line_on_stderr():
    for args, expected in [(["tx-encode", "{"], "is not valid JSON"),
                           (["tx-encode", '{"inputs":[{"blknum":1,"oindex":2}]}'], "out of range"),
                           (["tx-encode", '{"outputs":[{"amount":5}]}'], "needs an owner"),
                           (["tx-encode", '{"inputs":[{"blknum":1}],"outputs":[]}', "--key", "0x" + "a1" * 32, "--key", "0x" + "b2" * 32],
                            "one --key per input"),
                           (["tx-encode", '{"colour":"red"}'], "unknown transaction fields: colour"),
                           (["merkle-root", "0x1234"], "must be 32 bytes"),
                           (["proof", "7", "0x" + "11" * 32], "not one of the 1 leaves")]:
        r = ankr("plasma", "util", *args, check=False)
        assert r.returncode == 1 and expected in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)


def test_wallet_commands_deposit_exit_finalize_withdraw_to_the_wei(tmp_path):
    """`ankr plasma create|deposit|exit-deposit|finalize|withdraw|status` against a real node whose
    genesis sets a 2-second challenge period: the money comes back exactly, minus gas and the stake."""
    import re
    import time
    from web3 import Web3
    from conftest import DEV_ADDRESS, DEV_KEY, NodeProcess, wait_for
    genesis = tmp_path / "genesis.json"
    genesis.write_text(json.dumps({
        "config": {"chainId": 7331, "ankr": {"blockTimeSeconds": 1,
                                             "plasma": {"challengePeriodSeconds": 2, "exitAgeCapSeconds": 4, "exitBond": "1000000000000000"}}},
        "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1",
        "alloc": {DEV_ADDRESS: {"balance": str(100 * 10**18)}}}))
    datadir = tmp_path / "chain"
    ankr("init", "--genesis", str(genesis), "--datadir", str(datadir))
    node = NodeProcess(str(datadir), ["--no-p2p"]).start()
    try:
        w3 = Web3(Web3.HTTPProvider(node.url))
        signer = ["--private-key", DEV_KEY, "--rpc", node.url]
        start = w3.eth.get_balance(DEV_ADDRESS)
        hashes = []

        def run(*args):
            out = ankr("plasma", *args, *signer).stdout
            hashes.append(re.search(r"\((0x[0-9a-f]{64})\)", out).group(1))
            return out

        assert "child chain 1 root 0x00000000000000000000000000000000000b0001" in run("create", "--stake", "1ankr").replace("B0001", "b0001")
        assert "deposit block 1, output 1:0:0" in run("deposit", "--chain", "1", "--value", "2ankr")
        wrong = ankr("plasma", "exit-deposit", "--chain", "1", "--block", "1", "--amount", "3ankr", *signer, check=False)
        assert wrong.returncode == 1 and "is not a deposit of 3ankr" in wrong.stderr
        assert "exit of 1:0:0 started with a bond of 0.001 ANKR" in run("exit-deposit", "--chain", "1", "--block", "1", "--amount", "2ankr")
        status = json.loads(ankr("plasma", "status", "--chain", "1", "--rpc", node.url).stdout)
        # Human output: counts and times as numbers, wei in decimal.
        assert status["queuedExits"] == 1 and status["exits"][0]["owner"] == DEV_ADDRESS and status["exits"][0]["amount"] == str(2 * 10**18)
        assert status["stake"] == str(10**18) and status["id"] == 1
        nothing = ankr("plasma", "withdraw", "--chain", "1", *signer, check=False)
        assert nothing.returncode == 1 and "owes" in nothing.stderr
        # Dev blocks sealed within one second are stamped a second apart, so wait on the chain's clock.
        matures = status["exits"][0]["exitableAt"]
        wait_for(lambda: time.time() > matures + 1, 30, "the exit to mature")
        assert "1 exit(s) finalized" in run("finalize", "--chain", "1")
        assert "withdrew 2.001 ANKR" in run("withdraw", "--chain", "1")
        gas = sum(r.gasUsed * r.effectiveGasPrice for r in (w3.eth.get_transaction_receipt(h) for h in hashes))
        assert w3.eth.get_balance(DEV_ADDRESS) == start - 10**18 - gas, "only the stake and the gas are spent"
        assert w3.eth.get_balance("0x00000000000000000000000000000000000B0001") == 10**18
    finally:
        node.stop()
