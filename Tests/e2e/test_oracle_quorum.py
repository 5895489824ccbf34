"""k-of-n enclaves with real processes: three `ankr oracle run --dev` relays (distinct keys and datadirs, so
distinct enclave keys on distinct simulated platforms) on one dev node, coordinating through the chain
only. One relay is lied to: its `--resolve` pins the source's host to a second local HTTPS server that
serves a wrong number (DNS poisoning of one enclave's platform). NOS delivers the median of the honest
answers, reports how many agreed, and pays every answering relay exactly the oracle fee."""
import json
import ssl
import threading
import time
from http.server import ThreadingHTTPServer

from eth_account import Account
from eth_hash.auto import keccak

from conftest import DEV_KEY, ankr, wait_for
from test_oracle import ALICE, ALICE_ADDR, MIN_FEE, NOS, Daemon_, SourceHandler, oracle_chain, request, status  # noqa: F401 (fixture)

RELAYS = ["0x" + c * 32 for c in ("c1", "c2", "c3")]


class BoundSource(ThreadingHTTPServer):
    """HTTPS on a given address and port, answering each path from a dict."""

    def __init__(self, address, port, cert, key):
        self.routes, self.hits = {}, {}
        super().__init__((address, port), SourceHandler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.socket = ctx.wrap_socket(self.socket, server_side=True)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def start_relay(node, tmp, key, name, extra=()):
    d = Daemon_(["oracle", "run", "--dev", "--ca-file", str(tmp / "cert.pem"), "--allow-private-destinations", "--private-key", key,
                 "--rpc", node.url, "--datadir", str(tmp / name), "--interval", "0.2", *extra], tmp / f"{name}.log")
    wait_for(lambda: any("relaying for" in l for l in d.lines), 60, f"{name} to register its enclave")
    return d


def test_three_relays_answer_a_k_of_n_request_and_the_lied_to_one_is_outvoted(oracle_chain):
    node, w3, honest, tmp = oracle_chain
    port = honest.server_address[1]
    honest.routes["/price"] = (200, b'{"usd": "61234.56"}')
    honest.routes["/name"] = (200, b'{"name": "Ankr"}')
    # The poisoned answer: same host name and port, another loopback address, a number far off.
    poisoned = BoundSource("127.0.0.2", port, str(tmp / "cert.pem"), str(tmp / "key.pem"))
    poisoned.routes["/price"] = (200, b'{"usd": "99999.99"}')
    poisoned.routes["/name"] = (200, b'{"name": "Ankr"}')
    for key in RELAYS:
        ankr("send", "--to", Account.from_key(key).address, "--value", "10ankr", "--private-key", DEV_KEY, "--rpc", node.url)
    relays = []
    try:
        relays.append(start_relay(node, tmp, RELAYS[0], "relay1"))
        relays.append(start_relay(node, tmp, RELAYS[1], "relay2"))
        relays.append(start_relay(node, tmp, RELAYS[2], "liar", ["--resolve", f"localhost:{port}:127.0.0.2"]))
        addresses = [Account.from_key(k).address for k in RELAYS]
        # Three enclaves on three platforms, each registered by its own relay.
        enclaves = set()
        for d in relays:
            line = next(l for l in d.lines if "relaying for" in l)
            enclaves.add(line.split()[2])
        assert len(enclaves) == 3

        start = w3.eth.block_number
        before = [w3.eth.get_balance(a, start) for a in addresses]
        price = request(node, "--url", honest.url("/price"), "--path", "/usd", "--decimals", "2", "--enclaves", "3", "--wait")
        assert price["error"] == 0 and price["value"] == "6123456", price
        assert poisoned.hits.get("/price") == 1 and honest.hits.get("/price") == 2, (poisoned.hits, honest.hits)
        rid = int(price["id"])
        logs = w3.eth.get_logs({"address": w3.to_checksum_address(NOS), "fromBlock": start + 1})
        answered = [l for l in logs if l["topics"][0] == keccak(b"Answered(uint256,address,uint64,bytes32,uint8)")]
        reached = [l for l in logs if l["topics"][0] == keccak(b"QuorumReached(uint256,uint8,uint8)")]
        assert len(answered) == 2 and len(reached) == 1
        assert int.from_bytes(reached[0]["data"][32:64], "big") == 2, "the liar's answer is outside the deviation: 2 of 3 agree"
        # Every relay that answered earned exactly the oracle fee: its gas was reimbursed to the wei.
        delivered_at = max(l["blockNumber"] for l in logs)
        after = [w3.eth.get_balance(a, delivered_at) for a in addresses]
        assert [a - b for a, b in zip(after, before)] == [MIN_FEE] * 3
        assert w3.eth.get_balance(w3.to_checksum_address(NOS), delivered_at) == 0
        terms = json.loads(ankr("oracle", "status", str(rid), "--rpc", node.url).stdout)
        assert terms["status"] == "delivered"

        # k = 2 for text: the first two answers agree; the third relay, late, does not retry.
        start = w3.eth.block_number
        name = request(node, "--url", honest.url("/name"), "--path", "/name", "--decimals", "255", "--enclaves", "2", "--wait")
        assert name["error"] == 0 and name["value"] == "Ankr", name
        time.sleep(3)
        deliveries = [tx for b in range(start + 1, w3.eth.block_number + 1) for tx in w3.eth.get_block(b, True)["transactions"]
                      if tx["to"] == w3.to_checksum_address(NOS) and tx["from"] in addresses]
        assert 2 <= len(deliveries) <= 3, deliveries
    finally:
        for d in relays:
            d.stop()
        poisoned.shutdown()
