"""Fixtures that run a real `ankr node --dev` process on a free loopback port."""
import os
import re
import signal
import subprocess
import tempfile
import time

import pytest
from web3 import Web3

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ANKR = os.environ.get("ANKR_BIN", os.path.join(ROOT, ".build", "debug", "ankr"))
DEV_KEY = "0x4646464646464646464646464646464646464646464646464646464646464646"
DEV_ADDRESS = "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"
# Block rewards go here, not to the dev account, so balance checks stay exact.
COINBASE = "0x00000000000000000000000000000000C0FfeE00"


def wait_for(predicate, timeout, what, interval=0.2):
    """Polls predicate (exceptions count as not yet) until it holds or `timeout` seconds pass."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return
        except Exception:
            pass
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def ankr(*args, check=True):
    """Runs the ankr CLI; returns the CompletedProcess (text)."""
    return subprocess.run([ANKR, *args], capture_output=True, text=True, check=check, timeout=180)


class NodeProcess:
    """One node process; start() waits for its RPC line, kill() sends SIGKILL."""

    def __init__(self, datadir, extra=(), coinbase=None):
        self.datadir = datadir
        self.extra = list(extra)
        self.coinbase = coinbase or COINBASE
        self.proc = None
        self.port = None
        self.p2p_port = None
        self.stderr = None

    def start(self):
        self.stderr = open(os.path.join(self.datadir, "node.log"), "ab")
        self.proc = subprocess.Popen(
            [ANKR, "node", "--dev", "--datadir", self.datadir, "--http.port", "0", "--p2p.port", "0",
             "--miner.coinbase", self.coinbase, *self.extra],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            p2p = re.search(r"P2P listening on 127\.0\.0\.1:(\d+)", line or "")
            if p2p:
                self.p2p_port = int(p2p.group(1))
                continue
            match = re.search(r"http://127\.0\.0\.1:(\d+)", line or "")
            if match:
                self.port = int(match.group(1))
                return self
            if self.proc.poll() is not None:
                break
        raise RuntimeError("node did not start; see " + os.path.join(self.datadir, "node.log"))

    @property
    def enode(self):
        return f"127.0.0.1:{self.p2p_port}"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def web3(self):
        return Web3(Web3.HTTPProvider(self.url, request_kwargs={"timeout": 10}))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.stderr:
            self.stderr.close()

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.stderr.close()


@pytest.fixture
def datadir():
    with tempfile.TemporaryDirectory(prefix="ankr-e2e-") as d:
        yield d


@pytest.fixture
def node(datadir):
    n = NodeProcess(datadir).start()
    yield n
    n.stop()


@pytest.fixture
def devnet():
    """A one-node PoUW devnet (simulated enclave, funded worker account), as `ankr devnet` starts it; yields (url, dir)."""
    with tempfile.TemporaryDirectory(prefix="ankr-work-") as d:
        proc = subprocess.Popen([ANKR, "devnet", "--nodes", "1", "--dir", d, "--http.port", "0", "--period", "1", "--status", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            url = None
            deadline = time.time() + 60
            while url is None and time.time() < deadline:
                m = re.search(r"^node0\s+(http://127\.0\.0\.1:\d+)", proc.stdout.readline() or "")
                if m:
                    url = m.group(1)
            assert url, "devnet did not start"
            yield url, d
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
