"""The CLI's texts at the process boundary: refused values say why with ArgumentParser's exit status 64,
a node that is down is named as such, and a failed oracle request exits 1 with its error and cause
while a relay or an operator whose node goes down logs it once instead of every round."""
import socket
import time

from conftest import DEV_ADDRESS, DEV_KEY, ankr, wait_for
from test_oracle import ALICE, failing_request, oracle_chain, relay  # noqa: F401 (oracle_chain is a fixture)

WRONG_CHECKSUM = DEV_ADDRESS[:-1] + DEV_ADDRESS[-1].lower()


def closed_port():
    """A loopback port nothing listens on: bound, then released."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_refused_values_say_why():
    short = ankr("util", "address", "0x46", check=False)
    assert (short.returncode, short.stderr) == (1, "ankr: error: a private key is 32 bytes (64 hex digits); got 1 byte\n")

    wrong = ankr("balance", WRONG_CHECKSUM, check=False)
    assert wrong.returncode == 64
    assert wrong.stderr.splitlines()[0] == (f"Error: The value '{WRONG_CHECKSUM}' is invalid for '<address>': address {WRONG_CHECKSUM} "
                                            f"has a wrong EIP-55 checksum (mistyped, or its letters' case changed); if its digits are right, it is {DEV_ADDRESS}")

    amount = ankr("send", "--to", DEV_ADDRESS, "--value", "1ankx", "--private-key", DEV_KEY, check=False)
    assert amount.returncode == 64
    assert ("cannot read amount 1ankx: give wei (100 or 0x64) or a number with a unit, one of ankr, ether, gwei, wei (1.5ankr, 20gwei)"
            in amount.stderr.splitlines()[0])

    key = ankr("send", "--to", DEV_ADDRESS, "--value", "1", "--private-key", "0x4646abcd", check=False)
    assert key.returncode == 64
    assert key.stderr.splitlines()[0] == ("Error: The value given is invalid for '--private-key <private-key>': "
                                          "a private key is 32 bytes (64 hex digits); got 4 bytes")
    assert "4646abcd" not in key.stderr, "a key is never echoed"

    # `ankr appchain finalize` refuses what it cannot use before it reads any chain.
    finalize = ["appchain", "finalize", "--chain", "1", "--app-rpc", "http://127.0.0.1:1", "--private-key", DEV_KEY]
    for bad, why in [(["--tx", "0x12"], "--tx must be a 32-byte transaction hash"),
                     (["--tx", "0x" + "ab" * 32, "--chain", "0"], "--chain must be 1…"),
                     (["--tx", "0x" + "ab" * 32, "--app-rpc", "ftp://x"], "--app-rpc must be an http(s) URL")]:
        out = ankr(*finalize, *bad, check=False)
        assert out.returncode == 1 and why in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


def test_a_node_that_is_down_is_named():
    port = closed_port()
    down = ankr("balance", DEV_ADDRESS, "--rpc", f"http://127.0.0.1:{port}", check=False)
    assert (down.returncode, down.stderr) == (1, f"ankr: error: cannot reach the node at http://127.0.0.1:{port} (connection refused)\n")


def test_a_failed_request_exits_1_with_its_cause_and_the_relay_logs_a_lost_node_once(oracle_chain):
    node, w3, source, tmp = oracle_chain
    d = relay(node, tmp)
    try:
        answer = failing_request(node, "--url", f"https://localhost:{closed_port()}/price", "--path", "/usd")
        assert answer["errorName"] == "sourceUnavailable" and answer["cause"].startswith("the source is unreachable: "), answer
        # The answer and its cause are on chain: `oracle status` reads them back, and exits 0 (the query worked).
        again = ankr("oracle", "status", answer["id"], "--rpc", node.url)
        assert '"cause" : "the source is unreachable: ' in again.stdout

        url = node.url
        node.stop()
        log = tmp / "relay.log"
        down = f"cannot reach the node at {url} (connection refused); retrying"
        wait_for(lambda: down in log.read_text(), 20, "the relay to notice its node is down")
        time.sleep(3)  # some 15 rounds at --interval 0.2
        lines = [l for l in log.read_text().splitlines() if "retrying" in l]
        assert lines == [l for l in lines if down in l] and len(lines) == 1, lines
    finally:
        d.stop()


def test_an_operator_whose_node_goes_down_logs_it_once(node, tmp_path):
    from test_plasma_chain import Daemon

    ankr("plasma", "create", "--stake", "1ankr", "--private-key", DEV_KEY, "--rpc", node.url)
    log = tmp_path / "operator.log"
    op = Daemon(["operator", "--chain", "1", "--private-key", DEV_KEY, "--rpc", node.url, "--http.port", "0", "--block-interval", "0.3",
                 "--deposit-confirmations", "0", "--datadir", str(tmp_path / "op")], log)
    try:
        op.url()
        url = node.url
        node.stop()
        # A round in flight when the node dies meets "connection closed before a reply", later ones "connection refused":
        # one outage, one line.
        down = f"cannot reach the node at {url} ("
        wait_for(lambda: down in log.read_text(), 20, "the operator to notice its node is down")
        time.sleep(3)  # rounds every ~1 s
        lines = [l for l in log.read_text().splitlines() if "retrying" in l]
        assert len(lines) == 1 and down in lines[0] and lines[0].endswith("); retrying"), lines
    finally:
        op.stop()
