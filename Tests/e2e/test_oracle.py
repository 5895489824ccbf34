"""The Native Oracle System with real processes: a dev node, `ankr oracle run` (relay + simulated
enclave) and HTTPS data sources served by this test with a self-signed certificate that only the
relay's --ca-file trusts."""
import json
import os
import re
import signal
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from eth_account import Account
from eth_hash.auto import keccak

from conftest import ANKR, DEV_ADDRESS, DEV_KEY, NodeProcess, ankr, wait_for
from test_plasma_chain import Daemon, rpc

NOS = "0x00000000000000000000000000000000000a0002"
MIN_FEE = 10**15
ALICE = "0x" + "a1" * 32
ALICE_ADDR = Account.from_key(ALICE).address
RELAY = "0x" + "b2" * 32
RELAY_ADDR = Account.from_key(RELAY).address


class Source(ThreadingHTTPServer):
    """HTTPS answering each path from a dict (status, body); counts hits."""

    def __init__(self, cert, key):
        self.routes, self.hits = {}, {}
        super().__init__(("127.0.0.1", 0), SourceHandler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.socket = ctx.wrap_socket(self.socket, server_side=True)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path):
        return f"https://localhost:{self.server_address[1]}{path}"


class SourceHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        status, body = self.server.routes.get(self.path, (404, b"not found"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def oracle_chain(tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    source = Source(str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    datadir = tmp_path / "chain"
    datadir.mkdir()
    node = NodeProcess(str(datadir), ["--no-p2p"]).start()
    w3 = node.web3()
    for key in (ALICE, RELAY):
        ankr("send", "--to", Account.from_key(key).address, "--value", "10ankr", "--private-key", DEV_KEY, "--rpc", node.url)
    try:
        yield node, w3, source, tmp_path
    finally:
        source.shutdown()
        node.stop()


def relay(node, tmp_path):
    # The sources are on loopback, which the relay refuses unless told otherwise.
    d = Daemon_(["oracle", "run", "--dev", "--ca-file", str(tmp_path / "cert.pem"), "--allow-private-destinations", "--private-key", RELAY, "--rpc", node.url,
                 "--datadir", str(tmp_path / "relay"), "--interval", "0.2"], tmp_path / "relay.log")
    wait_for(lambda: any("relaying for" in l for l in d.lines), 60, "the relay to register its enclave")
    return d


class Daemon_(Daemon):
    def __init__(self, args, log):
        self.log = open(log, "ab")
        self.proc = subprocess.Popen([ANKR, *args], stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()


def request(node, *args, key=ALICE):
    return json.loads(ankr("oracle", "request", *args, "--private-key", key, "--rpc", node.url).stdout)


def failing_request(node, *args, key=ALICE):
    """A request answered with a failure: the answer still on stdout, exit status 1 and one stderr line
    naming the error and the cause the enclave signed with it."""
    out = ankr("oracle", "request", *args, "--wait", "--private-key", key, "--rpc", node.url, check=False)
    answer = json.loads(out.stdout)
    assert out.returncode == 1, out
    assert out.stderr == f"ankr: error: request {answer['id']} failed: {answer['errorName']} ({answer['cause']})\n", out.stderr
    return answer


def status(node, rid, key=None):
    extra = ["--private-key", key] if key else []
    return json.loads(ankr("oracle", "status", str(rid), *extra, "--rpc", node.url).stdout)


def test_public_median_bulk_and_failing_requests_with_exact_fees_and_a_restarted_relay(oracle_chain):
    node, w3, source, tmp = oracle_chain
    source.routes["/btc"] = (200, b'{"data": {"price": "61234.56789"}, "ok": true}')
    source.routes["/a"] = (200, b'{"usd": 100.5}')
    source.routes["/b"] = (200, b'{"usd": 101.0}')
    source.routes["/liar"] = (200, b'{"usd": 5000}')
    source.routes["/feed.xml"] = (200, b'<rss><channel><item><title>first</title></item><item><title>second</title></item></channel></rss>')
    source.routes["/garbage"] = (200, b'{"usd": 1,,}')
    source.routes["/down"] = (503, b"busy")
    # An untrusted certificate: without --ca-file nothing can be fetched; the relay trusts only what it is told to.
    d = relay(node, tmp)
    try:
        start_block = w3.eth.block_number
        alice_start, relay_start = w3.eth.get_balance(ALICE_ADDR, start_block), w3.eth.get_balance(RELAY_ADDR, start_block)

        one = request(node, "--url", source.url("/btc"), "--path", "/data/price", "--decimals", "2", "--wait")
        assert one["error"] == 0 and one["value"] == "6123456"
        median = request(node, "--url", source.url("/a"), "--url", source.url("/b"), "--url", source.url("/liar"), "--path", "/usd",
                         "--decimals", "1", "--quorum", "2", "--max-deviation-bps", "100", "--wait")
        assert (median["value"], median["agreeing"]) == ("1005", 2), "the lying source is left out"
        bulk = request(node, "--url", source.url("/feed.xml"), "--bulk", "--format", "xml", "--path", "/rss/channel/item[2]/title", "--wait")
        assert bulk["values"] == ["second"] and bulk["documentHash"] == "0x" + keccak(source.routes["/feed.xml"][1]).hex()
        garbage = failing_request(node, "--url", source.url("/garbage"), "--path", "/usd")
        down = failing_request(node, "--url", source.url("/down"), "--path", "/usd")
        assert (garbage["errorName"], down["errorName"]) == ("badData", "sourceStatus")
        assert down["cause"] == "the source answered HTTP 503"
        assert source.hits["/down"] == 3, "5xx answers are retried twice"
        mistake = failing_request(node, "--url", "http://localhost/plain", "--path", "/usd")
        assert mistake["errorName"] == "invalidParams" and mistake["cause"] == "http://localhost/plain is not an https URL"

        # Fees: each delivery's gas is reimbursed to the relay (its price is within the request's cap) and the
        # relay earns the oracle fee per answer, the requester's own mistake included (the rest of its escrow goes back);
        # refunds are exact.
        for rid in range(1, 7):
            info = status(node, rid)
            assert info["status"] == "delivered"
        logs = w3.eth.get_logs({"address": w3.to_checksum_address(NOS), "fromBlock": start_block + 1})
        txs = {l["transactionHash"] for l in logs}
        gas = {ALICE_ADDR: 0, RELAY_ADDR: 0}
        delivery_gas = {}
        for h in txs:
            tx, r = w3.eth.get_transaction(h), w3.eth.get_transaction_receipt(h)
            if tx["from"] in gas:
                gas[tx["from"]] += r.gasUsed * r.effectiveGasPrice
            if tx["from"] == RELAY_ADDR:
                delivery_gas[int.from_bytes(bytes(tx["input"])[4:36], "big")] = r.gasUsed * r.effectiveGasPrice
        escrow = {rid: int(rpc(node.url, "nos_getRequest", [hex(rid)])["result"]["fee"], 16) for rid in range(1, 7)}
        mistake_id = int(mistake["id"])
        assert escrow[mistake_id] > MIN_FEE + delivery_gas[mistake_id]
        assert w3.eth.get_balance(RELAY_ADDR) == relay_start + 6 * MIN_FEE
        assert w3.eth.get_balance(ALICE_ADDR) == alice_start - gas[ALICE_ADDR] - sum(MIN_FEE + delivery_gas[rid] for rid in range(1, 7))
        assert w3.eth.get_balance(w3.to_checksum_address(NOS)) == 0

        # Killed and restarted, the relay answers what was asked while it was down.
        d.stop(signal.SIGKILL)
        pending = request(node, "--url", source.url("/btc"), "--path", "/data/price")
        time.sleep(2)
        assert status(node, pending["id"])["status"] == "pending"
        d = relay(node, tmp)
        wait_for(lambda: status(node, pending["id"])["status"] == "delivered", 60, "the restarted relay to catch up")
        assert status(node, pending["id"])["value"] == "61234"
        # With the relay running, every request was answered within 2 blocks of the one that included it.
        asked, answered = {}, {}
        for l in w3.eth.get_logs({"address": w3.to_checksum_address(NOS), "fromBlock": 0}):
            rid = int.from_bytes(l["topics"][1], "big") if len(l["topics"]) > 1 else None
            if l["topics"][0] == keccak(b"RequestInfo(uint256,address,uint8,bytes,uint256,address,bytes4)"):
                asked[rid] = l["blockNumber"]
            elif l["topics"][0] == keccak(b"Delivered(uint256,address,uint64,bytes)"):
                answered[rid] = l["blockNumber"]
        assert all(answered[r] - asked[r] <= 2 for r in range(1, 7)), (asked, answered)
    finally:
        d.stop()


def test_a_private_request_never_shows_its_params_or_answer_in_plaintext(oracle_chain):
    node, w3, source, tmp = oracle_chain
    secret_path = "/secret-salary-7f3a"
    source.routes[secret_path] = (200, b'{"salary": 987654}')
    d = relay(node, tmp)
    try:
        out = request(node, "--url", source.url(secret_path), "--path", "/salary", "--private", "--wait")
        assert out["value"] == "987654", "the requester decrypts the answer locally"
        other = status(node, out["id"], key=RELAY)
        assert "value" not in other and other["ciphertext"], "someone else sees only ciphertext"
        # Nothing in any block, log or RPC answer holds the URL or the value in the clear.
        needles = [secret_path.encode(), b"987654", (987654).to_bytes(32, "big")]
        head = w3.eth.block_number
        for n in range(head + 1):
            block = w3.eth.get_block(n, full_transactions=True)
            for tx in block.transactions:
                assert not any(x in bytes(tx["input"]) for x in needles)
        for log in w3.eth.get_logs({"fromBlock": 0, "toBlock": head}):
            assert not any(x in bytes(log["data"]) for x in needles)
        response = rpc(node.url, "eth_call", [{"to": w3.to_checksum_address(NOS), "data": "0x" + (keccak(b"getResponse(uint256)")[:4] + int(out["id"]).to_bytes(32, "big")).hex()}, "latest"])
        assert not any(x.hex() in response["result"] for x in needles)
        req = rpc(node.url, "nos_getRequest", [hex(int(out["id"]))])["result"]
        assert req["private"] is True and req["status"] == "delivered" and req["requester"] == ALICE_ADDR
        resp = rpc(node.url, "nos_getResponse", [hex(int(out["id"]))])["result"]
        assert resp["errorName"] == "none" and not any(x.hex() in resp["data"] for x in needles)
        assert rpc(node.url, "nos_oracle", [])["result"]["publicKey"].startswith("0x0")
        relay_log = (tmp / "relay.log").read_bytes()
        assert secret_path.encode() not in relay_log and b"987654" not in relay_log, "the relay never sees the plaintext"
    finally:
        d.stop()


def test_forged_and_unregistered_deliveries_are_rejected(oracle_chain):
    node, w3, source, tmp = oracle_chain
    rid = request(node, "--url", source.url("/nothing"), "--path", "/x")["id"]
    forger = Account.from_key(ALICE)
    # A datagram signed by a key that never registered (and the relay's account is not an enclave either).
    from eth_keys import keys
    import rlp
    params_hash = w3.eth.call({"to": w3.to_checksum_address(NOS), "data": "0x" + (keccak(b"getRequest(uint256)")[:4] + int(rid).to_bytes(32, "big")).hex()})[64:96]
    chain_id = w3.eth.chain_id
    body = rlp.encode([chain_id, bytes.fromhex(NOS[2:]), int(rid), params_hash, 0, b"\x01"])
    digest = keccak(b"ankr-nos-datagram" + body)
    sig = keys.PrivateKey(bytes.fromhex("c3" * 32)).sign_msg_hash(digest)
    signature = sig.r.to_bytes(32, "big") + sig.s.to_bytes(32, "big") + bytes([sig.v + 27])
    from eth_abi import encode
    data = keccak(b"deliver(uint256,bytes32,uint64,bytes,bytes)")[:4] + encode(["uint256", "bytes32", "uint64", "bytes", "bytes"],
                                                                              [int(rid), params_hash, 0, b"\x01", signature])
    with pytest.raises(Exception, match="not a registered oracle"):
        w3.eth.estimate_gas({"from": forger.address, "to": w3.to_checksum_address(NOS), "data": "0x" + data.hex()})
    assert status(node, rid)["status"] == "pending"
