"""Issue 20: every method of the execution-apis specification, called on a real `ankr node --dev` with some
history, answers what the specification's result schema allows (and the error codes it names).

The specification (../shared/vectors/execution-apis/src, OpenRPC in YAML) is assembled here: the method
lists of src/eth, src/debug and src/txpool, the schemas of src/schemas as `#/components/schemas/*` and the
error groups of src/error-groups as `#/components/error-groups/*`.

Who serves which method (issue 20's split; a method of a part not yet landed fails here until it does):
  helper E  eth_/net_/web3_/txpool_ reads, eth_call/estimateGas, eth_simulateV1, eth_config, eth_capabilities, …
  helper S  eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter, eth_getFilterChanges,
            eth_getFilterLogs, eth_uninstallFilter
  helper F  eth_accounts (dev keys), eth_sendTransaction, eth_sign, eth_signTransaction, eth_fillTransaction
  helper T2 debug_* (getRaw*, getBadBlocks, trace*), eth_createAccessList
"""
import glob
import json
import os
import re
import subprocess
import urllib.request

import jsonschema
import pytest
import yaml
from eth_account import Account

from conftest import ANKR, DEV_ADDRESS, DEV_KEY, NodeProcess, wait_for

SPEC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
                    "shared", "vectors", "execution-apis", "src")
BOB = "0x3535353535353535353535353535353535353535"
TOPIC = "0x" + "ab" * 32


def load_spec():
    """(methods by name, components) of the specification."""
    methods = {}
    for folder in ("eth", "debug", "txpool"):
        for path in sorted(glob.glob(os.path.join(SPEC, folder, "*.yaml"))):
            with open(path) as f:
                for m in yaml.safe_load(f) or []:
                    methods[m["name"]] = m
    schemas = {}
    for path in sorted(glob.glob(os.path.join(SPEC, "schemas", "*.yaml"))):
        with open(path) as f:
            schemas.update(yaml.safe_load(f) or {})
    groups = {}
    for path in sorted(glob.glob(os.path.join(SPEC, "error-groups", "*.yaml"))):
        with open(path) as f:
            groups.update(yaml.safe_load(f) or {})
    return methods, {"schemas": schemas, "error-groups": groups}


METHODS, COMPONENTS = load_spec()


def relax_array_alternatives(node):
    """The spec offers some results as oneOf[array of logs, array of hashes]: an empty list matches both, so no
    answer of "nothing" could pass `oneOf`. Such alternatives (all arrays) are checked as anyOf; all else is unchanged."""
    if isinstance(node, dict):
        out = {k: relax_array_alternatives(v) for k, v in node.items()}
        if "oneOf" in out and all(isinstance(b, dict) and b.get("type") == "array" for b in out["oneOf"]):
            out["anyOf"] = out.pop("oneOf")
        return out
    if isinstance(node, list):
        return [relax_array_alternatives(v) for v in node]
    return node


def validator(schema):
    """A 2020-12 validator (where `$ref` beside other keywords counts, as the spec writes it) whose `#/components/…` resolve."""
    return jsonschema.Draft202012Validator(relax_array_alternatives({**schema, "components": COMPONENTS}))


def check(method, result):
    errors = sorted(validator(METHODS[method]["result"]["schema"]).iter_errors(result), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method} answer breaks its schema: " + "; ".join(
        f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:5]) + f"\nanswer: {json.dumps(result)[:2000]}"


