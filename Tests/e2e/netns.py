"""Real network faults for e2e tests: Linux network namespaces joined by point-to-point veth links.

Layout (all inside namespaces this module creates; the host's interfaces and routes are never touched):
- node namespace i (1..n) holds the node's address 10.77.1.i/32 on its loopback, one veth `p<j>` per
  other node j and one veth `c` to the client namespace; a /32 route per peer sends its traffic over
  that peer's own link. IP forwarding stays off, so there is no path between two nodes except their
  direct link: cutting links gives any partition, including a "bridge" node that alone sees both halves.
- the client namespace holds 10.77.0.100/32 and one veth `n<i>` per node; the test process joins it
  (setns on its own thread) to talk JSON-RPC to the nodes. The nemesis never touches client links.

A cut link is set down at both ends and its route is blackholed, so packets already queued to the
peer vanish like on a dead cable. Degraded links get `tc netem` delay and loss when the kernel has
sch_netem; otherwise (`netem` is False, e.g. a kernel without modules) a `tbf` rate limit whose queue
adds latency under load. Names carry a prefix and the creating pid; `cleanup()` (also run at exit)
deletes every namespace, which deletes their veths.
"""
import atexit
import ctypes
import os
import re
import subprocess
from contextlib import contextmanager

CLONE_NEWNET = 0x40000000
PREFIX = "ankrfault"


def _run(*args, check=True):
    return subprocess.run(list(args), capture_output=True, text=True, check=check, timeout=30)


def node_ip(i):
    return f"10.77.1.{i}"


CLIENT_IP = "10.77.0.100"


def unavailable_reason():
    """Why namespaces cannot be made here (None when they can): not root, no iproute2, no CAP_NET_ADMIN."""
    if os.geteuid() != 0:
        return "network namespaces need root (CAP_NET_ADMIN and CAP_SYS_ADMIN)"
    try:
        _run("ip", "-V")
    except (OSError, subprocess.SubprocessError):
        return "iproute2 (`ip`) is not installed"
    probe = f"{PREFIX}probe{os.getpid()}"
    try:
        _run("ip", "netns", "add", probe)
    except subprocess.CalledProcessError as e:
        return "cannot create a network namespace: " + e.stderr.strip()
    finally:
        _run("ip", "netns", "del", probe, check=False)
    return None


def remove_stale():
    """Deletes namespaces left by runs whose process is gone (a crashed run must not collide with this one)."""
    out = _run("ip", "netns", "list", check=False).stdout
    for name in re.findall(rf"^({PREFIX}(\d+)\S*)", out, re.M):
        full, pid = name
        if not os.path.exists(f"/proc/{pid}"):
            _run("ip", "netns", "del", full, check=False)


class Network:
    """n node namespaces, fully meshed, plus a client namespace. Links are (i, j) with i < j, 1-based."""

    def __init__(self, n):
        self.n = n
        self.tag = f"{PREFIX}{os.getpid()}"
        self.client = f"{self.tag}c"
        self.nodes = {i: f"{self.tag}n{i}" for i in range(1, n + 1)}
        self.cut_links = set()
        self.degraded = set()
        self.netem = False
        self._created = []
        atexit.register(self.cleanup)

    def ns(self, i):
        return self.nodes[i]

    def _ip(self, ns, *args, check=True):
        return _run("ip", "-n", ns, *args, check=check)

    def create(self):
        for ns in [self.client, *self.nodes.values()]:
            _run("ip", "netns", "add", ns)
            self._created.append(ns)
            self._ip(ns, "link", "set", "lo", "up")
        self._ip(self.client, "addr", "add", f"{CLIENT_IP}/32", "dev", "lo")
        for i, ns in self.nodes.items():
            self._ip(ns, "addr", "add", f"{node_ip(i)}/32", "dev", "lo")
            # Client link: the test's RPC path, never faulted.
            self._ip(self.client, "link", "add", f"n{i}", "type", "veth", "peer", "name", "c", "netns", ns)
            self._ip(self.client, "link", "set", f"n{i}", "up")
            self._ip(ns, "link", "set", "c", "up")
            self._ip(self.client, "route", "add", f"{node_ip(i)}/32", "dev", f"n{i}", "src", CLIENT_IP)
            self._ip(ns, "route", "add", f"{CLIENT_IP}/32", "dev", "c", "src", node_ip(i))
        for i in self.nodes:
            for j in self.nodes:
                if i < j:
                    self._ip(self.ns(i), "link", "add", f"p{j}", "type", "veth", "peer", "name", f"p{i}", "netns", self.ns(j))
                    self._up(i, j)
        self.netem = self._probe_netem()
        return self

    def _probe_netem(self):
        r = _run("ip", "netns", "exec", self.ns(1), "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms", check=False)
        if r.returncode != 0:
            return False
        _run("ip", "netns", "exec", self.ns(1), "tc", "qdisc", "del", "dev", "lo", "root", check=False)
        return True

    def _up(self, i, j):
        for a, b in ((i, j), (j, i)):
            self._ip(self.ns(a), "link", "set", f"p{b}", "up")
        for a, b in ((i, j), (j, i)):
            self._ip(self.ns(a), "route", "replace", f"{node_ip(b)}/32", "dev", f"p{b}", "src", node_ip(a))

    @staticmethod
    def links_between(side_a, side_b):
        return {(min(a, b), max(a, b)) for a in side_a for b in side_b}

    def cut(self, links):
        for i, j in links:
            if (i, j) in self.cut_links:
                continue
            for a, b in ((i, j), (j, i)):
                self._ip(self.ns(a), "link", "set", f"p{b}", "down")
                self._ip(self.ns(a), "route", "replace", "blackhole", f"{node_ip(b)}/32")
            self.cut_links.add((i, j))

    def degrade(self, links, rng):
        """Adds latency and loss (netem) or a tight rate limit (tbf) to both directions of each link."""
        for i, j in links:
            if self.netem:
                spec = ["netem", "delay", f"{rng.randint(50, 200)}ms", "loss", f"{rng.randint(5, 20)}%"]
            else:
                spec = ["tbf", "rate", f"{rng.choice([32, 64, 128])}kbit", "burst", "4kb", "latency", "400ms"]
            for a, b in ((i, j), (j, i)):
                _run("ip", "netns", "exec", self.ns(a), "tc", "qdisc", "replace", "dev", f"p{b}", "root", *spec)
            self.degraded.add((i, j))

    def heal(self):
        """Every link up, routed and without qdisc faults."""
        for i, j in sorted(self.degraded):
            for a, b in ((i, j), (j, i)):
                _run("ip", "netns", "exec", self.ns(a), "tc", "qdisc", "del", "dev", f"p{b}", "root", check=False)
        self.degraded.clear()
        for i, j in sorted(self.cut_links):
            self._up(i, j)
        self.cut_links.clear()

    def cleanup(self):
        for ns in reversed(self._created):
            r = _run("ip", "netns", "del", ns, check=False)
            if r.returncode != 0:
                print(f"netns: could not delete {ns}: {r.stderr.strip()}")
        self._created.clear()


_libc = ctypes.CDLL(None, use_errno=True)


@contextmanager
def inside(ns):
    """Runs the calling thread (and threads it starts meanwhile) in namespace `ns`, then returns it home."""
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    target = os.open(f"/var/run/netns/{ns}", os.O_RDONLY)
    try:
        if _libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns into " + ns)
        try:
            yield
        finally:
            if _libc.setns(home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back to the original namespace")
    finally:
        os.close(target)
        os.close(home)
