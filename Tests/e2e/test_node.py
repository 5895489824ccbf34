"""web3.py and eth-account against a real `ankr node --dev`: what a dApp developer does first."""
import json
import os
import signal
import time
import urllib.error
import urllib.request

import pytest
from eth_account import Account
from web3 import Web3
from web3.exceptions import BlockNotFound
import rlp

from conftest import COINBASE, DEV_ADDRESS, DEV_KEY, NodeProcess

BOB = "0x3535353535353535353535353535353535353535"


def transfer(w3, nonce, value, to=BOB, key=DEV_KEY, chain_id=None, **fees):
    tx = {"to": to, "value": value, "gas": 21000, "nonce": nonce, "chainId": chain_id or w3.eth.chain_id}
    if "gasPrice" in fees:
        tx["gasPrice"] = fees["gasPrice"]
    else:
        tx["maxFeePerGas"] = fees.get("maxFeePerGas", 10 * 10**9)
        tx["maxPriorityFeePerGas"] = fees.get("maxPriorityFeePerGas", 10**9)
    return Account.sign_transaction(tx, key).raw_transaction


def raw_rpc(url, body, content_type="application/json"):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_chain_basics(node):
    w3 = node.web3()
    assert w3.is_connected()
    assert w3.eth.chain_id == 7331
    assert w3.net.version == "7331"
    assert w3.eth.block_number == 0
    assert w3.eth.get_balance(DEV_ADDRESS) == 10**6 * 10**18
    assert w3.eth.get_transaction_count(DEV_ADDRESS) == 0
    assert w3.eth.get_code(BOB) == b""
    assert w3.eth.gas_price > 0
    assert w3.eth.max_priority_fee > 0
    genesis = w3.eth.get_block(0)
    assert genesis["number"] == 0 and genesis["baseFeePerGas"] == 10**9 and genesis["gasLimit"] == 30_000_000
    assert len(genesis["extraData"]) <= 32
    with pytest.raises(BlockNotFound):
        w3.eth.get_block(12345)


def test_eip1559_and_eip155_transfers(node):
    w3 = node.web3()
    h1 = w3.eth.send_raw_transaction(transfer(w3, 0, 10**18))
    r1 = w3.eth.wait_for_transaction_receipt(h1, timeout=20)
    assert r1["status"] == 1 and r1["gasUsed"] == 21000 and r1["type"] == 2
    assert r1["contractAddress"] is None and r1["logs"] == []
    h2 = w3.eth.send_raw_transaction(transfer(w3, 1, 2 * 10**18, gasPrice=5 * 10**9))
    r2 = w3.eth.wait_for_transaction_receipt(h2, timeout=20)
    assert r2["status"] == 1 and r2["type"] == 0
    assert w3.eth.get_balance(BOB) == 3 * 10**18
    assert w3.eth.get_transaction_count(DEV_ADDRESS) == 2

    tx = w3.eth.get_transaction(h2)
    assert tx["from"] == DEV_ADDRESS and tx["to"] == Web3.to_checksum_address(BOB)
    assert tx["chainId"] == 7331 and tx["v"] in (7331 * 2 + 35, 7331 * 2 + 36)
    block = w3.eth.get_block(r1["blockNumber"], full_transactions=True)
    assert block["transactions"][0]["hash"] == h1
    assert w3.eth.get_block(block["hash"])["number"] == block["number"]
    # The sender paid exactly value + gasUsed * effectiveGasPrice for both.
    spent = 3 * 10**18 + r1["gasUsed"] * r1["effectiveGasPrice"] + r2["gasUsed"] * r2["effectiveGasPrice"]
    assert w3.eth.get_balance(DEV_ADDRESS) == 10**24 - spent
    # The coinbase got 2 ANKR per block plus the tips; the base fee was burned.
    tips = sum(r["gasUsed"] * (r["effectiveGasPrice"] - w3.eth.get_block(r["blockNumber"])["baseFeePerGas"]) for r in (r1, r2))
    assert w3.eth.get_balance(COINBASE) == 2 * 10**18 * w3.eth.block_number + tips


