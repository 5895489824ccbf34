"""An application chain run by real processes: a main-chain node, `ankr appchain create`, the operator's
`ankr node` on an operator-consensus genesis committing every block to the main chain, a Vyper token
deployed and used on it through web3.py, and a restart of the operator's node."""
import json
import os
import subprocess
import time

import pytest
from eth_account import Account
from web3 import Web3
from web3.exceptions import ContractLogicError

from conftest import ANKR, NodeProcess, ankr, wait_for
from test_evm_vyper import Wallet, compile_vyper

ETHER = 10**18
KEYS = {name: "0x" + byte * 32 for name, byte in [("op", "0e"), ("alice", "a1"), ("bob", "b2")]}
ADDR = {name: Account.from_key(k).address for name, k in KEYS.items()}
ROOT1 = "0x00000000000000000000000000000000000C0001"
APP_CHAIN_ID = 4242
ABI_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "abi")
ROOT_ABI = json.load(open(os.path.join(ABI_DIR, "AppChainRoot.json")))
BRIDGE_ABI = json.load(open(os.path.join(ABI_DIR, "AppChainBridge.json")))
BRIDGE = "0x00000000000000000000000000000000000A0100"


def main_chain(tmp_path, window=None, deposit_deadline=None, period=None, oracle=False):
    genesis = tmp_path / "main.json"
    ankr_config = {"blockTimeSeconds": 1}
    if oracle:
        # The development oracle root and enclave `ankr oracle run --dev` uses (as `ankr node --dev` trusts them).
        from eth_keys import keys
        root = keys.PrivateKey(bytes([0x0A]) * 32).public_key.to_compressed_bytes()
        ankr_config["oracle"] = {"attestationRoots": ["0x" + root.hex()], "allowSimulatedAttestation": True,
                                 "measurements": ["0x" + Web3.keccak(b"ankr-simulated-enclave:ankr-oracle-v1").hex().removeprefix("0x")]}
    if window or deposit_deadline:
        ankr_config["appchains"] = {k: v for k, v in [("disputeWindowSeconds", window), ("depositDeadlineSeconds", deposit_deadline)] if v}
    genesis.write_text(json.dumps({
        "config": {"chainId": 7331, "ankr": ankr_config},
        "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1",
        "alloc": {a: {"balance": str(100 * ETHER)} for a in ADDR.values()}}))
    ankr("init", "--genesis", str(genesis), "--datadir", str(tmp_path / "main"))
    # A block per transaction by default (each a second later than the last, so a burst runs the main chain's clock ahead
    # of the wall's); `period` seconds per block keeps it on time.
    return NodeProcess(str(tmp_path / "main"), ["--no-p2p"] + (["--dev.period", str(period)] if period else [])).start()


def app_genesis(tmp_path, profile_gas=0x989680):
    """An application chain's genesis: the operator as consensus and coinbase, no alloc (every ANKR is deposited), base fee 0."""
    path = tmp_path / "app.json"
    path.write_text(json.dumps({
        "config": {"chainId": APP_CHAIN_ID, "ankr": {"consensus": "operator", "operator": ADDR["op"], "blockReward": "0x0"}},
        "gasLimit": hex(profile_gas), "baseFeePerGas": "0x0", "difficulty": "0x1", "coinbase": ADDR["op"], "alloc": {}}))
    return path


def send_main(main_w3, fn, key, value=0):
    acct = Account.from_key(key)
    tx = fn.build_transaction({"from": acct.address, "value": value, "nonce": main_w3.eth.get_transaction_count(acct.address, "pending")})
    return main_w3.eth.wait_for_transaction_receipt(main_w3.eth.send_raw_transaction(Account.sign_transaction(tx, key).raw_transaction), timeout=30)


def start_operator(tmp_path, main, extra=()):
    key = tmp_path / "op.key"
    key.write_text(KEYS["op"][2:])
    return NodeProcess(str(tmp_path / "app"), ["--no-p2p", "--operator.key", str(key), "--appchain.parent", main.url, "--appchain.id", "1",
                                              "--appchain.confirmations", "0", "--miner.coinbase", ADDR["op"], *extra]).start()


