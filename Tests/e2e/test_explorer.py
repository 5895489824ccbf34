"""The explorer in a real headless Chromium, and /metrics, against real nodes.

Screenshots of every page land in Tests/e2e/artifacts/ (kept out of git) for a person to look at."""
import html
import os
import re
import shutil
import struct
import subprocess
import tempfile
import json
import urllib.request

import pytest
from eth_account import Account
from web3 import Web3

from conftest import DEV_ADDRESS, DEV_KEY, ROOT, ankr, wait_for

ARTIFACTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "artifacts")
BOB = "0x3535353535353535353535353535353535353535"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def render(url, name):
    """Loads a page in headless Chromium, lets its scripts finish, saves a screenshot and returns
    the rendered text of the page's main view."""
    assert CHROMIUM, "these tests need Chromium: `apt-get install chromium` (scripts/bootstrap does it as root)"
    os.makedirs(ARTIFACTS, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ankr-chromium-") as profile:
        common = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                  "--virtual-time-budget=8000", "--window-size=1300,1000"]
        dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=90).stdout
        subprocess.run(common + [f"--screenshot={os.path.join(ARTIFACTS, name + '.png')}", url], capture_output=True, timeout=90)
    match = re.search(r'<main id="view">(.*?)</main>', dom, re.S)
    assert match, f"no rendered view in {url}: {dom[:300]}"
    view = match.group(1)
    assert 'data-rendered' in dom, "the page's script did not finish rendering"
    return view


def text(fragment):
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def signed_transfer(w3, nonce, value):
    tx = {"chainId": w3.eth.chain_id, "nonce": nonce, "to": BOB, "value": value, "gas": 21000,
          "maxFeePerGas": 4 * 10**9, "maxPriorityFeePerGas": 10**9, "type": 2}
    return Account.sign_transaction(tx, DEV_KEY).raw_transaction


