"""The debug namespace over a real `ankr node --dev`: raw RLP that hashes to what the chain reports,
geth-shaped traces of mined transactions, blocks and calls, eth_createAccessList, the namespace's
default exposure, and clear errors for malformed, oversized and runaway requests."""
import json
import urllib.request

import pytest
import rlp
from eth_account import Account
from web3 import Web3

from conftest import DEV_ADDRESS, DEV_KEY, NodeProcess

# Runtime: PUSH1 0 CALLDATALOAD PUSH1 1 SSTORE STOP (stores its first calldata word in slot 1).
STORE_RUNTIME = "60003560015500"
# Initcode: CODECOPY the 7 runtime bytes from offset 12 and RETURN them.
STORE_INITCODE = "0x6007600c60003960076000f3" + STORE_RUNTIME
# Initcode that never ends: JUMPDEST PUSH1 0 JUMP.
SPINNER = "0x5b600056"


def call(url, method, params, timeout=30):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def result(url, method, params):
    reply = call(url, method, params)
    assert "error" not in reply, (method, params, reply)
    return reply["result"]


def send(w3, nonce, to=None, data="0x", gas=200_000):
    tx = {"value": 0, "gas": gas, "nonce": nonce, "chainId": w3.eth.chain_id, "data": data,
          "maxFeePerGas": 10 * 10**9, "maxPriorityFeePerGas": 10**9}
    if to:
        tx["to"] = to
    h = w3.eth.send_raw_transaction(Account.sign_transaction(tx, DEV_KEY).raw_transaction)
    return w3.eth.wait_for_transaction_receipt(h, timeout=20)


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A dev node with a deployed store contract and one call to it (storing 5)."""
    node = NodeProcess(str(tmp_path_factory.mktemp("debug"))).start()
    try:
        w3 = node.web3()
        deployed = send(w3, 0, data=STORE_INITCODE)
        store = deployed["contractAddress"]
        stored = send(w3, 1, to=store, data="0x" + (5).to_bytes(32, "big").hex())
        yield node, store, deployed, stored
    finally:
        node.stop()


def test_raw_data_hashes_to_what_the_chain_reports(chain):
    node, store, deployed, stored = chain
    w3 = node.web3()
    block = w3.eth.get_block(stored["blockNumber"])
    header = bytes.fromhex(result(node.url, "debug_getRawHeader", [hex(block.number)])[2:])
    assert Web3.keccak(header) == block.hash
    raw_block = bytes.fromhex(result(node.url, "debug_getRawBlock", [hex(block.number)])[2:])
    assert Web3.keccak(rlp.encode(rlp.decode(raw_block)[0])) == block.hash
    raw_tx = bytes.fromhex(result(node.url, "debug_getRawTransaction", [stored["transactionHash"].to_0x_hex()])[2:])
    assert Web3.keccak(raw_tx) == stored["transactionHash"]
    receipts = result(node.url, "debug_getRawReceipts", [hex(block.number)])
    assert len(receipts) == len(block.transactions) and receipts[0].startswith("0x02")
    assert result(node.url, "debug_getBadBlocks", []) == []
    assert result(node.url, "debug_getRawTransaction", ["0x" + "ab" * 32]) == "0x"


def test_traces_have_geths_shapes(chain):
    node, store, deployed, stored = chain
    tx = stored["transactionHash"].to_0x_hex()
    trace = result(node.url, "debug_traceTransaction", [tx])
    assert trace["gas"] == stored["gasUsed"] and trace["failed"] is False and trace["returnValue"] == "0x"
    assert [s["op"] for s in trace["structLogs"]] == ["PUSH1", "CALLDATALOAD", "PUSH1", "SSTORE", "STOP"]
    sstore = trace["structLogs"][3]
    assert sstore["stack"] == ["0x5", "0x1"] and sstore["depth"] == 1 and sstore["gasCost"] == 22_100
    assert sstore["storage"] == {"0x" + "00" * 31 + "01": "0x" + "00" * 31 + "05"}

    top = result(node.url, "debug_traceTransaction", [tx, {"tracer": "callTracer"}])
    assert top["type"] == "CALL" and top["to"].lower() == store.lower() and int(top["gasUsed"], 16) == stored["gasUsed"]
    creation = result(node.url, "debug_traceTransaction", [deployed["transactionHash"].to_0x_hex(), {"tracer": "callTracer"}])
    assert creation["type"] == "CREATE" and creation["output"] == "0x" + STORE_RUNTIME

    blocks = result(node.url, "debug_traceBlockByNumber", [hex(stored["blockNumber"])])
    assert [b["txHash"] for b in blocks] == [tx] and blocks[0]["result"] == trace
    assert result(node.url, "debug_traceBlockByHash", [stored["blockHash"].to_0x_hex()]) == blocks

    called = result(node.url, "debug_traceCall", [{"from": DEV_ADDRESS, "to": store, "data": "0x" + "00" * 31 + "07"}, "latest"])
    assert [s["op"] for s in called["structLogs"]][-1] == "STOP" and called["failed"] is False


def test_access_list_names_the_slots_a_call_touches(chain):
    node, store, deployed, stored = chain
    answer = result(node.url, "eth_createAccessList", [{"from": DEV_ADDRESS, "to": store, "data": "0x" + "00" * 31 + "09"}, "latest"])
    assert answer["accessList"] == [{"address": Web3.to_checksum_address(store), "storageKeys": ["0x" + "00" * 31 + "01"]}]
    assert int(answer["gasUsed"], 16) > 21_000 and "error" not in answer


def test_hostile_requests_get_clear_errors(chain):
    node, store, deployed, stored = chain
    tx = stored["transactionHash"].to_0x_hex()
    for method, params in [
        ("debug_traceTransaction", []), ("debug_traceTransaction", ["0x12"]), ("debug_traceTransaction", [tx, {"tracer": "prestateTracer"}]),
        ("debug_traceTransaction", [tx, {"timeout": "forever"}]), ("debug_traceTransaction", [tx, {"timeout": "9" * 100_000 + "s"}]),
        ("debug_traceTransaction", [tx, {"limit": -1}]), ("debug_traceTransaction", [tx, "callTracer"]),
        ("debug_traceBlockByNumber", ["0x" + "f" * 20]), ("debug_traceBlockByHash", [[1, 2, 3]]),
        ("debug_getRawBlock", [{"blockHash": "0x12"}]), ("debug_getRawHeader", []), ("eth_createAccessList", [{"to": "0x1234"}]),
        ("debug_traceCall", [{"to": store, "data": "0x" + "zz" * 10}]),
    ]:
        assert call(node.url, method, params)["error"]["code"] == -32602, (method, str(params)[:80])
    assert call(node.url, "debug_traceTransaction", ["0x" + "ab" * 32])["error"]["code"] == -32000
    assert call(node.url, "debug_traceBlockByNumber", ["0x0"])["error"]["message"] == "genesis is not traceable"
    assert call(node.url, "debug_getRawBlock", ["0xffffff"])["error"]["code"] == -32000
    # A call that would spin through the block's gas stops at its timeout.
    spun = call(node.url, "debug_traceCall", [{"from": DEV_ADDRESS, "data": SPINNER}, "latest", {"tracer": "callTracer", "timeout": "100ms"}])
    assert spun["error"] == {"code": -32000, "message": "execution aborted (timeout = 100ms)"}
    # The node still answers.
    assert call(node.url, "eth_blockNumber", [])["result"] == hex(stored["blockNumber"])


def test_debug_is_served_on_dev_chains_unless_the_namespaces_are_chosen(tmp_path):
    node = NodeProcess(str(tmp_path), ["--http.api", "eth,net,web3"]).start()
    try:
        refused = call(node.url, "debug_getRawHeader", ["latest"])["error"]
        assert refused["code"] == -32601 and "the debug API is not enabled" in refused["message"]
        assert "result" in call(node.url, "eth_createAccessList", [{"to": DEV_ADDRESS}])
    finally:
        node.stop()