def registered_app_chain(tmp_path, main, profile="e-commerce", profile_gas=0x989680):
    """An application chain's genesis written, registered on `main` with the operator's stake, and the operator's node
    started: (node, its web3, the main chain's web3, the root there, the bridge here)."""
    genesis = app_genesis(tmp_path, profile_gas=profile_gas)
    ankr("init", "--genesis", str(genesis), "--datadir", str(tmp_path / "app"))
    ankr("appchain", "create", "--genesis", str(genesis), "--profile", profile, "--stake", "10ankr", "--rpc", main.url, "--private-key", KEYS["op"])
    app = start_operator(tmp_path, main)
    w3, main_w3 = app.web3(), main.web3()
    return (app, w3, main_w3, main_w3.eth.contract(address=Web3.to_checksum_address(ROOT1), abi=ROOT_ABI),
            w3.eth.contract(address=Web3.to_checksum_address(BRIDGE), abi=BRIDGE_ABI))


def test_a_vyper_token_on_an_application_chain_committed_to_the_main_chain(tmp_path):
    main = main_chain(tmp_path, window=4)
    app = None
    try:
        genesis = app_genesis(tmp_path)
        ankr("init", "--genesis", str(genesis), "--datadir", str(tmp_path / "app"))
        # Only the genesis's operator may register it.
        refused = ankr("appchain", "create", "--genesis", str(genesis), "--profile", "e-commerce", "--stake", "10ankr",
                       "--rpc", main.url, "--private-key", KEYS["alice"], check=False)
        assert refused.returncode != 0 and "operator" in refused.stderr
        created = json.loads(ankr("appchain", "create", "--genesis", str(genesis), "--profile", "e-commerce", "--stake", "10ankr",
                                  "--rpc", main.url, "--private-key", KEYS["op"]).stdout)
        assert created["id"] == 1 and created["root"].lower() == ROOT1.lower() and created["chainId"] == APP_CHAIN_ID

        app = start_operator(tmp_path, main)
        w3 = app.web3()
        assert w3.eth.chain_id == APP_CHAIN_ID
        main_w3 = main.web3()
        root = main_w3.eth.contract(address=Web3.to_checksum_address(ROOT1), abi=ROOT_ABI)
        # ANKR reaches the application chain only by deposit: the operator's node applies it there, to the wei.
        deposit = 20 * ETHER + 12345
        assert send_main(main_w3, root.functions.deposit(ADDR["alice"]), KEYS["alice"], value=deposit).status == 1
        wait_for(lambda: w3.eth.get_balance(ADDR["alice"]) == deposit, 30, "the deposit on the application chain")
        alice = Wallet(w3, KEYS["alice"])
        token, receipt = alice.deploy("Token.vy", "Lease", "LSE", 1_000_000)
        sent = alice.send(token.functions.transfer(ADDR["bob"], 2_500))
        assert sent.status == 1
        assert token.functions.balanceOf(ADDR["bob"]).call() == 2_500
        block = w3.eth.get_block(sent.blockNumber)
        # The operator's seal is its signature over the block.
        seal = w3.provider.make_request("ankr_getSeal", [hex(block.number)])["result"]
        assert seal["operator"] == ADDR["op"] and len(bytes.fromhex(seal["operatorSignature"][2:])) == 65

        wait_for(lambda: root.functions.latestBlock().call() >= block.number, 30, "the operator's commitments")
        header_hash, state_root, committed_at, final, applied = root.functions.getCommitment(block.number).call()
        assert header_hash == bytes(block.hash) and state_root == bytes(block.stateRoot) and applied == 1
        status = json.loads(ankr("appchain", "status", "--chain", "1", "--rpc", main.url).stdout)
        assert status["profile"] == "e-commerce" and status["operator"] == ADDR["op"] and int(status["stake"]) == 10 * ETHER
        assert int(status["latestBlock"]) >= block.number

        # Killed and restarted, the operator's node carries on committing from what the main chain holds.
        app.kill()
        wrong = tmp_path / "alice.key"
        wrong.write_text(KEYS["alice"][2:])
        refused = ankr("node", "--datadir", str(tmp_path / "app"), "--no-p2p", "--http.port", "0", "--operator.key", str(wrong),
                       "--appchain.parent", main.url, "--appchain.id", "1", check=False)
        assert refused.returncode != 0 and "operator" in refused.stderr
        app = start_operator(tmp_path, main)
        w3 = app.web3()
        alice = Wallet(w3, KEYS["alice"])
        token = w3.eth.contract(address=token.address, abi=token.abi)
        again = alice.send(token.functions.transfer(ADDR["bob"], 500))
        assert token.functions.balanceOf(ADDR["bob"]).call() == 3_000
        wait_for(lambda: root.functions.latestBlock().call() >= again.blockNumber, 30, "commitments after a restart")
        assert root.functions.getCommitment(again.blockNumber).call()[0] == bytes(w3.eth.get_block(again.blockNumber).hash)

        # Out again: Alice withdraws to Bob on the main chain; once the block is final, anyone proves it there.
        bridge = w3.eth.contract(address=Web3.to_checksum_address(BRIDGE), abi=BRIDGE_ABI)
        amount = 7 * ETHER + 999
        bob_before = main_w3.eth.get_balance(ADDR["bob"])
        out = alice.send(bridge.functions.withdraw(ADDR["bob"]), value=amount)
        assert out.status == 1
        wait_for(lambda: root.functions.latestBlock().call() >= out.blockNumber, 30, "the withdrawal's commitment")
        finalize = ["appchain", "finalize", "--chain", "1", "--tx", "0x" + bytes(out.transactionHash).hex(), "--app-rpc", app.url,
                    "--rpc", main.url, "--private-key", KEYS["alice"]]
        early = ankr(*finalize, check=False)
        # Refused with the time it becomes final (unless it already is: the window is 4 s here).
        assert early.returncode == 0 or (early.returncode == 1 and "is final at" in early.stderr), early.stderr
        nothing = ankr(*finalize[:5], "0x" + bytes(again.transactionHash).hex(), *finalize[6:], check=False)
        assert nothing.returncode == 1 and "made no withdrawal" in nothing.stderr, nothing.stderr
        wait_for(lambda: root.functions.getCommitment(out.blockNumber).call()[3], 30, "the withdrawal's block to be final")
        # `ankr appchain finalize` finds the withdrawal in the receipt, checks the node's proof against the committed state
        # root and proves it on the main chain; once.
        if early.returncode != 0:
            done = json.loads(ankr(*finalize).stdout.splitlines()[-1])
            assert done["kind"] == "withdrawal" and done["status"] == "finalized" and int(done["amount"]) == amount and done["to"] == ADDR["bob"]
        assert main_w3.eth.get_balance(ADDR["bob"]) == bob_before + amount, "paid on the main chain to the wei"
        assert root.functions.held().call() == deposit - amount
        assert json.loads(ankr(*finalize).stdout.splitlines()[-1])["status"] == "already finalized"
        assert root.functions.withdrawalPaid(0).call()
    finally:
        if app:
            app.stop()
        main.stop()


