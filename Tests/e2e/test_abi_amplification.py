"""Issue 17: a stranger's `eth_call` whose `bytes[]` offsets all name one blob made a dev node copy the blob
once per offset (0.33 MB of calldata grew a node by 514 MiB). Against a real node: the call to each
system contract taking `bytes[]` (Identity on a dev node, the WorkMarket on a PoUW devnet) is answered
with a JSON-RPC error, the node's peak memory barely moves, and the node keeps serving."""
import json
import os
import urllib.request

from web3 import Web3

from conftest import wait_for

IDENTITY = "0x00000000000000000000000000000000000a0004"
WORK_MARKET = "0x00000000000000000000000000000000000a0003"


def word(v):
    return v.to_bytes(32, "big")


def selector(signature):
    return bytes(Web3.keccak(text=signature)[:4])


def aliased_bytes_array(count, blob):
    """The tail of a `bytes[]` whose `count` offsets all point at one `blob`-byte payload."""
    return word(count) + word(count * 32) * count + word(blob) + b"\xab" * blob


def attest_sealed(count, blob):
    # attestSealed(subject, claimType, claimHash, expiry, readers = [], payloads = aliased)
    head = word(0) + word(1) + word(0) + word(0) + word(6 * 32) + word(7 * 32)
    return selector("attestSealed(address,uint256,bytes32,uint64,address[],bytes[])") + head + word(0) + aliased_bytes_array(count, blob)


def post_job(count, blob):
    # postJob(moduleHash, module = empty, inputs = aliased, maxFuelPerSubtask, pricePerFuel)
    head = word(0) + word(5 * 32) + word(6 * 32) + word(0) + word(0)
    return selector("postJob(bytes32,bytes,bytes[],uint64,uint256)") + head + word(0) + aliased_bytes_array(count, blob)


def rpc(url, method, params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def reset_peak_resident(pid):
    """Restarts the process's peak (VmHWM), so its startup cannot hide what one call costs."""
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def peak_resident_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        line = next(l for l in f if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def devnet_node_pid(directory):
    """The pid of the `ankr node` that `ankr devnet` started with its data in `directory`/node0."""
    datadir = os.path.join(directory, "node0")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "node" in args and datadir in args:
            return int(entry)
    raise AssertionError(f"no node process for {datadir}")


def assert_refused_in_bounded_memory_and_still_serving(url, pid, contract, data):
    reset_peak_resident(pid)
    before = peak_resident_mib(pid)
    answer = rpc(url, "eth_call", [{"to": contract, "data": "0x" + data.hex()}, "latest"])
    grown = peak_resident_mib(pid) - before

    assert "result" not in answer, answer
    assert "points into bytes already used" in answer["error"]["message"], answer["error"]
    # Parsing and hex-decoding the 380 KiB body costs a few MiB; the copies cost 250 MiB.
    assert grown < 64, f"peak memory grew by {grown:.0f} MiB"
    assert rpc(url, "eth_blockNumber", [])["result"].startswith("0x")
    assert rpc(url, "eth_chainId", [])["result"].startswith("0x")
    os.kill(pid, 0)  # still running


# 4,000 offsets to one 64 KiB payload: 190 KiB of calldata that decoded into 250 MiB.
COUNT, BLOB = 4_000, 65_536


def test_identity_attest_sealed_with_aliased_payloads_is_refused_and_the_node_keeps_serving(node):
    assert_refused_in_bounded_memory_and_still_serving(node.url, node.proc.pid, IDENTITY, attest_sealed(COUNT, BLOB))


def test_work_market_post_job_with_aliased_inputs_is_refused_and_the_node_keeps_serving(devnet):
    # The WorkMarket runs on PoUW chains only, hence a one-node devnet rather than a dev node.
    url, directory = devnet
    w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 10}))
    wait_for(lambda: w3.eth.block_number >= 1, 60, "the first PoUW block")
    assert_refused_in_bounded_memory_and_still_serving(url, devnet_node_pid(directory), WORK_MARKET, post_job(COUNT, BLOB))
