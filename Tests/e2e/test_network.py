"""Several real `ankr node` processes on loopback: convergence, gossip, late sync, crash recovery."""
import os
import tempfile
import time

import pytest
from eth_account import Account
from web3 import Web3

from conftest import DEV_KEY, NodeProcess, wait_for

BOB = "0x3535353535353535353535353535353535353535"


@pytest.fixture
def workdir():
    with tempfile.TemporaryDirectory(prefix="ankr-net-") as d:
        yield d


def start(workdir, name, extra=(), coinbase=None):
    path = os.path.join(workdir, name)
    os.makedirs(path, exist_ok=True)
    return NodeProcess(path, extra, coinbase).start()


def coinbase(i):
    return Web3.to_checksum_address("0x" + f"{i:02x}" * 20)


def test_four_producers_converge_and_share_a_transaction(workdir):
    a = start(workdir, "a", ["--dev.period", "1"], coinbase(1))
    nodes = [a] + [start(workdir, n, ["--dev.period", "1", "--bootnodes", a.enode], coinbase(i + 2)) for i, n in enumerate("bcd")]
    try:
        w3s = [n.web3() for n in nodes]
        wait_for(lambda: all(w.net.peer_count >= 1 for w in w3s), 30, "every node to have a peer")
        wait_for(lambda: min(w.eth.block_number for w in w3s) >= 6, 60, "six blocks everywhere")

        def agree():
            n = min(w.eth.block_number for w in w3s) - 2
            return len({w.eth.get_block(n)["hash"] for w in w3s}) == 1
        wait_for(agree, 60, "all four nodes to agree on a common chain")

        tx = {"to": BOB, "value": 12345, "gas": 21000, "nonce": 0, "chainId": 7331, "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
        h = w3s[2].eth.send_raw_transaction(Account.sign_transaction(tx, DEV_KEY).raw_transaction)
        receipt = w3s[2].eth.wait_for_transaction_receipt(h, timeout=60)

        def everywhere():
            receipts = [w.eth.get_transaction_receipt(h) for w in w3s]
            return len({r["blockHash"] for r in receipts}) == 1 and all(w.eth.get_balance(BOB) == 12345 for w in w3s)
        wait_for(everywhere, 60, "the transaction in the same block on every node")
        assert receipt["status"] == 1
        peers = w3s[0].provider.make_request("ankr_peers", [])["result"]
        assert len(peers) >= 1 and all(p["id"].startswith("0x") for p in peers)
    finally:
        for n in nodes:
            n.stop()


def test_late_joiner_syncs_over_1000_blocks_and_survives_sigkill(workdir):
    a = start(workdir, "a", ["--dev.period", "0.005"], coinbase(1))
    try:
        wa = a.web3()
        wait_for(lambda: wa.eth.block_number >= 1100, 240, "node A to reach 1,100 blocks")
        b = start(workdir, "b", ["--bootnodes", a.enode], coinbase(2))
        wb = b.web3()
        # Kill B in the middle of its sync, then restart it on the same datadir.
        wait_for(lambda: wb.eth.block_number >= 200, 120, "node B to start syncing")
        b.kill()
        b = NodeProcess(b.datadir, ["--bootnodes", a.enode], coinbase(2)).start()
        wb = b.web3()
        try:
            target = 1100
            wait_for(lambda: wb.eth.block_number >= target, 240, "node B to sync past block 1,100")
            assert wb.eth.get_block(target)["hash"] == wa.eth.get_block(target)["hash"]
        finally:
            b.stop()
    finally:
        a.stop()


def test_devnet_starts_a_network_and_stops_it_cleanly(workdir):
    import re
    import signal
    import subprocess
    from conftest import ANKR
    proc = subprocess.Popen([ANKR, "devnet", "--nodes", "3", "--dir", workdir, "--http.port", "0", "--period", "0.5", "--status", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        urls = []
        deadline = time.time() + 60
        while len(urls) < 3 and time.time() < deadline:
            line = proc.stdout.readline()
            m = re.search(r"^node\d+\s+(http://127\.0\.0\.1:\d+)", line or "")
            if m:
                urls.append(m.group(1))
        assert len(urls) == 3
        w3s = [Web3(Web3.HTTPProvider(u)) for u in urls]
        wait_for(lambda: all(w.net.peer_count == 2 for w in w3s), 30, "a fully connected devnet")
        wait_for(lambda: min(w.eth.block_number for w in w3s) >= 3, 30, "blocks on every node")
        assert w3s[1].eth.get_balance("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F") > 0
        # The devnet mines Proof of Useful Work: every block carries a decoded seal.
        block = w3s[0].provider.make_request("eth_getBlockByNumber", ["0x2", False])["result"]
        seal = block["seal"]
        assert seal["evidence"] in ("simulated", None) and seal["enclave"].startswith("0x") and seal["win"] is True and int(seal["fuel"], 16) > 0
        assert w3s[0].provider.make_request("ankr_getSeal", [block["hash"]])["result"]["templateHash"] == seal["templateHash"]
        difficulty = w3s[2].provider.make_request("ankr_difficulty", [])["result"]
        assert int(difficulty["current"], 16) > 0 and int(difficulty["next"], 16) > 0
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    # Every node process is gone: its RPC port no longer answers.
    for u in urls:
        with pytest.raises(Exception):
            Web3(Web3.HTTPProvider(u, request_kwargs={"timeout": 2})).eth.block_number


KEYS = ["0x" + c * 64 for c in "123"]
ADDRS = [Account.from_key(k).address for k in KEYS]
CAROL = "0x5656565656565656565656565656565656565656"


def init_node(workdir, name, genesis_path, extra, cb):
    import subprocess
    from conftest import ANKR
    path = os.path.join(workdir, name)
    subprocess.run([ANKR, "init", "--genesis", genesis_path, "--datadir", path], check=True, capture_output=True)
    return NodeProcess(path, extra, cb).start()


def test_partition_heals_to_the_heaviest_chain_without_double_spends(workdir):
    import json
    genesis = {"config": {"chainId": 7331}, "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1",
               "alloc": {a: {"balance": hex(10**22)} for a in ADDRS}}
    gpath = os.path.join(workdir, "genesis.json")
    with open(gpath, "w") as f:
        json.dump(genesis, f)
    # Side 1 (A, B) produces faster than side 2 (C, D), so it ends up heavier.
    a = init_node(workdir, "a", gpath, ["--dev.period", "0.3"], coinbase(1))
    # B heals the partition with ankr_addPeer, an admin method.
    b = init_node(workdir, "b", gpath, ["--dev.period", "0.3", "--bootnodes", a.enode, "--http.api", "eth,net,web3,ankr,admin"], coinbase(2))
    c = init_node(workdir, "c", gpath, ["--dev.period", "1.5"], coinbase(3))
    d = init_node(workdir, "d", gpath, ["--dev.period", "1.5", "--bootnodes", c.enode], coinbase(4))
    nodes = [a, b, c, d]
    try:
        wa, wb, wc, wd = [n.web3() for n in nodes]
        wait_for(lambda: wa.net.peer_count == 1 and wc.net.peer_count == 1, 30, "two connected pairs")

        def send(w, key, nonce, to, value):
            tx = {"to": to, "value": value, "gas": 21000, "nonce": nonce, "chainId": 7331, "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9}
            return w.eth.send_raw_transaction(Account.sign_transaction(tx, key).raw_transaction)

        # A double spend of key 0's nonce 0, one version on each side, and one honest transfer per side.
        spend1 = send(wa, KEYS[0], 0, BOB, 111)
        spend2 = send(wc, KEYS[0], 0, CAROL, 222)
        only1 = send(wb, KEYS[1], 0, BOB, 1)
        only2 = send(wd, KEYS[2], 0, CAROL, 2)
        for w, h in [(wa, spend1), (wc, spend2), (wb, only1), (wd, only2)]:
            w.eth.wait_for_transaction_receipt(h, timeout=60)
        wait_for(lambda: wa.eth.block_number >= wc.eth.block_number + 5, 60, "side 1 to pull ahead")

        # Heal the partition.
        assert wb.provider.make_request("ankr_addPeer", [d.enode])["result"] is True
        w3s = [wa, wb, wc, wd]

        def converged():
            n = min(w.eth.block_number for w in w3s) - 1
            return len({w.eth.get_block(n)["hash"] for w in w3s}) == 1
        wait_for(converged, 90, "all four nodes on one chain")
        # The heavy side's spend stands; the other never does; both honest transfers are mined.
        def settled():
            return all(w.eth.get_balance(BOB) == 111 + 1 and w.eth.get_balance(CAROL) == 2 for w in w3s)
        wait_for(settled, 90, "side 2's honest transfer to be mined again on the winning chain")
        for w in w3s:
            assert w.eth.get_transaction_count(ADDRS[0]) == 1
            assert w.eth.get_transaction_receipt(spend1)["status"] == 1
            with pytest.raises(Exception):
                w.eth.get_transaction_receipt(spend2)
    finally:
        for n in nodes:
            n.stop()