def test_messages_between_main_chain_and_application_chain_contracts(tmp_path):
    """A Vyper Messenger on each chain, each the other's peer: a message with ANKR from the main chain arrives on the
    application chain and its target consumes it once; one back is proven on the main chain once its block is final,
    pays its value there to the wei and is consumed there."""
    main = main_chain(tmp_path, window=4)
    app = None
    try:
        app, w3, main_w3, root, bridge = registered_app_chain(tmp_path, main)
        assert send_main(main_w3, root.functions.deposit(ADDR["alice"]), KEYS["alice"], value=5 * ETHER).status == 1
        wait_for(lambda: w3.eth.get_balance(ADDR["alice"]) == 5 * ETHER, 30, "alice's deposit")
        on_main, on_child = Wallet(main_w3, KEYS["alice"]), Wallet(w3, KEYS["alice"])
        main_messenger, _ = on_main.deploy("Messenger.vy", Web3.to_checksum_address(ROOT1))
        child_messenger, _ = on_child.deploy("Messenger.vy", Web3.to_checksum_address(BRIDGE))
        assert on_main.send(main_messenger.functions.setPeer(child_messenger.address)).status == 1
        assert on_child.send(child_messenger.functions.setPeer(main_messenger.address)).status == 1

        # Main → child: 3 ANKR and a greeting, queued behind the deposit as message 1.
        hello = b"hello from the main chain"
        sent = on_main.send(main_messenger.functions.send(child_messenger.address, hello), value=3 * ETHER + 7)
        assert sent.status == 1
        queued = root.events.MessageSent().process_receipt(sent)[0].args
        assert (queued.index, queued.sender, queued.target, queued.data) == (1, main_messenger.address, child_messenger.address, hello)
        wait_for(lambda: bridge.functions.messagePending(1).call(), 30, "the message delivered on the application chain")
        assert w3.eth.get_balance(child_messenger.address) == 3 * ETHER + 7, "its value arrives with it, to the wei"
        # Only the peer's message, only as sent, only once.
        assert on_child.send(child_messenger.functions.accept(1, ADDR["alice"], hello), gas=200_000).status == 0
        assert on_child.send(child_messenger.functions.accept(1, main_messenger.address, hello + b"!"), gas=200_000).status == 0
        assert on_child.send(child_messenger.functions.accept(1, main_messenger.address, hello)).status == 1
        assert child_messenger.functions.received().call() == 1 and child_messenger.functions.last().call() == hello
        assert on_child.send(child_messenger.functions.accept(1, main_messenger.address, hello), gas=200_000).status == 0
        assert not bridge.functions.messagePending(1).call()

        # Child → main: 1 ANKR and a record, proven against the committed state root once its block is final.
        record = b"lease 7: rent paid on time"
        out = on_child.send(child_messenger.functions.send(main_messenger.address, record), value=ETHER + 11)
        assert out.status == 1
        index = bridge.events.MessageSent().process_receipt(out)[0].args.index
        wait_for(lambda: root.functions.latestBlock().call() >= out.blockNumber, 30, "the message's commitment")
        wait_for(lambda: root.functions.getCommitment(out.blockNumber).call()[3], 30, "the message's block to be final")
        proof = w3.eth.get_proof(bridge.address, [bridge.functions.messageSlot(index).call()], out.blockNumber)
        accounts, slots = [bytes(n) for n in proof.accountProof], [bytes(n) for n in proof.storageProof[0].proof]
        # A message other than the one recorded is refused; the recorded one is paid to the main-chain messenger.
        lie = root.functions.finalizeMessage(out.blockNumber, index, child_messenger.address, main_messenger.address, 2 * ETHER, record, accounts, slots)
        with pytest.raises(ContractLogicError, match="is not that message"):
            lie.call({"from": ADDR["bob"]})
        held = root.functions.held().call()
        before = main_w3.eth.get_balance(main_messenger.address)
        finalize = root.functions.finalizeMessage(out.blockNumber, index, child_messenger.address, main_messenger.address, ETHER + 11, record,
                                                  accounts, slots)
        assert send_main(main_w3, finalize, KEYS["bob"]).status == 1
        assert main_w3.eth.get_balance(main_messenger.address) == before + ETHER + 11
        assert root.functions.held().call() == held - ETHER - 11
        assert root.functions.messageFinalized(index).call() == [True, True]
        assert on_main.send(main_messenger.functions.accept(index, child_messenger.address, record)).status == 1
        assert main_messenger.functions.received().call() == 1 and main_messenger.functions.last().call() == record
        assert root.functions.messageFinalized(index).call() == [True, False]
    finally:
        if app:
            app.stop()
        main.stop()


