"""Gas sustainability with real processes (white paper §6.1): a dev chain whose genesis base fee is 300 gwei,
the real relay, and requests that state the most they pay per gas. The relay is reimbursed its delivery's
gas to the wei and ends with exactly the oracle fee per answer; the requester pays the fee plus the gas at
the delivery's price, never above its cap; a request capped below the base fee waits (the relay says so
once) until the base fee comes down; an escrow short of what the cap needs is refused up front, naming
the amount."""
import json
import subprocess
import time

from eth_abi import encode
from eth_account import Account
from eth_hash.auto import keccak

from conftest import DEV_ADDRESS, DEV_KEY, NodeProcess, ankr, wait_for
from test_oracle import ALICE, ALICE_ADDR, MIN_FEE, NOS, RELAY, RELAY_ADDR, Source, relay, request, status
from test_plasma_chain import rpc

GWEI = 10**9


def high_fee_chain(tmp_path):
    """A dev chain (dev account, oracle attestation root) whose genesis base fee is 300 gwei."""
    probe = tmp_path / "probe"
    probe.mkdir()
    n = NodeProcess(str(probe), ["--no-p2p"]).start()
    n.stop()
    genesis = json.loads((probe / "genesis.json").read_text())
    genesis["baseFeePerGas"] = hex(300 * GWEI)
    path = tmp_path / "genesis.json"
    path.write_text(json.dumps(genesis))
    datadir = tmp_path / "chain"
    ankr("init", "--genesis", str(path), "--datadir", str(datadir))
    return NodeProcess(str(datadir), ["--no-p2p"]).start()


def delivery_of(w3, rid, start):
    for b in range(start, w3.eth.block_number + 1):
        for tx in w3.eth.get_block(b, True)["transactions"]:
            if tx["to"] == w3.to_checksum_address(NOS) and tx["from"] == RELAY_ADDR and int.from_bytes(bytes(tx["input"])[4:36], "big") == rid:
                return tx, w3.eth.get_transaction_receipt(tx["hash"])
    raise AssertionError(f"no delivery of request {rid}")


def test_fees_at_a_high_base_fee_are_exact_and_a_capped_request_waits(tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    source = Source(str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    source.routes["/price"] = (200, b'{"usd": 42.5}')
    node = high_fee_chain(tmp_path)
    w3 = node.web3()
    d = None
    try:
        assert w3.eth.get_block("latest")["baseFeePerGas"] > 200 * GWEI
        for key in (ALICE, RELAY):
            ankr("send", "--to", Account.from_key(key).address, "--value", "100ankr", "--private-key", DEV_KEY, "--rpc", node.url)
        d = relay(node, tmp_path)

        # Up front: an escrow short of what the cap needs is refused by the CLI and by the contract, naming the amount.
        short = ankr("oracle", "request", "--url", source.url("/price"), "--path", "/usd", "--max-gas-price", "400gwei", "--fee", "1wei",
                     "--private-key", ALICE, "--rpc", node.url, check=False)
        assert short.returncode != 0 and "below the" in short.stderr, short
        call = keccak(b"request(uint8,bytes,address,bytes4,uint256,uint8)")[:4] + encode(
            ["uint8", "bytes", "address", "bytes4", "uint256", "uint8"], [1, b"x", "0x" + "00" * 20, b"\0\0\0\0", 400 * GWEI, 1])
        answer = rpc(node.url, "eth_call", [{"from": ALICE_ADDR, "to": NOS, "data": "0x" + call.hex(), "value": hex(MIN_FEE)}, "latest"])
        assert "escrows at least" in answer["error"]["message"], answer

        # Within the cap: exact to the wei at a base fee in the hundreds of gwei.
        start = w3.eth.block_number
        relay_start, alice_start = w3.eth.get_balance(RELAY_ADDR, start), w3.eth.get_balance(ALICE_ADDR, start)
        one = request(node, "--url", source.url("/price"), "--path", "/usd", "--decimals", "1", "--max-gas-price", "400gwei", "--wait")
        assert one["error"] == 0 and one["value"] == "425"
        rid = int(one["id"])
        tx, receipt = delivery_of(w3, rid, start + 1)
        price = receipt["effectiveGasPrice"]
        assert 100 * GWEI < price <= 400 * GWEI
        escrow = int(rpc(node.url, "nos_getRequest", [hex(rid)])["result"]["fee"], 16)
        at = receipt["blockNumber"]
        assert w3.eth.get_balance(RELAY_ADDR, at) == relay_start + MIN_FEE, "the relay earns the oracle fee, to the wei"
        request_tx = next(t for b in range(start + 1, at) for t in w3.eth.get_block(b, True)["transactions"] if t["from"] == ALICE_ADDR)
        request_receipt = w3.eth.get_transaction_receipt(request_tx["hash"])
        paid = MIN_FEE + receipt["gasUsed"] * price
        assert w3.eth.get_balance(ALICE_ADDR, at) == alice_start - request_receipt["gasUsed"] * request_receipt["effectiveGasPrice"] - paid
        assert paid <= MIN_FEE + receipt["gasUsed"] * 400 * GWEI and escrow > paid
        assert w3.eth.get_balance(w3.to_checksum_address(NOS), at) == 0

        # Capped below the base fee: the relay waits (and says so once) until the base fee comes down.
        base = w3.eth.get_block("latest")["baseFeePerGas"]
        cap = base // 2
        start = w3.eth.block_number
        relay_start = w3.eth.get_balance(RELAY_ADDR, start)
        waiting = request(node, "--url", source.url("/price"), "--path", "/usd", "--decimals", "1", "--max-gas-price", str(cap))
        wid = int(waiting["id"])
        log = tmp_path / "relay.log"
        wait_for(lambda: f"above request {wid}'s cap {cap}" in log.read_text(), 30, "the relay to say it waits")
        time.sleep(1)
        assert status(node, wid)["status"] == "pending"
        # Empty-ish blocks lower the base fee by an eighth each: a few transfers bring it under the cap.
        while w3.eth.get_block("latest")["baseFeePerGas"] > cap:
            ankr("send", "--to", DEV_ADDRESS, "--value", "1wei", "--private-key", DEV_KEY, "--rpc", node.url)
        wait_for(lambda: status(node, wid)["status"] == "delivered", 60, "the relay to deliver once the base fee is within the cap")
        tx, receipt = delivery_of(w3, wid, start + 1)
        assert receipt["effectiveGasPrice"] <= cap
        assert w3.eth.get_block(receipt["blockNumber"])["baseFeePerGas"] <= cap
        assert w3.eth.get_balance(RELAY_ADDR, receipt["blockNumber"]) == relay_start + MIN_FEE
        assert log.read_text().count(f"above request {wid}'s cap") == 1, "said once, not every round"
    finally:
        if d:
            d.stop()
        source.shutdown()
        node.stop()
