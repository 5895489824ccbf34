"""The enclave as its own process: `ankr node --mine --enclave.socket` mines through a real `ankr-enclave`,
survives the enclave process going away, and mines again once it is back with the same key."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time

from web3 import Web3

from conftest import ANKR, ROOT, wait_for

ENCLAVE = os.environ.get("ANKR_ENCLAVE_BIN", os.path.join(ROOT, ".build", "debug", "ankr-enclave"))


def devnet_datadir(d):
    """Lets `ankr devnet` write a one-miner PoUW genesis and node0's datadir (with its development root key), then stops it."""
    proc = subprocess.Popen([ANKR, "devnet", "--nodes", "1", "--dir", d, "--http.port", "0", "--status", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        output.append(line)
        if re.search(r"^node0\s", line) or (not line and proc.poll() is not None):
            break
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=120)  # a loaded CI machine: the miner finishes its subtask first
    node0 = os.path.join(d, "node0")
    assert os.path.exists(os.path.join(node0, "attestation-root.key")), "ankr devnet did not start: " + "".join(output)
    return node0


def start_enclave(node0):
    proc = subprocess.Popen([ENCLAVE, "--socket", os.path.join(node0, "enclave.sock"), "--backend", "simulated",
                             "--attestation-root-key", os.path.join(node0, "attestation-root.key"),
                             "--name", "ankr-miner-v1", "--key-file", os.path.join(node0, "enclave.key")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = json.loads(proc.stdout.readline())
    return proc, ready


def test_node_mines_through_the_enclave_process_and_outlives_it():
    with tempfile.TemporaryDirectory(prefix="ankr-encl-") as d:
        node0 = devnet_datadir(d)
        enclave, ready = start_enclave(node0)
        log = open(os.path.join(node0, "remote-node.log"), "ab")
        node = subprocess.Popen([ANKR, "node", "--datadir", node0, "--http.port", "0", "--p2p.port", "0", "--mine",
                                 "--mine.duty", "0.5", "--enclave.socket", os.path.join(node0, "enclave.sock")],
                                stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            url = None
            deadline = time.time() + 120
            while url is None and time.time() < deadline:
                m = re.search(r"http://127\.0\.0\.1:(\d+)", node.stdout.readline() or "")
                url = m and f"http://127.0.0.1:{m.group(1)}"
            assert url, "the node did not start"
            w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 10}))
            wait_for(lambda: w3.eth.block_number >= 2, 120, "blocks mined through the enclave process")

            # The enclave process dies: the node keeps serving (its miner just cannot seal).
            enclave.kill()
            enclave.wait()
            time.sleep(2)
            assert node.poll() is None, "the node exited when its enclave process died"
            height = w3.eth.block_number

            # Back with the same key file: same key, same measurement, mining resumes.
            enclave, again = start_enclave(node0)
            assert again["address"] == ready["address"] and again["measurement"] == ready["measurement"]
            wait_for(lambda: w3.eth.block_number >= height + 2, 120, "mining to resume with the restarted enclave")
        finally:
            node.send_signal(signal.SIGTERM)
            try:
                node.wait(timeout=15)
            except subprocess.TimeoutExpired:
                node.kill()
            enclave.kill()
            log.close()
