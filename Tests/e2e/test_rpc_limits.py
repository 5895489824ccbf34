"""Issue 17 over a real `ankr node`: geth's RPC guards (`--http.api`, `--rpc.evmtimeout`,
`--rpc.allow-unprotected-txs`) and the cap on concurrent expensive calls (`--rpc.maxconcurrent`)."""
import concurrent.futures
import json
import os
import subprocess
import time
import urllib.request

from eth_account import Account

from conftest import ANKR, DEV_ADDRESS, DEV_KEY, NodeProcess, ankr

BOB = "0x3535353535353535353535353535353535353535"
# Initcode that never ends: JUMPDEST PUSH1 0 JUMP. `eth_call` without `to` runs it.
SPINNER = "0x5b600056"


def start(workdir, name, extra):
    """A node on a chain whose block gas limit (2^40) lets the spinner run for hours."""
    genesis = {"config": {"chainId": 7331}, "gasLimit": hex(1 << 40), "baseFeePerGas": "0x3b9aca00", "difficulty": "0x1",
               "alloc": {DEV_ADDRESS: {"balance": hex(10**22)}}}
    path = os.path.join(workdir, name)
    gpath = path + ".json"
    with open(gpath, "w") as f:
        json.dump(genesis, f)
    subprocess.run([ANKR, "init", "--genesis", gpath, "--datadir", path], check=True, capture_output=True)
    return NodeProcess(path, extra).start()


def call(url, method, params, timeout=30):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def test_add_peer_is_served_only_with_the_admin_api(datadir):
    standard = start(datadir, "standard", [])
    admin = start(datadir, "admin", ["--http.api", "eth,net,web3,ankr,admin"])
    eth_only = start(datadir, "eth", ["--http.api", "eth"])
    try:
        refused = call(standard.url, "ankr_addPeer", [admin.enode])["error"]
        assert refused["code"] == -32601
        assert "the admin API is not enabled (--http.api)" in refused["message"]
        assert call(standard.url, "ankr_nodeInfo", [])["result"]["chainId"] == "0x1ca3"
        assert call(admin.url, "ankr_addPeer", [standard.enode])["result"] is True
        assert call(eth_only.url, "eth_chainId", [])["result"] == "0x1ca3"
        assert call(eth_only.url, "ankr_nodeInfo", [])["error"]["code"] == -32601
    finally:
        for n in (standard, admin, eth_only):
            n.stop()
    bad = ankr("node", "--datadir", os.path.join(datadir, "standard"), "--http.api", "eth,bogus", check=False)
    assert bad.returncode == 1 and "unknown API bogus" in bad.stderr


def test_unprotected_transactions_need_the_flag(datadir):
    # eth-account signs a legacy transaction without a chain id (v = 27/28) when none is given.
    tx = {"to": BOB, "value": 1, "gas": 21000, "gasPrice": 10**10, "nonce": 0}
    raw = "0x" + Account.sign_transaction(tx, DEV_KEY).raw_transaction.hex().removeprefix("0x")
    standard = start(datadir, "standard", [])
    allowing = start(datadir, "allowing", ["--rpc.allow-unprotected-txs"])
    try:
        refused = call(standard.url, "eth_sendRawTransaction", [raw])["error"]
        assert refused == {"code": -32000, "message": "only replay-protected (EIP-155) transactions allowed over RPC"}
        h = call(allowing.url, "eth_sendRawTransaction", [raw])["result"]
        receipt = allowing.web3().eth.wait_for_transaction_receipt(h, timeout=30)
        assert receipt["status"] == 1
    finally:
        standard.stop()
        allowing.stop()


def test_slow_calls_time_out_and_extra_ones_are_refused_as_busy(datadir):
    node = start(datadir, "n", ["--rpc.evmtimeout", "1s", "--rpc.maxconcurrent", "2"])
    try:
        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            futures = [pool.submit(call, node.url, "eth_call", [{"data": SPINNER}]) for _ in range(6)]
            # While two spin, cheap calls are answered at once.
            time.sleep(0.3)
            cheap = time.time()
            assert call(node.url, "eth_blockNumber", [])["result"] == "0x0"
            assert time.time() - cheap < 0.5
            answers = [f.result() for f in futures]
        took = time.time() - started
        errors = [a["error"] for a in answers]
        timeouts = [e for e in errors if e["message"] == "execution aborted (timeout = 1s)"]
        busy = [e for e in errors if e["code"] == -32005]
        assert len(timeouts) == 2 and len(busy) == 4, errors
        assert took < 4, took
        estimate = call(node.url, "eth_estimateGas", [{"data": SPINNER}])["error"]
        assert estimate["message"] == "execution aborted (timeout = 1s)"
    finally:
        node.stop()
    dumped = ankr("config", "dump", "--rpc.evmtimeout", "300ms", "--rpc.maxconcurrent", "3", "--rpc.allow-unprotected-txs",
                  "--http.api", "eth,admin").stdout
    for line in ['evmtimeout = "300ms"', "maxconcurrent = 3", "allow-unprotected-txs = true", 'api = ["eth", "admin"]']:
        assert line in dumped, dumped
    assert "rpc.evmtimeout must be a duration" in ankr("config", "dump", "--rpc.evmtimeout", "2h", check=False).stderr