def https_source(tmp_path):
    """A local HTTPS data source (test_oracle's) with a fresh self-signed certificate for localhost at tmp_path/cert.pem."""
    from test_oracle import Source
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    return Source(str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))


def app_chain_relay(tmp_path, app, main, key):
    """`ankr oracle run` serving application chain 1 with `key`, once its enclave is trusted there: (daemon, enclave)."""
    from test_oracle import Daemon_
    relay = Daemon_(["oracle", "run", "--dev", "--ca-file", str(tmp_path / "cert.pem"), "--allow-private-destinations",
                     "--private-key", key, "--rpc", app.url, "--appchain.parent", main.url, "--appchain.id", "1",
                     "--datadir", str(tmp_path / "relay"), "--interval", "0.2"], tmp_path / "relay.log")
    try:
        wait_for(lambda: any("relaying for" in line for line in relay.lines), 120, "the enclave trusted on the application chain")
    except BaseException:
        relay.stop()
        raise
    return relay, next(line for line in relay.lines if "relaying for" in line).split()[2]


def test_an_oracle_request_on_an_application_chain_is_answered_there(tmp_path):
    """The relay registers its enclave on the main chain, has the root announce it to the application chain, accepts the
    announcement there once the operator delivered it, publishes it to the chain's NOS and answers a request made on the
    application chain from an HTTPS source, delivered and paid there."""
    source = https_source(tmp_path)
    source.routes["/eur"] = (200, b'{"rate": "1.0842"}')
    main = main_chain(tmp_path, window=4, oracle=True)
    app = relay = None
    try:
        app, w3, main_w3, root, _ = registered_app_chain(tmp_path, main, profile="real-time", profile_gas=5_000_000)
        for who in ("alice", "bob"):
            assert send_main(main_w3, root.functions.deposit(ADDR[who]), KEYS[who], value=5 * ETHER).status == 1
        wait_for(lambda: w3.eth.get_balance(ADDR["bob"]) == 5 * ETHER, 30, "the deposits")
        relay, enclave = app_chain_relay(tmp_path, app, main, KEYS["bob"])
        # The mirror answers the registry's `registration` view at the registry's address.
        mirror = w3.eth.contract(address=Web3.to_checksum_address("0x00000000000000000000000000000000000a0006"),
                                 abi=json.load(open(os.path.join(ABI_DIR, "EnclaveRegistry.json"))))
        registrant, _, _, live = mirror.functions.registration(enclave, 1).call()[:4]
        assert live and registrant == ADDR["bob"], "the main chain's registration, as announced"

        answer = json.loads(ankr("oracle", "request", "--url", source.url("/eur"), "--path", "/rate", "--decimals", "4", "--wait",
                                 "--private-key", KEYS["alice"], "--rpc", app.url).stdout)
        assert answer["error"] == 0 and answer["value"] == "10842"
        assert source.hits["/eur"] >= 1
        # The delivery is an application-chain transaction, committed to the main chain like any other.
        head = w3.eth.block_number
        wait_for(lambda: root.functions.latestBlock().call() >= head, 30, "the delivery's commitment")
    finally:
        for p in (relay, app):
            if p:
                p.stop()
        main.stop()
        source.shutdown()


