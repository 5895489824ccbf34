"""A child chain run by real processes: a main-chain node, `ankr plasma operator`, wallets
(`ankr plasma send|balance|utxos|exit|challenge`) and `ankr plasma watch` — the honest story to the
wei, an operator that withholds a block, and one that includes a double spend."""
import json
import os
import re
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import rlp
from eth_account import Account
from eth_hash.auto import keccak
from eth_keys import keys
from web3 import Web3

from conftest import ANKR, DEV_ADDRESS, DEV_KEY, NodeProcess, ankr, wait_for
from test_plasma_util import merkle, proof, sign

ETHER = 10**18
BOND = 10**15
KEYS = {name: "0x" + byte * 32 for name, byte in [("op", "0e"), ("alice", "a1"), ("bob", "b2"), ("carol", "c3"), ("op2", "0f")]}
ADDR = {name: Account.from_key(k).address for name, k in KEYS.items()}
ROOT1 = "0x00000000000000000000000000000000000B0001"


def main_chain(tmp_path, challenge=3):
    genesis = tmp_path / "genesis.json"
    alloc = {DEV_ADDRESS: {"balance": str(100 * ETHER)}}
    alloc.update({a: {"balance": str(100 * ETHER)} for a in ADDR.values()})
    genesis.write_text(json.dumps({
        "config": {"chainId": 7331, "ankr": {"blockTimeSeconds": 1, "plasma": {"challengePeriodSeconds": challenge, "exitAgeCapSeconds": 2 * challenge,
                                                                              "exitBond": str(BOND)}}},
        "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1", "alloc": alloc}))
    datadir = tmp_path / "chain"
    ankr("init", "--genesis", str(genesis), "--datadir", str(datadir))
    node = NodeProcess(str(datadir), ["--no-p2p"]).start()
    return node, node.web3()


class Daemon:
    """An `ankr plasma operator|watch` process; stdout lines are collected in a thread."""

    def __init__(self, args, log):
        self.log = open(log, "ab")
        self.proc = subprocess.Popen([ANKR, "plasma", *args], stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.strip())

    def events(self, kind):
        out = []
        for line in list(self.lines):
            if line.startswith("{"):
                e = json.loads(line)
                if e.get("event") == kind:
                    out.append(e)
        return out

    def url(self):
        wait_for(lambda: any("listening on" in l for l in self.lines), 30, "the operator to listen")
        port = next(re.search(r"127\.0\.0\.1:(\d+)", l).group(1) for l in self.lines if "listening on" in l)
        return f"http://127.0.0.1:{port}"

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def operator(node, tmp_path, chain=1, key="op"):
    d = Daemon(["operator", "--chain", str(chain), "--private-key", KEYS[key], "--rpc", node.url, "--http.port", "0",
                "--block-interval", "0.3", "--deposit-confirmations", "0", "--datadir", str(tmp_path / f"op{chain}")],
               tmp_path / f"operator{chain}.log")
    return d, d.url()


def plasma(*args, check=True):
    return ankr("plasma", *args, check=check)


def rpc(url, method, params):
    import urllib.request
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    with urllib.request.urlopen(urllib.request.Request(url, body, {"Content-Type": "application/json"}), timeout=10) as r:
        return json.loads(r.read())


def balance(op_url, who):
    return int(json.loads(plasma("balance", ADDR[who], "--operator", op_url).stdout)["balance"])


def send(node, op_url, chain, sender, to, value):
    out = plasma("send", "--chain", str(chain), "--to", ADDR[to], "--value", str(value), "--private-key", KEYS[sender],
                 "--operator", op_url, "--rpc", node.url)
    return json.loads(out.stdout)


