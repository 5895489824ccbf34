"""Issue 20's development accounts over real nodes and web3.py: on `ankr node --dev` and `ankr devnet` the funded
development keys are unlocked (eth_accounts, eth_sendTransaction, eth_sign, eth_signTransaction, personal_sign),
checked against eth-account; eth_fillTransaction fills without signing on any chain; a node on a genesis written
by hand, funding the very same keys under the same chain id, unlocks nothing and refuses to sign."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time

import pytest
import requests
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_account.typed_transactions import TypedTransaction
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import Web3RPCError

from conftest import ANKR, DEV_ADDRESS, DEV_KEY, NodeProcess, ankr
from test_evm_vyper import compile_vyper

BOB = Web3.to_checksum_address("0x000000000000000000000000000000000000b0b0")
# The five more development keys `ankr devnet` funds and unlocks beside DEV_KEY (keccak256 of "ankr-devnet-1".."5").
DEVNET_KEYS = [DEV_KEY] + ["0x" + Web3.keccak(text=f"ankr-devnet-{i}").hex().removeprefix("0x") for i in (1, 2, 3, 4, 5)]


def rpc(url, method, params):
    """The whole JSON-RPC reply of one call (result or error)."""
    return requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=10).json()


def test_a_dev_node_sends_deploys_and_signs_with_its_unlocked_account(node):
    w3 = node.web3()
    assert w3.eth.accounts == [DEV_ADDRESS]
    assert rpc(node.url, "personal_listAccounts", [])["result"] == [DEV_ADDRESS]
    me = w3.eth.accounts[0]

    # web3.py's send_transaction (it adds gas and fees itself; the node the nonce, chain id and signature).
    sent = w3.eth.send_transaction({"from": me, "to": BOB, "value": 12345})
    receipt = w3.eth.wait_for_transaction_receipt(sent, timeout=30)
    assert receipt.status == 1 and w3.eth.get_balance(BOB) == 12345
    # Bare eth_sendTransaction: nonce, gas, EIP-1559 fees and chain id all filled in by the node.
    bare = rpc(node.url, "eth_sendTransaction", [{"from": me, "to": BOB, "value": "0x1"}])["result"]
    assert w3.eth.wait_for_transaction_receipt(bare, timeout=30).status == 1
    tx = w3.eth.get_transaction(bare)
    assert (tx["type"], tx["chainId"], tx["gas"], tx["nonce"], tx["maxPriorityFeePerGas"]) == (2, 7331, 21000, 1, 10**9)

    # A Vyper contract deployed and called through eth_sendTransaction alone.
    abi, initcode, runtime = compile_vyper("Token.vy")
    deploy = w3.eth.contract(abi=abi, bytecode=initcode).constructor("Dev Token", "DEV", 1000).transact({"from": me})
    deployed = w3.eth.wait_for_transaction_receipt(deploy, timeout=30)
    assert deployed.status == 1 and w3.eth.get_code(deployed.contractAddress) == bytes.fromhex(runtime[2:])
    token = w3.eth.contract(address=deployed.contractAddress, abi=abi)
    moved = w3.eth.wait_for_transaction_receipt(token.functions.transfer(BOB, 400).transact({"from": me}), timeout=30)
    assert moved.status == 1 and token.functions.balanceOf(BOB).call() == 400

    # eth_sign and personal_sign: EIP-191 signatures eth-account recovers to the account.
    message = b"sign in to Ankr"
    signature = w3.eth.sign(me, data=message)
    assert Account.recover_message(encode_defunct(message), signature=signature) == me
    assert signature == Account.sign_message(encode_defunct(message), DEV_KEY).signature
    personal = rpc(node.url, "personal_sign", ["0x" + message.hex(), me])["result"]
    assert personal == "0x" + bytes(signature).hex()

    # eth_signTransaction: {raw, tx}; the raw decodes to the fields given and is sent as it is.
    nonce = w3.eth.get_transaction_count(me, "pending")
    signed = w3.eth.sign_transaction({"from": me, "to": BOB, "value": 7, "gas": 21000, "nonce": nonce,
                                      "maxFeePerGas": 3 * 10**9, "maxPriorityFeePerGas": 10**9})
    raw = bytes(signed["raw"])
    assert Account.recover_transaction(raw) == me
    decoded = TypedTransaction.from_bytes(HexBytes(raw)).as_dict()
    assert (decoded["nonce"], decoded["value"], decoded["gas"], decoded["chainId"]) == (nonce, 7, 21000, 7331)
    assert signed["tx"]["hash"] == Web3.keccak(raw)
    landed = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(raw), timeout=30)
    assert landed.status == 1 and w3.eth.get_balance(BOB) == 12353


def test_fill_transaction_completes_a_transaction_that_a_local_key_signs(node):
    w3 = node.web3()
    filled = rpc(node.url, "eth_fillTransaction", [{"from": DEV_ADDRESS, "to": BOB, "value": "0x5"}])["result"]
    tx = filled["tx"]
    assert tx["type"] == "0x2" and tx["chainId"] == "0x1ca3" and tx["gas"] == "0x5208" and tx["v"] == "0x0"
    raw = bytes.fromhex(filled["raw"][2:])
    assert raw[0] == 2, "an unsigned EIP-1559 envelope"
    local = Account.sign_transaction({k: int(tx[k], 16) for k in ("nonce", "gas", "value", "maxFeePerGas", "maxPriorityFeePerGas", "chainId")}
                                     | {"to": tx["to"], "data": tx["input"], "type": 2, "accessList": []}, DEV_KEY)
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(local.raw_transaction), timeout=30)
    assert receipt.status == 1 and w3.eth.get_balance(BOB) == 5


def test_malformed_and_out_of_range_params_get_clear_errors_and_the_node_keeps_serving(node):
    cases = [
        ("eth_sendTransaction", [{"from": DEV_ADDRESS, "to": BOB, "value": "0x1" + "0" * 64}], -32602, "value"),
        ("eth_sendTransaction", [{"from": DEV_ADDRESS, "to": BOB, "nonce": "0x10000000000000000"}], -32602, "nonce"),
        ("eth_sendTransaction", [{"from": DEV_ADDRESS, "to": "0x1234"}], -32602, "to"),
        ("eth_sendTransaction", [{"from": DEV_ADDRESS, "to": BOB, "accessList": [{"address": BOB, "storageKeys": ["0x01"]}]}], -32602, "storage key"),
        ("eth_sendTransaction", [{"from": DEV_ADDRESS, "to": BOB, "chainId": "0x1"}], -32000, "chainId does not match"),
        ("eth_sendTransaction", [{"from": DEV_ADDRESS, "to": BOB, "type": "0x3"}], -32000, "blob"),
        ("eth_sendTransaction", [{"from": DEV_ADDRESS, "to": BOB, "gasPrice": "0x1", "maxFeePerGas": "0x1"}], -32000, "both gasPrice"),
        ("eth_sendTransaction", ["0x00"], -32602, "transaction must be an object"),
        ("eth_sign", [DEV_ADDRESS, "not hex"], -32602, "message"),
        ("eth_sign", [BOB, "0x01"], -32000, "unknown account"),
        ("eth_signTransaction", [{"from": DEV_ADDRESS, "to": BOB}], -32000, "gas not specified"),
        ("personal_sign", ["0x01", DEV_ADDRESS, {"password": 1}], -32602, "password"),
    ]
    for method, params, code, words in cases:
        error = rpc(node.url, method, params)["error"]
        assert error["code"] == code and words in error["message"], (method, params, error)
    # A 1 MB message is signed (the body limit bounds it), and the node still answers.
    big = "0x" + "ab" * 1_000_000
    assert len(rpc(node.url, "eth_sign", [DEV_ADDRESS, big])["result"]) == 132
    assert node.web3().eth.block_number >= 0


def test_a_hand_written_genesis_funding_the_same_keys_unlocks_nothing(tmp_path):
    genesis = {"config": {"chainId": 7331, "ankr": {"blockTimeSeconds": 5}}, "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00",
               "difficulty": "0x1", "alloc": {Account.from_key(k).address: {"balance": hex(10**24)} for k in DEVNET_KEYS}}
    path = tmp_path / "genesis.json"
    path.write_text(json.dumps(genesis))
    datadir = tmp_path / "node"
    ankr("init", "--genesis", str(path), "--datadir", str(datadir))
    # --dev on an initialized datadir keeps its genesis: the flag alone unlocks nothing either.
    n = NodeProcess(str(datadir), ["--dev.period", "0"]).start()
    try:
        w3 = n.web3()
        assert w3.eth.accounts == []
        with pytest.raises(Web3RPCError, match="unknown account"):
            w3.eth.send_transaction({"from": DEV_ADDRESS, "to": BOB, "value": 1})
        for method, params in [("eth_sign", [DEV_ADDRESS, "0x01"]), ("personal_sign", ["0x01", DEV_ADDRESS]),
                               ("eth_signTransaction", [{"from": DEV_ADDRESS, "to": BOB, "gas": "0x5208", "gasPrice": "0x1", "nonce": "0x0"}])]:
            error = rpc(n.url, method, params)["error"]
            assert error["code"] == -32000 and error["message"].startswith("unknown account"), error
            assert "only on development chains" in error["message"]
        # Filling signs nothing, so it works here too.
        assert rpc(n.url, "eth_fillTransaction", [{"from": DEV_ADDRESS, "to": BOB}])["result"]["tx"]["gas"] == "0x5208"
    finally:
        n.stop()


@pytest.fixture
def dev_devnet():
    """A one-node dev-sealing devnet; yields its RPC URL."""
    with tempfile.TemporaryDirectory(prefix="ankr-devacct-") as d:
        proc = subprocess.Popen([ANKR, "devnet", "--nodes", "1", "--consensus", "dev", "--dir", d, "--http.port", "0", "--period", "1",
                                 "--status", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            url = None
            deadline = time.time() + 60
            while url is None and time.time() < deadline:
                m = re.search(r"^node0\s+(http://127\.0\.0\.1:\d+)", proc.stdout.readline() or "")
                if m:
                    url = m.group(1)
            assert url, "devnet did not start"
            yield url
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)


def test_a_devnet_unlocks_the_four_keys_it_prints(dev_devnet):
    w3 = Web3(Web3.HTTPProvider(dev_devnet, request_kwargs={"timeout": 10}))
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            accounts = w3.eth.accounts
            break
        except requests.exceptions.ConnectionError:
            time.sleep(0.2)
    assert accounts == [Account.from_key(k).address for k in DEVNET_KEYS]
    sent = w3.eth.send_transaction({"from": accounts[3], "to": BOB, "value": 99})
    assert w3.eth.wait_for_transaction_receipt(sent, timeout=30).status == 1
    assert w3.eth.get_balance(BOB) == 99
