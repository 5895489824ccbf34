"""`ankr devnet --with plasma,oracle`: the child chain and its operator, the oracle relay and the local
HTTPS data source start beside the nodes, serve the README tour's requests with no internet, stop on
Ctrl-C and resume on restart; the explorer's oracle pages show the answered request."""
import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import time

from eth_abi import encode
from web3 import Web3

from conftest import ANKR, DEV_ADDRESS, DEV_KEY, ROOT, ankr, wait_for
from test_evm_vyper import Wallet
from test_explorer import render, text
from test_oracle import MIN_FEE
from test_plasma_chain import rpc


class Devnet:
    """`ankr devnet --with plasma,oracle` on free ports; reads its banner until every service is up."""

    def __init__(self, directory):
        self.proc = subprocess.Popen([ANKR, "devnet", "--nodes", "1", "--consensus", "dev", "--period", "1", "--status", "0", "--dir", str(directory),
                                      "--http.port", "0", "--plasma.port", "0", "--source.port", "0", "--with", "plasma,oracle"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        patterns = {"url": r"^node0\s+(http://127\.0\.0\.1:\d+)", "source": r"data source (https://localhost:\d+/)",
                    "chain": r"^plasma\s+child chain (\d+) ", "operator": r"operator (http://127\.0\.0\.1:\d+)"}
        found = {}
        deadline = time.time() + 120
        while len(found) < len(patterns) and time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            for name, pattern in patterns.items():
                m = re.search(pattern, line)
                if m:
                    found[name] = m.group(1)
        assert len(found) == len(patterns), "the devnet's services did not start:\n" + "".join(self.lines)
        self.url, self.source, self.operator = found["url"], found["source"], found["operator"]
        self.chain = int(found["chain"])

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=60)


def port_closed(url):
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.socket() as s:
        return s.connect_ex((host, int(port))) != 0


def test_devnet_with_plasma_and_oracle_answers_offline_stops_and_resumes(tmp_path):
    devnet = Devnet(tmp_path / "net")
    try:
        # An oracle request to the devnet's own HTTPS source (the tour's offline stand-in for a public price API).
        out = json.loads(ankr("oracle", "request", "--url", devnet.source + "btc-usd.json", "--path", "/data/amount", "--decimals", "2",
                              "--wait", "--private-key", DEV_KEY, "--rpc", devnet.url).stdout)
        assert (out["errorName"], out["value"]) == ("none", "6123456"), out
        # Files the user drops into <dir>/www are served too; other paths are not.
        (tmp_path / "net" / "www" / "mine.json").write_text('{"v": 7}')
        mine = json.loads(ankr("oracle", "request", "--url", devnet.source + "mine.json", "--path", "/v", "--wait",
                               "--private-key", DEV_KEY, "--rpc", devnet.url).stdout)
        assert mine["value"] == "7"
        refused = ankr("oracle", "request", "--url", devnet.source + "../genesis.json", "--path", "/config", "--wait",
                       "--private-key", DEV_KEY, "--rpc", devnet.url, check=False)
        escape = json.loads(refused.stdout)
        assert escape["errorName"] != "none" and refused.returncode == 1, (escape, refused.stderr)
        # The source itself: a certificate for localhost that verifies against the file the relay trusts; GET only;
        # nothing outside <dir>/www, no hidden files, nothing over 1 MiB.
        (tmp_path / "net" / "www" / "big.json").write_bytes(b" " * (1 << 20) + b"1")
        (tmp_path / "net" / "www" / ".hidden").write_text("{}")
        trusted = ssl.create_default_context(cafile=str(tmp_path / "net" / "https" / "cert.pem"))

        def fetch(method, path):
            c = http.client.HTTPSConnection("localhost", int(devnet.source.rstrip("/").rsplit(":", 1)[1]), context=trusted, timeout=10)
            try:
                c.request(method, path)
                r = c.getresponse()
                return r.status, r.read()
            finally:
                c.close()
        assert fetch("GET", "/btc-usd.json") == (200, b'{"data": {"amount": "61234.56", "base": "BTC", "currency": "USD"}}\n')
        for path in ["/../genesis.json", "/%2e%2e/genesis.json", "/..%2fgenesis.json", "/.hidden", "/", "/nothing.json", "/big.json",
                     "/www/../../genesis.json", "/" + "a/" * 500]:
            assert fetch("GET", path)[0] == 404, path
        assert fetch("POST", "/btc-usd.json")[0] == 405
        # A contract asks and is called back; a second request names a selector its callback contract lacks.
        w3 = Web3(Web3.HTTPProvider(devnet.url))
        dev = Wallet(w3, DEV_KEY)
        consumer, _ = dev.deploy("PriceConsumer.vy")
        params = encode(["string", "string", "uint8"], [devnet.source + "rent.json", "/flat12/monthly", 1])
        assert dev.send(consumer.functions.ask(1, params), value=10 * MIN_FEE).status == 1
        wait_for(lambda: consumer.functions.answered(4).call(), 60, "NOS to call the consumer back")
        with open(os.path.join(ROOT, "abi", "NOS.json")) as f:
            nos = w3.eth.contract(address=Web3.to_checksum_address("0x00000000000000000000000000000000000a0002"), abi=json.load(f))
        assert dev.send(nos.functions.request(1, params, consumer.address, bytes.fromhex("deadbeef")), value=10 * MIN_FEE).status == 1
        wait_for(lambda: nos.functions.getResponse(5).call()[0] == 2, 60, "the second callback's delivery")

        # The child chain was created and confirmed before its operator started: a deposit reaches the operator.
        # A devnet serves the debug namespace, as a --dev node does.
        assert rpc(devnet.url, "debug_getRawHeader", ["latest"])["result"].startswith("0xf9")
        info = rpc(devnet.url, "ankr_childChain", [hex(devnet.chain)])["result"]
        assert info["operator"] != DEV_ADDRESS
        ankr("plasma", "deposit", "--chain", str(devnet.chain), "--value", "2ankr", "--private-key", DEV_KEY, "--rpc", devnet.url)
        wait_for(lambda: json.loads(ankr("plasma", "balance", DEV_ADDRESS, "--operator", devnet.operator).stdout)["balance"] == str(2 * 10**18),
                 60, "the operator to see the deposit")

        # The explorer's oracle pages: the list with the answer and fee, and the request's own page.
        listing_html = [render(devnet.url + "/explorer#/oracle", "devnet-oracle")]
        listing = text(listing_html[0])
        assert "btc-usd.json" in listing and "6123456" in listing and re.search(r"Requests\s+5", listing), listing
        rows = {int(m.group(1)): m.group(0) for m in re.finditer(r'<tr class="oracle-request"><td><a href="#/oracle/(\d+)">.*?</tr>', listing_html[0], re.S)}
        assert " ran" in text(rows[4]) and "21 " in text(rows[4]) and "0.01 ANKR" in text(rows[4]), rows[4]
        assert "failed" in text(rows[5]) and "rent.json" in text(rows[5]), rows[5]
        assert "sourceStatus" in text(rows[3]) or "invalid" in text(rows[3]), rows[3]
        page = text(render(devnet.url + f"/explorer#/oracle/{out['id']}", "devnet-oracle-request"))
        assert "delivered" in page and "/data/amount" in page and "6123456" in page and "the relay earns its gas and the minimum" in page, page
        callback = text(render(devnet.url + "/explorer#/oracle/4", "devnet-oracle-callback"))
        assert re.search(r"ran\s*, gas used \d+", callback) and consumer.address in callback and "0.01 ANKR" in callback, callback
    finally:
        code = devnet.stop()
    assert code == 0, "".join(devnet.lines)
    assert port_closed(devnet.operator) and port_closed(devnet.source), "Ctrl-C stops the operator and the data source"

    # A restart resumes: the same child chain (no second one created), the same relay, and the source answers again.
    again = Devnet(tmp_path / "net")
    try:
        assert again.chain == devnet.chain
        assert len(rpc(again.url, "ankr_childChains", [])["result"]) == 1
        out = json.loads(ankr("oracle", "request", "--url", again.source + "btc-usd.json", "--path", "/data/amount", "--decimals", "2",
                              "--wait", "--private-key", DEV_KEY, "--rpc", again.url).stdout)
        assert out["value"] == "6123456"
        wait_for(lambda: json.loads(ankr("plasma", "balance", DEV_ADDRESS, "--operator", again.operator).stdout)["balance"] == str(2 * 10**18),
                 60, "the restarted operator to know the deposit")
    finally:
        assert again.stop() == 0


def test_devnet_with_refuses_an_unknown_service(tmp_path):
    r = ankr("devnet", "--dir", str(tmp_path / "x"), "--with", "plasma,moon", check=False)
    assert r.returncode != 0 and "unknown service \"moon\"" in r.stderr + r.stdout, r.stderr


def test_devnet_with_an_application_chain_takes_deposits_and_resumes(tmp_path):
    """`ankr devnet --with appchain`: an application chain registered on the devnet and its operator's node; a deposit
    made with `ankr appchain deposit` arrives there, a transfer there is committed back, and a restart resumes it."""
    def start():
        proc = subprocess.Popen([ANKR, "devnet", "--nodes", "1", "--consensus", "dev", "--period", "1", "--status", "0", "--dir", str(tmp_path / "net"),
                                 "--http.port", "0", "--appchain.port", "0", "--with", "appchain"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        found, lines, deadline = {}, [], time.time() + 180
        while len(found) < 2 and time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"^node0\s+(http://127\.0\.0\.1:\d+)", line)
            if m:
                found["url"] = m.group(1)
            m = re.search(r"^appchain chain (\d+) \(chain id 4242, e-commerce\) root (0x[0-9a-fA-F]{40}) +rpc (http://127\.0\.0\.1:\d+)", line)
            if m:
                found["app"] = (int(m.group(1)), m.group(2), m.group(3))
        assert len(found) == 2, "the application chain did not start:\n" + "".join(lines)
        return proc, found["url"], found["app"]

    proc, url, (chain, root, app_url) = start()
    try:
        app = Web3(Web3.HTTPProvider(app_url))
        assert app.eth.chain_id == 4242
        out = json.loads(ankr("appchain", "deposit", "--chain", str(chain), "--value", "3ankr", "--private-key", DEV_KEY, "--rpc", url).stdout)
        assert out["to"] == DEV_ADDRESS and out["value"] == str(3 * 10**18)
        wait_for(lambda: app.eth.get_balance(DEV_ADDRESS) == 3 * 10**18, 60, "the deposit on the application chain")
        bob = "0x" + "b0" * 20
        ankr("send", "--to", Web3.to_checksum_address(bob), "--value", "12345", "--wait", "--private-key", DEV_KEY, "--rpc", app_url)
        assert app.eth.get_balance(Web3.to_checksum_address(bob)) == 12345
        head = app.eth.block_number
        wait_for(lambda: int(json.loads(ankr("appchain", "status", "--chain", str(chain), "--rpc", url).stdout)["latestBlock"]) >= head, 60,
                 "the transfer's block committed to the devnet")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    # Restarted, the same chain resumes (found on chain, not registered again) with its state.
    proc, url, (again, root_again, app_url) = start()
    try:
        assert (again, root_again) == (chain, root)
        assert Web3(Web3.HTTPProvider(app_url)).eth.get_balance(Web3.to_checksum_address("0x" + "b0" * 20)) == 12345
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)


def test_devnet_with_a_real_estate_chain_serves_its_oracle_there(tmp_path):
    """`ankr devnet --with oracle,realestate`: a real-estate application chain (chain id 4243) and a relay serving it, its
    enclave trusted there through the main chain's registry: the walkthrough's market rent, asked on that chain from the
    devnet's HTTPS source, is answered there."""
    proc = subprocess.Popen([ANKR, "devnet", "--nodes", "1", "--consensus", "dev", "--period", "1", "--status", "0", "--dir", str(tmp_path / "net"),
                             "--http.port", "0", "--source.port", "0", "--realestate.port", "0", "--with", "oracle,realestate"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        found, lines, deadline = {}, [], time.time() + 240
        while len(found) < 4 and time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            for key, pattern in (("url", r"^node0\s+(http://127\.0\.0\.1:\d+)"), ("source", r"data source (https://localhost:\d+/)"),
                                 ("app", r"^realestate chain (\d+) \(chain id 4243, real-estate\) root 0x[0-9a-fA-F]{40} +rpc (http://127\.0\.0\.1:\d+)"),
                                 ("relay", r"^realestate oracle relay (0x[0-9a-fA-F]{40})")):
                m = re.search(pattern, line)
                if m:
                    found[key] = m.groups()
        assert len(found) == 4, "the real-estate chain and its relay did not start:\n" + "".join(lines)
        (url,), (source,), (chain, app_url), (relay,) = found["url"], found["source"], found["app"], found["relay"]
        app = Web3(Web3.HTTPProvider(app_url))
        assert app.eth.chain_id == 4243 and app.eth.get_balance(relay) > 0, "the relay's deposit arrived before it started"
        # `--app-rpc` waits for the credit, and only on that chain.
        wrong = ankr("appchain", "deposit", "--chain", chain, "--value", "3ankr", "--app-rpc", url, "--private-key", DEV_KEY, "--rpc", url, check=False)
        assert wrong.returncode == 1 and f"--app-rpc serves chain id 7331; application chain {chain} is chain id 4243" in wrong.stderr, wrong.stderr
        out = json.loads(ankr("appchain", "deposit", "--chain", chain, "--value", "3ankr", "--app-rpc", app_url, "--private-key", DEV_KEY, "--rpc", url).stdout)
        assert out["credited"] and app.eth.get_balance(DEV_ADDRESS) == 3 * 10**18
        answer = json.loads(ankr("oracle", "request", "--url", source + "rent.json", "--path", "/flat12/monthly", "--decimals", "18", "--wait",
                                 "--private-key", DEV_KEY, "--rpc", app_url).stdout)
        assert answer["error"] == 0 and answer["value"] == str(21 * 10**17)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