def test_explorer_shows_blocks_transactions_and_accounts_of_a_dev_node(node):
    w3 = node.web3()
    hashes = [w3.eth.send_raw_transaction(signed_transfer(w3, n, (n + 1) * 10**18)) for n in range(2)]
    receipts = [w3.eth.wait_for_transaction_receipt(h, timeout=30) for h in hashes]
    base = f"{node.url}/explorer"

    home = render(base + "#/", "dev-home")
    numbers = re.findall(r'<tr class="block"><td><a href="#/block/(\d+)">', home)
    assert numbers[0] == str(w3.eth.block_number) and "0" in numbers, numbers
    assert "Chain 7331" in text(home)

    block = text(render(f"{base}#/block/{receipts[1].blockNumber}", "dev-block"))
    assert f"Block {receipts[1].blockNumber}" in block and "2 ANKR" in block
    assert receipts[1].blockHash.to_0x_hex() in block

    tx = render(f"{base}#/tx/{hashes[0].to_0x_hex()}", "dev-transaction")
    assert re.search(r'id="status">success<', tx)
    assert re.search(r'id="value">1 ANKR<', tx)
    assert DEV_ADDRESS in tx and Web3.to_checksum_address(BOB) in tx

    account = render(f"{base}#/address/{BOB}", "dev-account")
    assert re.search(r'id="balance">3 ANKR<', account)
    assert len(re.findall(r'href="#/tx/0x', account)) == 2, "both transfers are listed under recent transactions"

    # A dev chain has no WorkMarket: the page says so instead of failing.
    assert "no WorkMarket" in text(render(f"{base}#/jobs", "dev-jobs"))

    # Metrics in the Prometheus text format.
    with urllib.request.urlopen(f"{node.url}/metrics", timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        metrics = r.read().decode()
    head = float(re.search(r"^ankr_head_number (\S+)$", metrics, re.M).group(1))
    assert head == w3.eth.block_number
    assert re.search(r'^ankr_rpc_request_duration_seconds_count\{method="eth_sendRawTransaction"\} 2$', metrics, re.M)
    assert re.search(r"^ankr_block_import_seconds_count [1-9]", metrics, re.M)
    assert re.search(r"^ankr_mempool_transactions 0", metrics, re.M)


def test_explorer_shows_pouw_seals_and_who_ran_a_work_job(devnet):
    url, d = devnet
    w3 = Web3(Web3.HTTPProvider(url))
    wait_for(lambda: w3.eth.block_number >= 2, 60, "PoUW blocks")
    inputs = os.path.join(d, "inputs")
    os.makedirs(inputs)
    for i in range(2):
        with open(os.path.join(inputs, f"{i}.bin"), "wb") as f:
            f.write(struct.pack("<I", 10 + i) + b"explorer")
    posted = ankr("work", "post", "--module", os.path.join(ROOT, "Examples", "work", "fnv-chain.wat"), "--inputs", inputs,
                  "--price", "1gwei", "--max-fuel", "500000", "--private-key", DEV_KEY, "--rpc", url, "--wait")
    post_tx = re.search(r"ANKR: (0x[0-9a-f]{64})", posted.stdout).group(1)
    wait_for(lambda: w3.provider.make_request("work_getJob", ["0x1"])["result"]["status"] == "complete", 90, "the job to complete")
    worker = w3.provider.make_request("work_getResults", ["0x1"])["result"][0]["worker"]
    base = f"{url}/explorer"

    home = render(base + "#/", "pouw-home")
    assert "PoUW" in text(home)
    row = re.search(r'<tr class="block">(.*?)</tr>', home, re.S).group(1)
    cells = [text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[5] != "dev" and int(cells[6]) > 0 and int(cells[8]) > 0, cells  # platform, fuel, difficulty

    jobs = text(render(f"{base}#/jobs", "pouw-jobs"))
    assert re.search(r"\b1\s+complete\s+2/2", jobs), jobs

    job = render(f"{base}#/job/1", "pouw-job")
    assert re.search(r'id="job-status">complete<', job)
    assert len(re.findall(r'<tr class="result">', job)) == 2 and worker in job

    tx = render(f"{base}#/tx/{post_tx}", "pouw-post-transaction")
    assert "Call to system contract WorkMarket" in text(tx)
    assert re.search(r'id="tx-function">postJob\(bytes32,bytes,bytes\[\],uint64,uint256\)<', tx)
    assert "WorkMarket.JobPosted" in text(tx)


def test_explorer_lists_child_chains_their_blocks_and_pending_exits(node):
    import json as _json
    w3 = node.web3()
    with open(os.path.join(ROOT, "abi", "ChildChainRegistry.json")) as f:
        registry = w3.eth.contract(address=Web3.to_checksum_address("0x00000000000000000000000000000000000a0001"), abi=_json.load(f))
    with open(os.path.join(ROOT, "abi", "PlasmaRoot.json")) as f:
        root_abi = _json.load(f)
    me = Account.from_key(DEV_KEY)

    def send(fn, value=0):
        tx = fn.build_transaction({"from": me.address, "value": value, "nonce": w3.eth.get_transaction_count(me.address, "pending"),
                                   "maxFeePerGas": 4 * 10**9, "maxPriorityFeePerGas": 10**9, "chainId": w3.eth.chain_id})
        receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(Account.sign_transaction(tx, DEV_KEY).raw_transaction), timeout=30)
        assert receipt.status == 1, receipt
        return receipt

    send(registry.functions.createChildChain(), value=10**18)
    root_address = registry.functions.rootOf(1).call()
    assert root_address == Web3.to_checksum_address("0x00000000000000000000000000000000000b0001")
    root = w3.eth.contract(address=root_address, abi=root_abi)
    send(root.functions.deposit(), value=2 * 10**18)
    send(root.functions.submitBlock(b"\x11" * 32))

    # Exit the deposit: its encoding and proof from `ankr plasma util`, the bond from genesis defaults.
    deposit = json.loads(ankr("plasma", "util", "tx-encode",
                              json.dumps({"outputs": [{"owner": me.address, "amount": str(2 * 10**18)}]})).stdout)
    proof = json.loads(ankr("plasma", "util", "proof", "0", deposit["leaf"]).stdout)
    assert root.functions.getChildBlock(1).call()[0] == bytes.fromhex(proof["root"][2:]), "the deposit block's root matches"
    send(root.functions.startExit(1 * 10**9, bytes.fromhex(deposit["signed"][2:]), bytes.fromhex(proof["proof"][2:]), b""), value=10**17)

    base = f"{node.url}/explorer"
    chains = render(f"{base}#/chains", "child-chains")
    row = text(re.search(r'<tr class="chain">(.*?)</tr>', chains, re.S).group(1))
    assert "1" in row and "1000" in row and "1 ANKR" in row, row  # id, latest block, stake
    detail = render(f"{base}#/chain/1", "child-chain")
    exits = re.findall(r'<tr class="exit">(.*?)</tr>', detail, re.S)
    assert len(exits) == 1 and "1:0:0" in text(exits[0]) and "2 ANKR" in text(exits[0]) and me.address in exits[0]
    assert "0x" + "11" * 32 in detail