def test_fee_history_and_logs(node):
    w3 = node.web3()
    for n in range(3):
        w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(transfer(w3, n, 1)), timeout=20)
    history = w3.eth.fee_history(4, "pending", [10, 50, 90])
    assert len(history["baseFeePerGas"]) == len(history["gasUsedRatio"]) + 1
    assert len(history["reward"]) == len(history["gasUsedRatio"])
    assert all(len(r) == 3 for r in history["reward"])
    latest = w3.eth.block_number
    # No contract emits events yet; every filter shape must still be understood.
    assert w3.eth.get_logs({"fromBlock": 0, "toBlock": latest}) == []
    assert w3.eth.get_logs({"fromBlock": 0, "toBlock": "latest", "address": [BOB, DEV_ADDRESS],
                            "topics": [None, ["0x" + "11" * 32, "0x" + "22" * 32]]}) == []
    with pytest.raises(Exception, match="topic"):
        w3.eth.get_logs({"fromBlock": 0, "topics": ["0x1234"]})


def test_proof_matches_balance(node):
    w3 = node.web3()
    proof = w3.eth.get_proof(DEV_ADDRESS, [0], "latest")
    assert proof["balance"] == w3.eth.get_balance(DEV_ADDRESS)
    assert len(proof["accountProof"]) >= 1
    assert int.from_bytes(bytes(proof["storageProof"][0]["value"]), "big") == 0


def test_bad_transactions_get_clear_errors(node):
    w3 = node.web3()
    cases = [
        (transfer(w3, 0, 1, chain_id=1), "chain id"),
        (transfer(w3, 0, 10**30), "insufficient funds"),
        (transfer(w3, 0, 1, maxFeePerGas=1, maxPriorityFeePerGas=0), "base fee"),
        (bytes.fromhex("02f8"), "needs"),
        (b"\x05\xc0", "not supported"),
    ]
    for raw, message in cases:
        with pytest.raises(Exception, match=message):
            w3.eth.send_raw_transaction(raw)
    # The high-s twin of a valid signature is refused.
    signed = Account.sign_transaction({"to": BOB, "value": 1, "gas": 21000, "nonce": 0, "chainId": 7331,
                                       "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}, DEV_KEY)
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    fields = rlp.decode(bytes(signed.raw_transaction)[1:])
    y_parity, s = int.from_bytes(fields[9], "big"), int.from_bytes(fields[11], "big")
    fields[9] = b"" if y_parity == 1 else b"\x01"
    fields[11] = (n - s).to_bytes(32, "big").lstrip(b"\x00")
    high_s = b"\x02" + rlp.encode(fields)
    with pytest.raises(Exception, match="low-s|upper half"):
        w3.eth.send_raw_transaction(high_s)
    # Replaying a mined transaction is "already known" or "nonce too low".
    w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction), timeout=20)
    with pytest.raises(Exception, match="nonce too low|already known"):
        w3.eth.send_raw_transaction(signed.raw_transaction)
    assert w3.eth.block_number >= 1  # still serving


def test_malformed_requests_get_json_rpc_errors(node):
    status, body = raw_rpc(node.url, b"{not json")
    assert json.loads(body)["error"]["code"] == -32700
    status, body = raw_rpc(node.url, json.dumps({"jsonrpc": "2.0", "id": 7, "method": "eth_nope", "params": []}).encode())
    assert json.loads(body)["error"]["code"] == -32601
    status, body = raw_rpc(node.url, json.dumps({"jsonrpc": "2.0", "id": 8, "method": "eth_getBalance", "params": [12]}).encode())
    assert json.loads(body)["error"]["code"] == -32602
    batch = [{"jsonrpc": "2.0", "id": i, "method": "eth_chainId", "params": []} for i in range(3)]
    status, body = raw_rpc(node.url, json.dumps(batch).encode())
    assert sorted(r["id"] for r in json.loads(body)) == [0, 1, 2]
    status, body = raw_rpc(node.url, json.dumps(batch * 50).encode())
    assert json.loads(body)["error"]["code"] == -32600
    status, _ = raw_rpc(node.url, b"[" + b"1," * (3 * 1024 * 1024) + b"1]")
    assert status == 413
    w3 = node.web3()
    assert w3.eth.chain_id == 7331  # still serving