def rpc(url, method, params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def result(url, method, params):
    answer = rpc(url, method, params)
    assert "error" not in answer, f"{method}{params}: {answer['error']}"
    return answer["result"]


def error(url, method, params):
    answer = rpc(url, method, params)
    assert "error" in answer, f"{method}{params} answered {answer.get('result')!r}"
    return answer["error"]


def contract_initcode():
    """A contract that, called without data, stores the timestamp in slot 0 and logs TOPIC with data 1;
    called with data, reverts with the word 42."""
    emit = bytes.fromhex("42600055" "6001600052" "7f") + bytes.fromhex(TOPIC[2:]) + bytes.fromhex("60206000a1" "00")
    head_len = 4  # CALLDATASIZE PUSH1 <dest> JUMPI
    dest = head_len + len(emit)
    revert = bytes.fromhex("5b" "602a600052" "60206000fd")
    runtime = bytes.fromhex("3660") + bytes([dest]) + bytes.fromhex("57") + emit + revert
    init = bytes.fromhex("60") + bytes([len(runtime)]) + bytes.fromhex("80600b6000396000f3")
    assert len(init) == 11
    return "0x" + (init + runtime).hex()


def all_apis():
    """Every namespace this binary knows (from its refusal of an unknown one), so no method is left unserved."""
    out = subprocess.run([ANKR, "node", "--dev", "--datadir", "/nonexistent-ankr", "--http.api", "nosuchapi"],
                         capture_output=True, text=True, timeout=60)
    m = re.search(r"known: ([a-z0-9, ]+)\)", out.stderr)
    assert m, out.stderr
    return m.group(1).replace(" ", "")


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A dev node with history: a transfer, a contract that logs, a call emitting its event, a failed
    (reverted) transaction, and a transaction queued behind a nonce gap."""
    datadir = str(tmp_path_factory.mktemp("schema"))
    node = NodeProcess(datadir, ["--http.api", all_apis()]).start()
    url = node.url
    try:
        chain_id = int(result(url, "eth_chainId", []), 16)

        def send(nonce, **tx):
            tx = {"nonce": nonce, "chainId": chain_id, "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9, "value": 0, **tx}
            raw = Account.sign_transaction(tx, DEV_KEY).raw_transaction
            return result(url, "eth_sendRawTransaction", ["0x" + raw.hex().removeprefix("0x")])

        def mined(h):
            wait_for(lambda: result(url, "eth_getTransactionReceipt", [h]) is not None, 30, f"receipt of {h}")
            return result(url, "eth_getTransactionReceipt", [h])

        transfer = mined(send(0, to=BOB, value=10**18, gas=21000))
        deploy = mined(send(1, data=contract_initcode(), gas=200_000))
        contract = deploy["contractAddress"]
        emitted = mined(send(2, to=contract, gas=100_000))
        failed = mined(send(3, to=contract, data="0x01", gas=100_000))
        assert (transfer["status"], deploy["status"], emitted["status"], failed["status"]) == ("0x1", "0x1", "0x1", "0x0")
        # A filter installed before a log and a block, so eth_getFilterChanges has something to answer (an empty
        # list matches both of the spec's oneOf branches, which no answer can satisfy).
        watching = rpc(url, "eth_newFilter", [{"address": contract, "topics": [TOPIC]}]).get("result")
        mined(send(4, to=contract, gas=100_000))
        queued = send(9, to=BOB, value=1, gas=21000)
        yield {"url": url, "contract": contract, "transfer": transfer, "emitted": emitted, "failed": failed, "queued": queued,
               "chain_id": chain_id, "watching": watching}
    finally:
        node.stop()


def params_for(method, c):
    """Meaningful parameters for each specified method, on the chain the fixture built."""
    url, contract, emitted = c["url"], c["contract"], c["emitted"]
    block_hash, block_number, tx_hash = emitted["blockHash"], emitted["blockNumber"], emitted["transactionHash"]
    call = {"from": DEV_ADDRESS, "to": contract}
    log_filter = {"fromBlock": "0x0", "toBlock": "latest", "address": contract, "topics": [TOPIC]}
    simulate = {"blockStateCalls": [
        {"blockOverrides": {"baseFeePerGas": "0x0"},
         "stateOverrides": {BOB: {"balance": hex(10**20)}, contract: {"stateDiff": {"0x" + "00" * 32: "0x" + "00" * 31 + "07"}}},
         "calls": [{"from": BOB, "to": DEV_ADDRESS, "value": "0x1"}, {"from": DEV_ADDRESS, "to": contract},
                   {"from": DEV_ADDRESS, "to": contract, "input": "0x01"}]},
        {"blockOverrides": {"number": hex(int(result(url, "eth_blockNumber", []), 16) + 5)},
         "calls": [{"from": DEV_ADDRESS, "to": BOB, "value": "0x2"}]},
    ], "traceTransfers": True, "returnFullTransactions": True}
    table = {
        "eth_accounts": [], "eth_blockNumber": [], "eth_chainId": [], "eth_coinbase": [], "eth_syncing": [], "net_version": [],
        "eth_gasPrice": [], "eth_maxPriorityFeePerGas": [], "eth_baseFee": [], "eth_blobBaseFee": [], "eth_config": [],
        "eth_capabilities": [], "txpool_status": [], "txpool_content": [], "txpool_contentFrom": [DEV_ADDRESS],
        "eth_feeHistory": ["0x4", "latest", [25, 75]],
        "eth_getBalance": [DEV_ADDRESS, "latest"], "eth_getTransactionCount": [DEV_ADDRESS, "latest"],
        "eth_getCode": [contract, "latest"], "eth_getStorageAt": [contract, "0x0", "latest"],
        "eth_getStorageValues": [{contract: ["0x0", "0x" + "00" * 32], BOB: ["0x1"]}, "latest"],
        "eth_getProof": [contract, ["0x0"], "latest"],
        "eth_getBlockByHash": [block_hash, True], "eth_getBlockByNumber": [block_number, False],
        "eth_getBlockTransactionCountByHash": [block_hash], "eth_getBlockTransactionCountByNumber": [block_number],
        "eth_getBlockReceipts": [block_number], "eth_getBlockAccessList": [block_number],
        "eth_getTransactionByHash": [tx_hash], "eth_getTransactionReceipt": [c["failed"]["transactionHash"]],
        "eth_getTransactionByBlockHashAndIndex": [block_hash, "0x0"], "eth_getTransactionByBlockNumberAndIndex": [block_number, "0x0"],
        "eth_getLogs": [log_filter], "eth_call": [call, "latest"], "eth_estimateGas": [call], "eth_createAccessList": [call, "latest"],
        "eth_simulateV1": [simulate, "latest"],
        "eth_sendRawTransaction": None,  # called in the fixture; its answer is checked below
        "eth_newFilter": [log_filter], "eth_newBlockFilter": [], "eth_newPendingTransactionFilter": [],
        "eth_sign": [DEV_ADDRESS, "0xdeadbeef"],
        "eth_signTransaction": [{"from": DEV_ADDRESS, "to": BOB, "value": "0x1", "gas": "0x5208", "maxFeePerGas": hex(10**11),
                                 "maxPriorityFeePerGas": hex(10**9), "nonce": "0x20"}],
        "eth_fillTransaction": [{"from": DEV_ADDRESS, "to": BOB, "value": "0x1"}],
        "eth_sendTransaction": [{"from": DEV_ADDRESS, "to": BOB, "value": "0x1"}],
        "debug_getRawHeader": [block_number], "debug_getRawBlock": [block_number], "debug_getRawReceipts": [block_number],
        "debug_getRawTransaction": [tx_hash], "debug_getRawBlockAccessList": [block_number], "debug_getBadBlocks": [],
        "debug_traceTransaction": [tx_hash, {"tracer": "callTracer"}], "debug_traceBlockByNumber": [block_number, {}],
        "debug_traceBlockByHash": [block_hash, {"tracer": "callTracer", "tracerConfig": {"withLog": True}}],
    }
    if method == "eth_getFilterChanges":
        return [c["watching"]]
    if method in ("eth_getFilterLogs", "eth_uninstallFilter"):
        return [result(url, "eth_newFilter", [log_filter])]
    return table[method]


def test_the_spec_is_assembled_and_its_refs_resolve():
    assert len(METHODS) >= 50 and "eth_simulateV1" in METHODS and "txpool_content" in METHODS
    def refs(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    yield v
                else:
                    yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)
    def resolves(ref):
        section, _, name = ref.removeprefix("#/components/").partition("/")
        return name in COMPONENTS.get(section, {})
    dangling = {r for r in refs([METHODS, COMPONENTS]) if not resolves(r)}
    assert not dangling


# What a chain without the feature answers, as the spec's error list names it: Ankr runs no Amsterdam, so its blocks
# have no EIP-7928 access list ("resource not found").
WITHOUT_FEATURE = {"eth_getBlockAccessList": -32001, "debug_getRawBlockAccessList": -32001}


@pytest.mark.parametrize("method", sorted(METHODS))
def test_answer_matches_the_result_schema(chain, method):
    if method == "eth_sendRawTransaction":
        check(method, chain["queued"])
        return
    params = params_for(method, chain)
    if method in WITHOUT_FEATURE:
        code = error(chain["url"], method, params)["code"]
        assert code == WITHOUT_FEATURE[method] and code in [e["code"] for e in METHODS[method]["errors"]]
        if method.startswith("eth_"):  # an unknown block is the schema's notFound
            check(method, None)
            assert result(chain["url"], method, ["0x" + "00" * 32]) is None
        return
    check(method, result(chain["url"], method, params))


# Examples whose parameters spend, sign or name another chain's objects are not replayed here.
EXAMPLE_SKIP = {"eth_sendRawTransaction", "eth_sendTransaction", "eth_sign", "eth_signTransaction", "eth_fillTransaction",
                "eth_getFilterChanges", "eth_getFilterLogs", "eth_uninstallFilter"}


@pytest.mark.parametrize("method", sorted(m for m in METHODS if m not in EXAMPLE_SKIP))
def test_spec_examples_are_answered_within_the_schema(chain, method):
    """The spec's own example parameters (mainnet objects, absent here): each answer is schema-valid or a clean error."""
    for example in METHODS[method].get("examples", []):
        answer = rpc(chain["url"], method, [p["value"] for p in example.get("params", [])])
        if "error" in answer:
            assert isinstance(answer["error"].get("code"), int) and isinstance(answer["error"].get("message"), str), answer
            assert answer["error"]["code"] not in (-32601, -32603), f"{example['name']}: {answer['error']}"
        else:
            check(method, answer["result"])


def test_answers_carry_the_history(chain):
    url, contract = chain["url"], chain["contract"]
    emitted = chain["emitted"]
    receipts = result(url, "eth_getBlockReceipts", [emitted["blockHash"]])
    assert [r["transactionHash"] for r in receipts] == [emitted["transactionHash"]]
    assert receipts[0]["logs"][0]["topics"] == [TOPIC]
    tx = result(url, "eth_getTransactionByBlockNumberAndIndex", [emitted["blockNumber"], "0x0"])
    assert tx["hash"] == emitted["transactionHash"] and tx["blockTimestamp"]
    assert result(url, "eth_getTransactionByBlockHashAndIndex", [emitted["blockHash"], "0x5"]) is None
    assert result(url, "eth_getBlockTransactionCountByHash", [emitted["blockHash"]]) == "0x1"
    assert result(url, "eth_getBlockTransactionCountByHash", ["0x" + "00" * 32]) is None
    stored = result(url, "eth_getStorageAt", [contract, "0x0", "latest"])
    values = result(url, "eth_getStorageValues", [{contract: ["0x0"]}])
    assert values == {contract: [stored]} and int(stored, 16) > 0
    pool = result(url, "txpool_contentFrom", [DEV_ADDRESS])
    assert list(pool["queued"]) == ["9"] and pool["pending"] == {}
    assert result(url, "txpool_status", []) == {"pending": "0x0", "queued": "0x1"}
    assert error(url, "eth_getBlockAccessList", ["latest"])["code"] == -32001
    config = result(url, "eth_config", [])
    assert config["current"]["chainId"] == hex(chain["chain_id"]) and config["next"] is None
    assert result(url, "eth_capabilities", [])["head"]["number"] == result(url, "eth_blockNumber", [])


def test_simulation_builds_blocks_on_each_other(chain):
    url, contract = chain["url"], chain["contract"]
    head = int(result(url, "eth_blockNumber", []), 16)
    blocks = result(url, "eth_simulateV1", [params_for("eth_simulateV1", chain)[0], "latest"])
    # The second block asked for head+5 after head+1: three empty blocks fill the gap.
    assert [int(b["number"], 16) for b in blocks] == list(range(head + 1, head + 6))
    assert [b["parentHash"] for b in blocks[1:]] == [b["hash"] for b in blocks[:-1]]
    first = blocks[0]["calls"]
    assert first[0]["status"] == "0x1" and first[0]["logs"][0]["address"].lower() == "0x" + "ee" * 20
    assert first[1]["status"] == "0x1" and first[1]["logs"][0]["topics"] == [TOPIC]
    assert first[2]["status"] == "0x0" and first[2]["error"]["code"] == 3 and first[2]["returnData"] == "0x" + "00" * 31 + "2a"
    assert blocks[0]["transactions"][0]["from"].lower() == BOB.lower()
    assert [len(b["calls"]) for b in blocks] == [3, 0, 0, 0, 1]
    # State carries over: BOB's nonce went up in block 1, and the override's slot was read by block 1's call before being written.
    chained = result(url, "eth_simulateV1", [{"blockStateCalls": [
        {"stateOverrides": {BOB: {"balance": hex(10**20)}}, "calls": [{"from": BOB, "to": DEV_ADDRESS, "value": "0x1"}]},
        {"calls": [{"from": BOB, "to": DEV_ADDRESS, "value": "0x1"}]}]}, "latest"])
    assert [len(b["transactions"]) for b in chained] == [1, 1] and all(b["calls"][0]["status"] == "0x1" for b in chained)
    assert chained[0]["stateRoot"] != chained[1]["stateRoot"]


def test_error_codes_are_the_specified_ones(chain):
    url, contract = chain["url"], chain["contract"]
    reverted = error(url, "eth_call", [{"from": DEV_ADDRESS, "to": contract, "data": "0x01"}, "latest"])
    assert reverted["code"] == 3 and reverted["data"] == "0x" + "00" * 31 + "2a"
    assert error(url, "eth_estimateGas", [{"from": DEV_ADDRESS, "to": contract, "data": "0x01"}])["code"] == 3
    assert error(url, "eth_nosuchmethod", [])["code"] == -32601
    assert error(url, "eth_getBalance", ["0x1234", "latest"])["code"] == -32602
    assert error(url, "eth_getBlockByNumber", ["tomorrow", False])["code"] == -32602
    one = {"from": DEV_ADDRESS, "to": BOB, "value": "0x1"}
    out_of_order = [{"blockOverrides": {"number": "0x100"}}, {"blockOverrides": {"number": "0x50"}}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": out_of_order}])["code"] == -38020
    backwards = [{"blockOverrides": {"time": hex(2**40)}}, {"blockOverrides": {"time": "0x1"}}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": backwards}])["code"] == -38021
    low_nonce = [{"calls": [{**one, "nonce": "0x0", "maxFeePerGas": hex(10**12)}]}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": low_nonce, "validation": True}])["code"] == -38010
    high_nonce = [{"calls": [{**one, "nonce": "0x99", "maxFeePerGas": hex(10**12)}]}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": high_nonce, "validation": True}])["code"] == -38011
    cheap = [{"calls": [{**one, "maxFeePerGas": "0x0"}]}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": cheap, "validation": True}])["code"] == -38012
    poor = [{"calls": [{"from": "0x" + "77" * 20, "to": BOB, "value": "0x1"}]}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": poor}])["code"] == -38014
    starved = [{"calls": [{**one, "gas": "0x100"}]}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": starved}])["code"] == -38013
    greedy = [{"blockOverrides": {"gasLimit": "0x5208"}, "calls": [{**one, "gas": "0x5208"}, {**one, "gas": "0x5208"}]}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": greedy}])["code"] == -38015


def test_hostile_parameters_are_refused_cleanly(chain):
    url, contract = chain["url"], chain["contract"]
    many_blocks = [{}] * 257
    assert error(url, "eth_simulateV1", [{"blockStateCalls": many_blocks}])["code"] == -38026
    far = [{"blockOverrides": {"number": hex(2**63)}}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": far}])["code"] == -38026
    top = [{"blockOverrides": {"number": hex(2**64 - 1)}}, {}]
    assert error(url, "eth_simulateV1", [{"blockStateCalls": top}])["code"] in (-38020, -38026)
    for bad in ([], [None], [{"blockStateCalls": "x"}], [{"blockStateCalls": [1]}], [{"blockStateCalls": [{"calls": [1]}]}],
                [{"blockStateCalls": [{"stateOverrides": {"0x12": {}}}]}],
                [{"blockStateCalls": [{"stateOverrides": {BOB: {"state": {}, "stateDiff": {}}}}]}],
                [{"blockStateCalls": [{"stateOverrides": {BOB: {"movePrecompileToAddress": BOB}}}]}],
                [{"blockStateCalls": [{"blockOverrides": {"withdrawals": []}}]}],
                [{"blockStateCalls": [], "validation": "yes"}]):
        assert error(url, "eth_simulateV1", bad)["code"] == -32602, bad
    spinner = {"stateOverrides": {BOB: {"code": "0x5b600056"}}, "calls": [{"to": BOB, "gas": hex(50_000_000)}]}
    big = [{"blockOverrides": {"gasLimit": hex(2**40)}, **spinner}]
    answer = rpc(url, "eth_simulateV1", [{"blockStateCalls": big}])
    # The spinner runs out of the 50M gas budget (or the time limit): never hangs the node.
    assert "error" in answer or answer["result"][0]["calls"][0]["status"] == "0x0"
    keys = {contract: ["0x%x" % i for i in range(1025)]}
    assert error(url, "eth_getStorageValues", [keys])["code"] == -32602
    assert error(url, "eth_getStorageValues", [{"0xnothex": ["0x0"]}])["code"] == -32602
    assert error(url, "eth_getStorageValues", [{contract: "0x0"}])["code"] == -32602
    assert error(url, "eth_getTransactionByBlockNumberAndIndex", ["latest", hex(2**70)])["code"] == -32602
    assert result(url, "eth_getTransactionByBlockNumberAndIndex", ["latest", hex(2**64 - 1)]) is None
    assert error(url, "eth_getBlockReceipts", ["0x" + "zz" * 32])["code"] == -32602
    assert result(url, "eth_getBlockReceipts", ["0x" + "00" * 32]) is None
    assert result(url, "eth_getBlockReceipts", [hex(2**63)]) is None
    assert error(url, "txpool_contentFrom", ["0x12"])["code"] == -32602
    assert error(url, "eth_coinbase", [1])["code"] == -32602
