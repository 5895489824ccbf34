"""`--confirmations`: a command reports a transaction only once its block is deep enough on the chain
that wins, following it across a real reorganisation (two `--dev` nodes mining apart, then joined)."""
import os
import re
import subprocess
import tempfile
import threading

import pytest
from web3 import Web3

from conftest import ANKR, DEV_ADDRESS, DEV_KEY, NodeProcess, ankr, wait_for

BOB = "0x3535353535353535353535353535353535353535"


@pytest.fixture
def workdir():
    with tempfile.TemporaryDirectory(prefix="ankr-confirm-") as d:
        yield d


def start(workdir, name, extra, coinbase):
    path = os.path.join(workdir, name)
    os.makedirs(path, exist_ok=True)
    return NodeProcess(path, extra, coinbase).start()


def test_a_transfer_orphaned_on_the_lighter_branch_is_reported_in_its_block_on_the_winning_chain(workdir):
    # A mines slowly, B fast and alone: B's branch is far heavier by the time they meet.
    a = start(workdir, "a", ["--dev.period", "2.5"], "0x" + "01" * 20)
    b = start(workdir, "b", ["--dev.period", "0.3", "--http.api", "eth,net,web3,ankr,admin"], "0x" + "02" * 20)
    send = None
    try:
        wa, wb = a.web3(), b.web3()
        wait_for(lambda: wb.eth.block_number >= wa.eth.block_number + 10, 30, "B to pull ahead")
        send = subprocess.Popen([ANKR, "send", "--to", BOB, "--value", "1", "--private-key", DEV_KEY, "--rpc", a.url,
                                 "--confirmations", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        progress = []
        reader = threading.Thread(target=lambda: progress.extend(iter(send.stderr.readline, "")), daemon=True)
        reader.start()
        # Mined on A's branch only (B has never seen it), and the command has seen it there.
        wait_for(lambda: progress, 20, "the command to see the transfer mined on A", interval=0.05)
        first = wa.eth.get_block(wa.eth.get_transaction_receipt(progress[0].split()[5])["blockNumber"])
        (tx,) = [h.to_0x_hex() for h in first["transactions"]]
        assert send.poll() is None, "reported after one block of five"

        # Join them: A reorganises to B's heavier branch, which does not hold the transfer.
        assert wb.provider.make_request("ankr_addPeer", [a.enode])["result"] is True
        send.wait(timeout=60)
        out = send.stdout.read()
        reader.join(timeout=5)
        err = "".join(progress)
        assert send.returncode == 0, err
        lines = out.splitlines()
        assert lines[0] == tx
        m = re.fullmatch(r"succeeded in block (\d+) \((0x[0-9a-f]{64})\)", lines[1])
        assert m, out
        number, block_hash = int(m.group(1)), m.group(2)
        assert f"waiting for 5 confirmations of {tx} (block {first['number']})" in err
        assert f"block {first['number']} holding {tx} was orphaned; following the transaction" in err
        assert block_hash != first["hash"].to_0x_hex(), "reported in the orphaned block"
        # The block it names is B's (the winner's) block at that height, holds the transfer, and is 5 deep there.
        winner = wb.eth.get_block(number)
        assert winner["hash"].to_0x_hex() == block_hash
        assert tx in [h.to_0x_hex() for h in winner["transactions"]]
        assert wb.eth.block_number >= number + 4
        assert wb.eth.get_transaction_receipt(tx)["blockHash"].to_0x_hex() == block_hash
        assert wb.eth.get_balance(BOB) == 1

        # B now has a peer: without --confirmations a command waits for 3 (the default off a lone dev node).
        again = ankr("send", "--to", BOB, "--value", "1", "--private-key", DEV_KEY, "--rpc", b.url, "--wait")
        assert "waiting for 3 confirmations of " + again.stdout.split()[0] in again.stderr, again.stderr
    finally:
        if send and send.poll() is None:
            send.kill()
            send.wait()
        a.stop()
        b.stop()


def test_a_lone_dev_node_needs_one_confirmation_and_says_nothing_while_waiting(node):
    r = ankr("send", "--to", BOB, "--value", "1", "--private-key", DEV_KEY, "--rpc", node.url, "--wait")
    tx, line = r.stdout.splitlines()
    m = re.fullmatch(r"succeeded in block (\d+) \((0x[0-9a-f]{64})\)", line)
    assert m, r.stdout
    assert node.web3().eth.get_block(int(m.group(1)))["hash"].to_0x_hex() == m.group(2)
    assert "waiting for" not in r.stderr


@pytest.mark.parametrize("value", ["0", "-1", "1001", "99999999999999999999999", "two", ""])
def test_a_confirmation_count_out_of_range_is_refused_before_anything_is_sent(node, value):
    w3 = node.web3()
    for command in (["send", "--to", BOB, "--value", "1", "--private-key", DEV_KEY],
                    ["work", "post", "--module", "missing.wasm", "--inputs", "missing", "--price", "1", "--private-key", DEV_KEY],
                    ["plasma", "create", "--stake", "1ankr", "--private-key", DEV_KEY]):
        r = ankr(*command, "--rpc", node.url, "--confirmations", value, check=False)
        assert r.returncode == 64, (command, r.stdout, r.stderr)
        assert "--confirmations" in r.stderr, r.stderr
    assert w3.eth.get_transaction_count(DEV_ADDRESS) == 0
