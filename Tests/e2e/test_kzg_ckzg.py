"""Issue 23: the KZG point evaluation precompile (0x0a) against C-KZG-4844 (PyPI `ckzg`), through a dev node's
eth_call. Proofs are made by ckzg from seeded random blobs; each input is also spoiled the ways a hostile caller
would (flipped bytes, a wrong y, non-canonical scalars, x ≥ p, points off the curve or outside the subgroup, bad
flags, wrong lengths) and the precompile must succeed exactly when ckzg.verify_kzg_proof says True.

kzg_trusted_setup.txt beside this file is c-kzg-4844's src/trusted_setup.txt (the official ceremony's output); ckzg
loads it, and the points the node has compiled in (Sources/AnkrEVM/Resources/kzg-trusted-setup.txt) must be its
lines."""
import hashlib
import json
import os
import random
import urllib.request

import ckzg
import pytest

from conftest import ROOT

HERE = os.path.dirname(os.path.abspath(__file__))
SETUP_FILE = os.path.join(HERE, "kzg_trusted_setup.txt")
EMBEDDED = os.path.join(ROOT, "Sources", "AnkrEVM", "Resources", "kzg-trusted-setup.txt")
PRECOMPILE = "0x" + "00" * 19 + "0a"
BLS_MODULUS = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001
P = 0x1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB
SUCCESS_OUTPUT = "0x" + (4096).to_bytes(32, "big").hex() + BLS_MODULUS.to_bytes(32, "big").hex()


@pytest.fixture(scope="module")
def setup():
    return ckzg.load_trusted_setup(SETUP_FILE, 0)


def rpc(url, method, params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def versioned_hash(commitment):
    return b"\x01" + hashlib.sha256(commitment).digest()[1:]


def precompile_input(commitment, z, y, proof):
    return versioned_hash(commitment) + z + y + commitment + proof


def ours(url, data):
    """True when the precompile succeeded (and returned the EIP-4844 constants), False when the call failed."""
    answer = rpc(url, "eth_call", [{"to": PRECOMPILE, "data": "0x" + data.hex(), "gas": hex(100_000)}, "latest"])
    if "error" in answer:
        return False
    assert answer["result"] == SUCCESS_OUTPUT, answer
    return True


def theirs(setup, commitment, z, y, proof):
    try:
        return ckzg.verify_kzg_proof(commitment, z, y, proof, setup)
    except Exception:  # ckzg raises on malformed input; the precompile must fail on it
        return False


def random_blob(rng):
    return b"".join((rng.randrange(BLS_MODULUS)).to_bytes(32, "big") for _ in range(4096))


def g1_with_x(x, sign=False):
    return bytes([0x80 | (0x20 if sign else 0) | (x >> 376)]) + (x % (1 << 376)).to_bytes(47, "big")


def test_embedded_setup_points_are_lines_of_the_ceremony_file(setup):
    lines = open(SETUP_FILE).read().split("\n")
    assert lines[0] == "4096" and lines[1] == "65"
    points = dict(line.split(" ") for line in open(EMBEDDED).read().split("\n") if line and not line.startswith("#"))
    # The file: counts, 4096 Lagrange G1 points, 65 monomial G2 points, 4096 monomial G1 points.
    assert points == {"g1": lines[2 + 4096 + 65], "g2": lines[2 + 4096], "s_g2": lines[2 + 4096 + 1]}


def test_precompile_agrees_with_ckzg_on_valid_and_spoiled_proofs(node, setup):
    rng = random.Random(4844)
    cases = []  # (label, commitment, z, y, proof)
    for i in range(4):
        blob = random_blob(rng)
        commitment = ckzg.blob_to_kzg_commitment(blob, setup)
        z = rng.randrange(BLS_MODULUS).to_bytes(32, "big")
        proof, y = ckzg.compute_kzg_proof(blob, z, setup)
        cases.append((f"valid {i}", commitment, z, y, proof))
        wrong_y = ((int.from_bytes(y, "big") + 1) % BLS_MODULUS).to_bytes(32, "big")
        cases.append((f"wrong y {i}", commitment, z, wrong_y, proof))
        for part in ("commitment", "proof"):
            for _ in range(2):
                spoiled = bytearray(commitment if part == "commitment" else proof)
                spoiled[rng.randrange(48)] ^= 1 << rng.randrange(8)
                c, pr = (bytes(spoiled), proof) if part == "commitment" else (commitment, bytes(spoiled))
                cases.append((f"flipped {part} {i}", c, z, y, pr))
        # z and y at or above the modulus, where they fit 32 bytes, are non-canonical.
        z_int = int.from_bytes(z, "big")
        if z_int + BLS_MODULUS < 1 << 256:
            cases.append((f"z + r {i}", commitment, (z_int + BLS_MODULUS).to_bytes(32, "big"), y, proof))
        cases.append((f"y = r {i}", commitment, z, BLS_MODULUS.to_bytes(32, "big"), proof))
        cases.append((f"swapped {i}", proof, z, y, commitment))
    valid = cases[0]
    hostile_points = {
        "x = p": g1_with_x(P),
        "off the curve": g1_with_x(1),
        "outside the subgroup": g1_with_x(4),
        "uncompressed flag": bytes([0x00]) + valid[1][1:],
        "infinity with a sign": bytes([0xE0]) + bytes(47),
        "infinity with bits": bytes([0xC0]) + bytes(46) + b"\x01",
        "infinity": bytes([0xC0]) + bytes(47),
    }
    for label, point in hostile_points.items():
        cases.append((f"commitment {label}", point, valid[2], valid[3], valid[4]))
        cases.append((f"proof {label}", valid[1], valid[2], valid[3], point))

    disagreements = []
    seen = {True: 0, False: 0}
    for label, commitment, z, y, proof in cases:
        expected = theirs(setup, commitment, z, y, proof)
        seen[expected] += 1
        if ours(node.url, precompile_input(commitment, z, y, proof)) != expected:
            disagreements.append((label, expected))
    assert disagreements == []
    assert seen[True] >= 4 and seen[False] >= 30


def test_versioned_hash_and_length_are_checked(node, setup):
    rng = random.Random(23)
    blob = random_blob(rng)
    commitment = ckzg.blob_to_kzg_commitment(blob, setup)
    z = rng.randrange(BLS_MODULUS).to_bytes(32, "big")
    proof, y = ckzg.compute_kzg_proof(blob, z, setup)
    good = precompile_input(commitment, z, y, proof)
    assert ours(node.url, good)
    assert not ours(node.url, b"\x02" + good[1:])  # version byte
    assert not ours(node.url, good[:31] + bytes([good[31] ^ 1]) + good[32:])
    assert not ours(node.url, good[:-1])
    assert not ours(node.url, good + b"\x00")
    assert not ours(node.url, b"")
    assert not ours(node.url, bytes(64 * 1024))
    # One gas short of the 50,000 the precompile costs, after the transaction's intrinsic gas.
    intrinsic = 21_000 + sum(4 if b == 0 else 16 for b in good)
    for gas, succeeds in ((intrinsic + 49_999, False), (intrinsic + 50_000, True)):
        answer = rpc(node.url, "eth_call", [{"to": PRECOMPILE, "data": "0x" + good.hex(), "gas": hex(gas)}, "latest"])
        assert ("error" not in answer) == succeeds, (gas, answer)