class Watcher:
    """`ankr appchain watch` with the challenger's key; its JSON lines are collected in a thread."""

    def __init__(self, tmp_path, main, key):
        import subprocess
        import threading
        from conftest import ANKR
        self.log = open(tmp_path / "watch.log", "ab")
        self.proc = subprocess.Popen([ANKR, "appchain", "watch", "--genesis", str(tmp_path / "app.json"), "--chain", "1",
                                      "--dir", str(tmp_path / "watch"), "--rpc", main.url, "--private-key", key, "--interval", "0.3"],
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.events = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.events.append(json.loads(line))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


def commit(main_w3, root, raw_block, applied, key=KEYS["op"]):
    """Sends commitBlock(raw_block, count, hash) signed by `key` for `applied` = (count, hash); returns the receipt."""
    acct = Account.from_key(key)
    tx = root.functions.commitBlock(raw_block, *applied).build_transaction(
        {"from": acct.address, "nonce": main_w3.eth.get_transaction_count(acct.address, "pending"), "gas": 3_000_000})
    h = main_w3.eth.send_raw_transaction(Account.sign_transaction(tx, key).raw_transaction)
    return main_w3.eth.wait_for_transaction_receipt(h, timeout=30)


def test_the_watcher_disputes_a_wrong_state_root_and_the_operator_is_slashed_and_rolled_back(tmp_path):
    import rlp
    main = main_chain(tmp_path, window=120)
    app = watcher = None
    try:
        genesis = app_genesis(tmp_path, profile_gas=5_000_000)
        ankr("init", "--genesis", str(genesis), "--datadir", str(tmp_path / "app"))
        ankr("appchain", "create", "--genesis", str(genesis), "--profile", "real-time", "--stake", "10ankr",
             "--rpc", main.url, "--private-key", KEYS["op"])
        # The operator's node produces blocks but commits nothing itself: this test commits for it, and lies once.
        key = tmp_path / "op.key"
        key.write_text(KEYS["op"][2:])
        app = NodeProcess(str(tmp_path / "app"), ["--no-p2p", "--operator.key", str(key), "--miner.coinbase", ADDR["op"]]).start()
        w3 = app.web3()
        main_w3 = main.web3()
        root = main_w3.eth.contract(address=Web3.to_checksum_address(ROOT1), abi=ROOT_ABI)
        assert send_main(main_w3, root.functions.deposit(ADDR["alice"]), KEYS["alice"], value=20 * ETHER).status == 1
        # This test relays the deposit as the operator's node would (an applyMessages transaction, free at base fee 0).
        bridge = w3.eth.contract(address=Web3.to_checksum_address(BRIDGE), abi=BRIDGE_ABI)
        relay = bridge.functions.applyMessages(0, [ADDR["alice"]], [ADDR["alice"]], [20 * ETHER], [b""]).build_transaction(
            {"from": ADDR["op"], "nonce": 0, "gas": 150_000, "maxFeePerGas": 0, "maxPriorityFeePerGas": 0, "chainId": APP_CHAIN_ID})
        w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(Account.sign_transaction(relay, KEYS["op"]).raw_transaction), timeout=30)
        assert w3.eth.get_balance(ADDR["alice"]) == 20 * ETHER
        alice = Wallet(w3, KEYS["alice"])
        token, _ = alice.deploy("Token.vy", "Lease", "LSE", 1_000_000)
        for amount in (100, 200, 300):
            alice.send(token.functions.transfer(ADDR["bob"], amount))
        head = w3.eth.block_number
        raw = {n: bytes.fromhex(w3.provider.make_request("debug_getRawBlock", [hex(n)])["result"][2:]) for n in range(1, head + 1)}

        # The bridge's count of applied deposits and their running hash (slot 3), block by block.
        applied = {n: (bridge.functions.depositsApplied().call(block_identifier=n), bytes(w3.eth.get_storage_at(bridge.address, 3, n)))
                   for n in range(1, head + 1)}
        for n in range(1, head):
            assert commit(main_w3, root, raw[n], applied[n]).status == 1
        # A watcher started on another chain's genesis stops at once instead of disputing every block (and paying for it).
        other = json.loads((tmp_path / "app.json").read_text())
        other["config"]["chainId"] = APP_CHAIN_ID + 1
        (tmp_path / "other.json").write_text(json.dumps(other))
        wrong = subprocess.run([ANKR, "appchain", "watch", "--genesis", str(tmp_path / "other.json"), "--chain", "1", "--dir", str(tmp_path / "wrong"),
                                "--rpc", main.url, "--private-key", KEYS["bob"]], capture_output=True, text=True, timeout=60)
        assert wrong.returncode == 1 and "not this watcher's chain" in wrong.stderr, wrong.stderr
        watcher = Watcher(tmp_path, main, KEYS["bob"])
        wait_for(lambda: any(e.get("through") == head - 1 for e in watcher.events), 60, "the watcher to verify the honest blocks")

        # The last block with a state root that is not its execution's.
        header, txs = rlp.decode(raw[head])
        header[3] = b"\x42" * 32
        forged = rlp.encode([header, txs])
        assert commit(main_w3, root, forged, applied[head]).status == 1
        assert root.functions.latestBlock().call() == head
        bob_before = main_w3.eth.get_balance(ADDR["bob"])
        wait_for(lambda: any(e["event"] == "disputed" for e in watcher.events), 60, "the watcher's dispute")
        disputed = next(e for e in watcher.events if e["event"] == "disputed")
        assert disputed["block"] == head and "stateRoot" in disputed["reason"]
        assert root.functions.latestBlock().call() == head - 1, "rolled back to the last good block"
        stake, slashed = root.functions.stake().call()
        assert stake == 0 and slashed
        assert main_w3.eth.get_balance(ADDR["bob"]) > bob_before + 4 * ETHER, "half the stake went to the challenger"

        # Slashed, the operator cannot commit until it stakes again; then the true block goes in and is verified.
        assert commit(main_w3, root, raw[head], applied[head]).status == 0
        acct = Account.from_key(KEYS["op"])
        tx = root.functions.addStake().build_transaction({"from": acct.address, "value": 10 * ETHER,
                                                          "nonce": main_w3.eth.get_transaction_count(acct.address, "pending")})
        main_w3.eth.wait_for_transaction_receipt(main_w3.eth.send_raw_transaction(Account.sign_transaction(tx, KEYS["op"]).raw_transaction))
        assert commit(main_w3, root, raw[head], applied[head]).status == 1
        wait_for(lambda: any(e.get("through") == head for e in watcher.events), 60, "the watcher to verify the true block")
        assert len([e for e in watcher.events if e["event"] == "disputed"]) == 1
    finally:
        for p in (watcher, app):
            if p:
                p.stop()
        main.stop()