def main_tx(w3, key, to, data, value=0, gas=3_000_000):
    acct = Account.from_key(key)
    tx = {"chainId": 7331, "nonce": w3.eth.get_transaction_count(acct.address, "pending"), "to": Web3.to_checksum_address(to), "value": value,
          "data": data, "gas": gas, "maxFeePerGas": 10 * 10**9, "maxPriorityFeePerGas": 10**9, "type": 2}
    h = w3.eth.send_raw_transaction(acct.sign_transaction(tx).raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(h, timeout=60)
    assert receipt.status == 1, f"main-chain transaction {h.hex()} failed"
    return receipt


def gas_of(w3, *hashes):
    return sum(r.gasUsed * r.effectiveGasPrice for r in (w3.eth.get_transaction_receipt(h) for h in hashes))


def withdrawable(w3, who):
    data = keccak(b"withdrawable(address)")[:4] + bytes(12) + bytes.fromhex(ADDR[who][2:])
    return int.from_bytes(w3.eth.call({"to": ROOT1, "data": data}), "big")


def finalize_when_mature(node, w3, exitable_at):
    wait_for(lambda: time.time() > exitable_at + 1, 30, "exits to mature")
    out = plasma("finalize", "--chain", "1", "--private-key", DEV_KEY, "--rpc", node.url).stdout
    return out


def test_deposit_transfers_exit_challenge_finalize_withdraw_to_the_wei_across_two_child_chains(tmp_path):
    node, w3 = main_chain(tmp_path)
    op = op2 = None
    try:
        assert "child chain 1" in plasma("create", "--stake", "1ankr", "--private-key", KEYS["op"], "--rpc", node.url).stdout
        assert "child chain 2" in plasma("create", "--stake", "1ankr", "--private-key", KEYS["op2"], "--rpc", node.url).stdout
        # Only the chain's operator may run it.
        wrong = plasma("operator", "--chain", "1", "--private-key", KEYS["bob"], "--rpc", node.url, "--datadir", str(tmp_path / "x"), check=False)
        assert wrong.returncode == 1 and "is not the operator of child chain 1" in wrong.stderr
        op, url = operator(node, tmp_path)
        op2, url2 = operator(node, tmp_path, chain=2, key="op2")
        start = {who: w3.eth.get_balance(ADDR[who]) for who in ("alice", "bob", "carol")}

        deposit = plasma("deposit", "--chain", "1", "--value", "5ankr", "--private-key", KEYS["alice"], "--rpc", node.url).stdout
        alice_hashes = re.findall(r"\((0x[0-9a-f]{64})\)", deposit)
        plasma("deposit", "--chain", "2", "--value", "1ankr", "--private-key", KEYS["alice"], "--rpc", node.url)
        wait_for(lambda: balance(url, "alice") == 5 * ETHER, 30, "the operator to include the deposit")

        # Several transfers, one with two inputs; the sender confirms each once its block is on the main chain.
        first = send(node, url, 1, "alice", "bob", "2ankr")
        assert [o["amount"] for o in first["outputs"]] == [str(2 * ETHER), str(3 * ETHER)]
        send(node, url, 1, "bob", "carol", "1ankr")
        send(node, url, 1, "alice", "bob", "1ankr")
        two = send(node, url, 1, "bob", "carol", "1.5ankr")
        assert len(two["inputs"]) == 2
        assert (balance(url, "alice"), balance(url, "bob"), balance(url, "carol")) == (2 * ETHER, ETHER // 2, 5 * ETHER // 2)
        # The other child chain is its own ledger.
        send(node, url2, 2, "alice", "bob", "0.25ankr")
        assert (balance(url2, "alice"), balance(url2, "bob")) == (3 * ETHER // 4, ETHER // 4)
        chains = rpc(node.url, "ankr_childChains", [])["result"]
        assert [int(c["latestBlock"]["number"], 16) for c in chains] == [4000, 1000]

        # Bad input is refused with the reason, and nothing changes.
        def refused(raw):
            return rpc(url, "plasma_sendTransaction", [raw])["error"]["message"]
        assert "malformed" in refused("0xdeadbeef")
        replay = rpc(url, "plasma_getTransaction", [first["hash"]])["result"]["raw"]
        assert "already known" in refused(replay)
        carol_utxo = json.loads(plasma("utxos", ADDR["carol"], "--operator", url).stdout.splitlines()[0])
        blk, idx, out = map(int, carol_utxo["position"].split(":"))

        def encoded(outputs, key):
            tx = {"inputs": [{"blknum": blk, "txindex": idx, "oindex": out}], "outputs": outputs}
            return json.loads(plasma("util", "tx-encode", json.dumps(tx), "--key", KEYS[key]).stdout)["signed"]
        assert "not signed by the owner" in refused(encoded([{"owner": ADDR["bob"], "amount": carol_utxo["amount"]}], "bob"))
        assert "outputs plus fee" in refused(encoded([{"owner": ADDR["bob"], "amount": str(int(carol_utxo["amount"]) + 1)}], "carol"))
        spent = {"inputs": [{"blknum": 1, "txindex": 0, "oindex": 0}], "outputs": [{"owner": ADDR["alice"], "amount": str(5 * ETHER)}]}
        assert "already spent" in refused(json.loads(plasma("util", "tx-encode", json.dumps(spent), "--key", KEYS["alice"]).stdout)["signed"])
        assert balance(url, "carol") == 5 * ETHER // 2

        # The operator is killed and restarted: everything it acknowledged is still there.
        op.stop(signal.SIGKILL)
        op, url = operator(node, tmp_path)
        assert (balance(url, "alice"), balance(url, "bob"), balance(url, "carol")) == (2 * ETHER, ETHER // 2, 5 * ETHER // 2)

        # Carol and Bob exit everything; Alice tries to exit her spent deposit and Carol challenges it.
        hashes = {"bob": [], "carol": [], "alice": list(alice_hashes)}
        exitable = 0
        for who in ("carol", "bob"):
            for line in plasma("utxos", ADDR[who], "--operator", url).stdout.splitlines():
                e = json.loads(plasma("exit", "--chain", "1", "--utxo", json.loads(line)["position"], "--private-key", KEYS[who],
                                      "--operator", url, "--rpc", node.url).stdout)
                hashes[who].append(e["tx"])
                exitable = max(exitable, e["exitableAt"])
        cheat = plasma("exit-deposit", "--chain", "1", "--block", "1", "--amount", "5ankr", "--private-key", KEYS["alice"], "--rpc", node.url).stdout
        hashes["alice"] += re.findall(r"\((0x[0-9a-f]{64})\)", cheat)
        challenge = json.loads(plasma("challenge", "--chain", "1", "--utxo", "1:0:0", "--private-key", KEYS["carol"], "--operator", url,
                                      "--rpc", node.url).stdout)
        hashes["carol"].append(challenge["tx"])
        assert challenge["spentAt"] == "1000:0"
        again = plasma("challenge", "--chain", "1", "--utxo", "1:0:0", "--private-key", KEYS["carol"], "--operator", url, "--rpc", node.url, check=False)
        assert again.returncode == 1 and "no exit to challenge" in again.stderr

        finalize_when_mature(node, w3, exitable)
        assert withdrawable(w3, "carol") == 5 * ETHER // 2 + 2 * BOND + BOND, "her outputs, her two bonds back, and Alice's bond"
        assert withdrawable(w3, "bob") == ETHER // 2 + BOND
        for who in ("carol", "bob"):
            hashes[who] += re.findall(r"\((0x[0-9a-f]{64})\)", plasma("withdraw", "--chain", "1", "--private-key", KEYS[who], "--rpc", node.url).stdout)
        # To the wei: each got exactly their child-chain money, minus main-chain gas; Alice lost her cheating bond.
        assert w3.eth.get_balance(ADDR["carol"]) == start["carol"] + 5 * ETHER // 2 + BOND - gas_of(w3, *hashes["carol"])
        assert w3.eth.get_balance(ADDR["bob"]) == start["bob"] + ETHER // 2 - gas_of(w3, *hashes["bob"])
        alice_main = w3.eth.get_balance(ADDR["alice"])
        assert alice_main < start["alice"] - 6 * ETHER - BOND + 1, "5 + 1 ANKR are still in the two child chains and her bond is gone"
    finally:
        for d in (op, op2):
            if d:
                d.stop()
        node.stop()


def test_the_operator_is_paid_its_fees_and_never_the_users_money(tmp_path):
    """Transactions pay the operator a fee; `ankr plasma exit-fees` exits what its confirmed transactions paid, once; every
    user still exits all they own, and the root ends holding the stake alone: fees were wei no user could claim."""
    node, w3 = main_chain(tmp_path)
    op = None
    try:
        assert "child chain 1" in plasma("create", "--stake", "1ankr", "--private-key", KEYS["op"], "--rpc", node.url).stdout
        op, url = operator(node, tmp_path)
        plasma("deposit", "--chain", "1", "--value", "5ankr", "--private-key", KEYS["alice"], "--rpc", node.url)
        wait_for(lambda: balance(url, "alice") == 5 * ETHER, 30, "the operator to include the deposit")
        for sender, to, value, fee in (("alice", "bob", "2ankr", "0.1ankr"), ("bob", "carol", "1ankr", "0.05ankr")):
            plasma("send", "--chain", "1", "--to", ADDR[to], "--value", value, "--fee", fee, "--private-key", KEYS[sender], "--operator", url, "--rpc", node.url)
        assert (balance(url, "alice"), balance(url, "bob"), balance(url, "carol")) == (29 * ETHER // 10, 95 * ETHER // 100, ETHER)

        fees = ["exit-fees", "--chain", "1", "--operator", url, "--rpc", node.url]
        stranger = plasma(*fees, "--private-key", KEYS["bob"], check=False)
        assert stranger.returncode == 1 and "only the operator of child chain 1 exits its fees" in stranger.stderr
        op_start = w3.eth.get_balance(ADDR["op"])
        started = json.loads(plasma(*fees, "--private-key", KEYS["op"]).stdout)
        assert [(e["amount"], e["transactions"]) for e in started] == [(str(15 * ETHER // 100), 2)]
        assert json.loads(plasma(*fees, "--private-key", KEYS["op"]).stdout) == [], "each fee exits once"

        exitable = started[0]["exitableAt"]
        for who in ("alice", "bob", "carol"):
            for line in plasma("utxos", ADDR[who], "--operator", url).stdout.splitlines():
                e = json.loads(plasma("exit", "--chain", "1", "--utxo", json.loads(line)["position"], "--private-key", KEYS[who],
                                      "--operator", url, "--rpc", node.url).stdout)
                exitable = max(exitable, e["exitableAt"])
        finalize_when_mature(node, w3, exitable)
        assert withdrawable(w3, "op") == 15 * ETHER // 100 + BOND
        assert [withdrawable(w3, w) for w in ("alice", "bob", "carol")] == [29 * ETHER // 10 + BOND, 95 * ETHER // 100 + BOND, ETHER + BOND]
        withdrawn = re.findall(r"\((0x[0-9a-f]{64})\)", plasma("withdraw", "--chain", "1", "--private-key", KEYS["op"], "--rpc", node.url).stdout)
        assert w3.eth.get_balance(ADDR["op"]) == op_start + 15 * ETHER // 100 - gas_of(w3, started[0]["tx"], *withdrawn)
        for who in ("alice", "bob", "carol"):
            plasma("withdraw", "--chain", "1", "--private-key", KEYS[who], "--rpc", node.url)
        assert w3.eth.get_balance(ROOT1) == ETHER, "the stake, and not a wei of anyone's deposit"
    finally:
        if op:
            op.stop()
        node.stop()


def test_a_withheld_block_makes_every_honest_user_exit_with_all_their_funds(tmp_path):
    node, w3 = main_chain(tmp_path)
    op = watcher = None
    try:
        plasma("create", "--stake", "1ankr", "--private-key", KEYS["op"], "--rpc", node.url)
        op, url = operator(node, tmp_path)
        alice_key = tmp_path / "alice.key"
        alice_key.write_text(KEYS["alice"])
        # One watcher guards both users; it signs challenges and proofs with Bob's key.
        watcher = Daemon(["watch", "--chain", "1", "--private-key", KEYS["bob"], "--owner-key", str(alice_key), "--withhold-timeout", "3",
                          "--interval", "0.3", "--operator", url, "--rpc", node.url], tmp_path / "watch.log")
        plasma("deposit", "--chain", "1", "--value", "4ankr", "--private-key", KEYS["alice"], "--rpc", node.url)
        wait_for(lambda: balance(url, "alice") == 4 * ETHER, 30, "the deposit")
        send(node, url, 1, "alice", "bob", "1.5ankr")
        wait_for(lambda: watcher.events("checked"), 30, "the watcher to check block 1000")
        # Someone exits the deposit Alice already spent: the watcher challenges it by itself.
        plasma("exit-deposit", "--chain", "1", "--block", "1", "--amount", "4ankr", "--private-key", KEYS["alice"], "--rpc", node.url)
        wait_for(lambda: watcher.events("challenged"), 30, "the watcher to challenge the exit of a spent output")
        assert watcher.events("challenged")[0]["utxoPos"] == 10**9

        # The operator stops serving and submits a root nobody can see the block of.
        op.stop(signal.SIGKILL)
        main_tx(w3, KEYS["op"], ROOT1, keccak(b"submitBlock(bytes32)")[:4] + os.urandom(32))
        wait_for(lambda: len(watcher.events("exited")) == 2, 60, "the watcher to exit both users' outputs")
        assert watcher.events("withheld")[0]["block"] == 2000
        exited = {e["owner"]: e["utxoPos"] for e in watcher.events("exited")}
        assert exited == {ADDR["alice"]: 1000 * 10**9 + 1, ADDR["bob"]: 1000 * 10**9}

        status = json.loads(plasma("status", "--chain", "1", "--rpc", node.url).stdout)
        finalize_when_mature(node, w3, max(e["exitableAt"] for e in status["exits"]))
        assert withdrawable(w3, "alice") == 5 * ETHER // 2 + BOND
        assert withdrawable(w3, "bob") == 3 * ETHER // 2 + BOND + BOND, "every wei the honest users held comes back, and the challenge's bond"
    finally:
        for d in (watcher, op):
            if d:
                d.stop()
        node.stop()


class FakeOperator(ThreadingHTTPServer):
    """A lying operator's JSON-RPC: serves the blocks it was given, whatever they hold."""

    def __init__(self):
        self.blocks, self.confirms = {}, {}
        super().__init__(("127.0.0.1", 0), FakeOperatorHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class FakeOperatorHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        result = None
        if req["method"] == "plasma_getBlock":
            n = int(req["params"][0], 16)
            if n in self.server.blocks:
                result = {"number": hex(n), "previousHeaderHash": "0x" + self.server.blocks[n][0].hex(),
                          "transactions": ["0x" + t.hex() for t in self.server.blocks[n][1]]}
        elif req["method"] == "plasma_getTransaction":
            sigs = self.server.confirms.get(req["params"][0])
            result = {"hash": req["params"][0], "pending": False, "confirmSignatures": sigs} if sigs else None
        body = json.dumps({"jsonrpc": "2.0", "id": req["id"], "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def plasma_tx(inputs, outputs, signers):
    """White-paper RLP, signed by each input's key over the raw hash (independent of ankr)."""
    ins = inputs + [(0, 0, 0)] * (2 - len(inputs))
    outs = outputs + [(b"\x00" * 20, 0)] * (2 - len(outputs))
    unsigned = [ins[0][0], ins[0][1], ins[0][2], ins[1][0], ins[1][1], ins[1][2],
                outs[0][0], outs[0][1], outs[1][0], outs[1][1], 0]
    h = keccak(rlp.encode(unsigned))
    sigs = [sign(keys.PrivateKey(bytes.fromhex(k[2:])), h) for k in signers] + [b"\x00" * 65] * (2 - len(signers))
    full = unsigned[0:3] + [sigs[0]] + unsigned[3:6] + [sigs[1]] + unsigned[6:]
    return rlp.encode(full), h, keccak(h + sigs[0] + sigs[1])


def test_an_operator_that_includes_a_double_spend_is_proven_wrong_slashed_and_rolled_back(tmp_path):
    node, w3 = main_chain(tmp_path, challenge=60)
    fake = FakeOperator()
    watcher = None
    try:
        plasma("create", "--stake", "1ankr", "--private-key", KEYS["op"], "--rpc", node.url)
        plasma("deposit", "--chain", "1", "--value", "5ankr", "--private-key", KEYS["alice"], "--rpc", node.url)
        addr = lambda who: bytes.fromhex(ADDR[who][2:])
        submit = keccak(b"submitBlock(bytes32)")[:4]
        # Block 1000: Alice pays Bob her deposit (valid) and confirms it.
        tx1, h1, leaf1 = plasma_tx([(1, 0, 0)], [(addr("bob"), 5 * ETHER)], [KEYS["alice"]])
        root1 = merkle([leaf1])[16][0]
        header1 = keccak(root1 + b"\x00" * 32)
        fake.blocks[1000] = (b"\x00" * 32, [tx1])
        fake.confirms["0x" + h1.hex()] = "0x" + sign(keys.PrivateKey(bytes.fromhex("a1" * 32)), keccak(h1 + root1)).hex()
        main_tx(w3, KEYS["op"], ROOT1, submit + root1)
        # Block 2000: the operator lets Alice spend the same deposit again, to Carol.
        tx2, _, leaf2 = plasma_tx([(1, 0, 0)], [(addr("carol"), 5 * ETHER)], [KEYS["alice"]])
        fake.blocks[2000] = (header1, [tx2])
        main_tx(w3, KEYS["op"], ROOT1, submit + merkle([leaf2])[16][0])

        watcher = Daemon(["watch", "--chain", "1", "--private-key", KEYS["bob"], "--interval", "0.3", "--operator", fake.url, "--rpc", node.url],
                         tmp_path / "watch.log")
        wait_for(lambda: watcher.events("fraudProven") and watcher.events("exited"), 60, "the watcher to prove fraud and exit")
        assert watcher.events("checked")[0]["block"] == 1000
        assert watcher.events("fraudProven")[0]["block"] == 2000
        chain = rpc(node.url, "ankr_childChain", ["0x1"])["result"]
        assert chain["slashed"] is True and int(chain["stake"], 16) == 0
        assert int(chain["latestBlock"]["number"], 16) == 1000, "rolled back to the last valid block"
        assert withdrawable(w3, "bob") == ETHER, "the operator's stake goes to the prover"
        assert [(e["owner"], int(e["amount"], 16)) for e in chain["exits"]] == [(ADDR["bob"], 5 * ETHER)], "Bob exits his valid output"
        # The operator cannot go on without staking again.
        data = submit + os.urandom(32)
        acct = Account.from_key(KEYS["op"])
        with pytest.raises(Exception, match="slashed"):
            w3.eth.estimate_gas({"from": acct.address, "to": ROOT1, "data": data})
    finally:
        if watcher:
            watcher.stop()
        fake.shutdown()
        node.stop()