def test_kill_9_loses_nothing_committed(datadir):
    node = NodeProcess(datadir).start()
    w3 = node.web3()
    mined = []
    for n in range(40):
        h = w3.eth.send_raw_transaction(transfer(w3, n, 1000 + n))
        if n % 4 == 0:
            mined.append(w3.eth.wait_for_transaction_receipt(h, timeout=20))
    head_before = w3.eth.block_number
    node.kill()

    node = NodeProcess(datadir).start()
    try:
        w3 = node.web3()
        assert w3.eth.block_number >= head_before
        for r in mined:
            again = w3.eth.get_transaction_receipt(r["transactionHash"])
            assert again["blockHash"] == r["blockHash"] and again["status"] == 1
        nonce = w3.eth.get_transaction_count(DEV_ADDRESS)
        # Every mined transaction's effect is in the state: Bob holds exactly what the mined nonces sent.
        assert w3.eth.get_balance(BOB) == sum(1000 + n for n in range(nonce))
        # And the chain moves on.
        h = w3.eth.send_raw_transaction(transfer(w3, nonce, 1))
        assert w3.eth.wait_for_transaction_receipt(h, timeout=20)["status"] == 1
    finally:
        node.stop()


def test_node_runs_from_a_toml_config_file_with_its_log_level(datadir):
    import socket
    import subprocess
    from conftest import ANKR
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = os.path.join(datadir, "ankr.toml")
    with open(config, "w") as f:
        f.write(f'datadir = "{datadir}/chain"\n[dev]\nenabled = true\n[http]\nport = {port}\n[p2p]\nenabled = false\n[log]\nlevel = "warning"\n')
    log = open(os.path.join(datadir, "stderr.log"), "w+")
    proc = subprocess.Popen([ANKR, "node", "--config", config], stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}" in line, line
        w3 = Web3(Web3.HTTPProvider(f"http://127.0.0.1:{port}"))
        assert w3.eth.chain_id == 7331 and w3.net.peer_count == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    log.seek(0)
    errors = log.read()
    # At level warning the info and notice lines ("chain ready", the dev account) stay out of the log.
    assert "chain ready" not in errors and "dev account" not in errors, errors
    log.close()


def test_new_namespaces_answer_hostile_params_with_json_rpc_errors(node):
    """work_, ankr_childChain* and the explorer helpers: bad params are -32602 errors, unknown ids null."""
    w3 = node.web3()

    def call(method, params):
        return w3.provider.make_request(method, params)

    # A dev chain has no WorkMarket: a clear server error, not a crash.
    r = call("work_getJob", ["0x1"])
    assert r["error"]["code"] == -32000 and "no WorkMarket" in r["error"]["message"]
    for method, params in [("ankr_childChain", ["not a number"]), ("ankr_childChain", [{"id": 1}]), ("ankr_childChain", []),
                           ("ankr_decodeTransaction", ["0x1234"]), ("ankr_accountTransactions", ["0x12"]),
                           ("ankr_accountTransactions", [DEV_ADDRESS, {"blocks": "0x" + "f" * 70}]),
                           ("ankr_childChains", [1])]:
        r = call(method, params)
        assert r.get("error", {}).get("code") == -32602, (method, params, r)
    assert call("ankr_childChain", ["0x1"])["result"] is None
    assert call("ankr_childChain", ["0x" + "f" * 64])["result"] is None
    assert call("ankr_childChains", [])["result"] == []
    names = {c["name"]: c["address"] for c in call("ankr_systemContracts", [])["result"]}
    assert names["ChildChainRegistry"].lower() == "0x00000000000000000000000000000000000a0001" and names["PlasmaRoot"] is None
