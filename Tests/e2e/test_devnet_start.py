"""`ankr devnet`'s start: a fresh network says so and starts at a difficulty calibrated to this machine's fuel
rate, so its first blocks already come once per period (issue 24, item 8); a second run says it resumes the
network and at which height, and `--fresh` starts over (item 3).

The pace bound: with the difficulty right, each block interval is (at most as spread as) exponential with mean
PERIOD, so the mean of INTERVALS = 10 of them is Gamma(10)/10-distributed: 99.9 % of it lies in
[0.27, 2.38] × PERIOD. The calibration itself is a one-second measurement taken while nothing else of the
devnet runs; allowing it to be off by a third either way widens the band to [0.2, 3.2] × PERIOD, so a false
alarm stays below about one run in a thousand. What the band can catch: a calibration off by more than about
3× (a wrong unit, a miner left out of the sum). The old start at the chain's minimum difficulty ran at the
one-block-per-second stamping floor, which this band would catch only for periods above 5 s — too slow a
test here — so the banner's rate × period = genesis difficulty checks hold the calibration's arithmetic."""
import json
import re
import signal
import subprocess
import time

from conftest import ANKR, ankr, wait_for
from test_plasma_chain import rpc

PERIOD = 2
INTERVALS = 10
LOW, HIGH = 0.2, 3.2
MINIMUM_DIFFICULTY = 0x40000
CALIBRATION = re.compile(r"^starting difficulty (\d+)( \(the chain's minimum\))? for one block per (\d+) s: "
                         r"(\d+) miners? at duty ([\d.]+) measured (\d+) fuel/s together$")


class Devnet:
    """A 2-node PoUW `ankr devnet` on free ports; reads its banner up to node0's RPC line and waits for that RPC."""

    def __init__(self, directory, *extra):
        self.proc = subprocess.Popen([ANKR, "devnet", "--nodes", "2", "--period", str(PERIOD), "--status", "0", "--dir", str(directory),
                                      "--http.port", "0", *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.url = None
        deadline = time.time() + 90
        while self.url is None and time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line.rstrip("\n"))
            m = re.search(r"^node0\s+(http://127\.0\.0\.1:\d+)", line)
            if m:
                self.url = m.group(1)
        assert self.url, "the devnet did not start:\n" + "\n".join(self.lines)
        # The banner comes as the nodes are started; their RPC answers a moment later.
        wait_for(lambda: self.block(0), 60, "node0's RPC")

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=60)
        assert code == 0, "\n".join(self.lines)

    def height(self):
        return int(rpc(self.url, "eth_blockNumber", [])["result"], 16)

    def block(self, number):
        return rpc(self.url, "eth_getBlockByNumber", [hex(number), False])["result"]


def test_fresh_devnet_runs_at_its_period_from_the_first_block_then_resumes_and_starts_over(tmp_path):
    directory = tmp_path / "net"
    devnet = Devnet(directory)
    try:
        assert f"fresh network written to {directory}" in devnet.lines, devnet.lines
        calibration = [m for m in map(CALIBRATION.match, devnet.lines) if m]
        assert len(calibration) == 1, devnet.lines
        difficulty, at_minimum, per, miners, duty, rate = calibration[0].groups()
        difficulty, rate = int(difficulty), int(rate)
        assert (int(per), int(miners)) == (PERIOD, 2)
        assert 0 < float(duty) <= 1 and rate > 0
        # The printed rate is rounded to whole fuel per second: the difficulty is within PERIOD of rate × PERIOD.
        assert abs(difficulty - max(MINIMUM_DIFFICULTY, rate * PERIOD)) <= PERIOD, devnet.lines
        assert (at_minimum is not None) == (difficulty == MINIMUM_DIFFICULTY)
        genesis = json.loads((directory / "genesis.json").read_text())
        assert int(genesis["difficulty"], 16) == difficulty
        assert int(devnet.block(0)["difficulty"], 16) == difficulty

        wait_for(lambda: devnet.height() >= INTERVALS + 1, (INTERVALS + 1) * PERIOD * HIGH + 30, f"block {INTERVALS + 1}")
        # From block 1 on: block 1's own interval includes the nodes' start-up.
        first, last = (int(devnet.block(n)["timestamp"], 16) for n in (1, INTERVALS + 1))
        mean = (last - first) / INTERVALS
        assert LOW * PERIOD <= mean <= HIGH * PERIOD, f"mean block interval {mean:.2f} s against a period of {PERIOD} s"
        height = devnet.height()
    finally:
        devnet.stop()
    genesis_bytes = (directory / "genesis.json").read_bytes()
    first_log = (directory / "node0" / "node.log").read_bytes()
    assert first_log, "node0 logged nothing"

    # The devnet reads the network's height before its nodes start: at least where they stopped.
    again = Devnet(directory)
    try:
        resumed = [line for line in again.lines if line.startswith("resuming the network in ")]
        assert len(resumed) == 1, again.lines
        m = re.match(rf"^resuming the network in {re.escape(str(directory))} at height (\d+) "
                     rf"\(delete {re.escape(str(directory))} or use `--fresh` to start over\)$", resumed[0])
        assert m and int(m.group(1)) >= height, resumed[0]
        assert not any(line.startswith(("fresh network", "starting difficulty")) for line in again.lines), again.lines
        assert (directory / "genesis.json").read_bytes() == genesis_bytes, "a resumed network keeps its genesis"
        assert again.height() >= height
        # A resumed node appends to its log: the first run's lines are still at its start.
        assert (directory / "node0" / "node.log").read_bytes().startswith(first_log)
    finally:
        again.stop()

    other = ankr("devnet", "--dir", str(directory), "--consensus", "dev", "--http.port", "0", check=False)
    assert other.returncode == 1 and f"{directory} holds a pouw network, not dev" in other.stderr, other.stderr

    over = Devnet(directory, "--fresh")
    try:
        assert f"fresh network written to {directory}" in over.lines, over.lines
        assert (directory / "genesis.json").read_bytes() != genesis_bytes
        assert over.height() < height
    finally:
        over.stop()


def test_fresh_deletes_nothing_in_a_directory_the_devnet_did_not_write(tmp_path):
    (tmp_path / "genesis.json").write_text("{}")
    (tmp_path / "chaindata.sqlite").write_text("a node's own data directory")
    r = ankr("devnet", "--dir", str(tmp_path), "--fresh", "--http.port", "0", check=False)
    assert r.returncode == 1, r.stdout
    assert f"--fresh deletes only what `ankr devnet` wrote, and {tmp_path} also holds chaindata.sqlite" in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chaindata.sqlite", "genesis.json"]