def test_a_flood_of_deposits_past_their_deadline_does_not_stop_the_chain(tmp_path):
    """Once the oldest unapplied deposit is overdue the root commits only blocks that apply 3 more: the operator's node
    then makes only blocks carrying a relay (queued ahead), so users' transactions and a flood of deposits go on together."""
    main = main_chain(tmp_path, window=4, deposit_deadline=10, period=1)
    app = None
    try:
        app, w3, main_w3, root, bridge = registered_app_chain(tmp_path, main)
        assert send_main(main_w3, root.functions.deposit(ADDR["alice"]), KEYS["alice"], value=5 * ETHER).status == 1
        wait_for(lambda: w3.eth.get_balance(ADDR["alice"]) == 5 * ETHER, 30, "the first deposit")

        # Forty deposits at once, each of a different amount, to fresh recipients.
        acct = Account.from_key(KEYS["bob"])
        nonce = main_w3.eth.get_transaction_count(acct.address, "pending")
        recipients = [Account.create().address for _ in range(40)]
        hashes = []
        for i, r in enumerate(recipients):
            tx = root.functions.deposit(r).build_transaction({"from": acct.address, "value": 1_000 + i, "nonce": nonce + i, "gas": 200_000})
            hashes.append(main_w3.eth.send_raw_transaction(Account.sign_transaction(tx, KEYS["bob"]).raw_transaction))
        for h in hashes:
            assert main_w3.eth.wait_for_transaction_receipt(h, timeout=60).status == 1
        # Meanwhile Alice keeps transacting on the application chain (each transfer is a block without a relay of its own).
        alice_nonce = w3.eth.get_transaction_count(ADDR["alice"])
        for i in range(20):
            tx = {"to": ADDR["bob"], "value": 1, "gas": 21_000, "maxFeePerGas": 0, "maxPriorityFeePerGas": 0, "nonce": alice_nonce + i,
                  "chainId": APP_CHAIN_ID}
            w3.eth.send_raw_transaction(Account.sign_transaction(tx, KEYS["alice"]).raw_transaction)
            time.sleep(0.4)
        wait_for(lambda: bridge.functions.depositsApplied().call() == 41, 90, "every deposit applied")
        assert all(w3.eth.get_balance(r) == 1_000 + i for i, r in enumerate(recipients)), "each to the wei"
        wait_for(lambda: w3.eth.get_balance(ADDR["bob"]) == 20, 30, "alice's transfers")
        head = w3.eth.block_number
        wait_for(lambda: root.functions.latestBlock().call() >= head, 60, "every block committed: none was refused as overdue")
    finally:
        if app:
            app.stop()
        main.stop()
