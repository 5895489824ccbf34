"""One `ankr evm batch` process, fed a case and read an answer at a time. When Ankr dies on a case (a
trap is a crash of the whole node in production) or stops answering, the case is reported as a crash
or hang and the next case gets a fresh process."""
import bisect
import functools
import json
import os
import re
import select
import subprocess
import tempfile

from . import opcodes, revm



def evm_command(binary):
    """The argv prefix of the EVM commands: `ankr-evm` is `ankr evm` built alone."""
    return [binary] if os.path.basename(binary).startswith("ankr-evm") else [binary, "evm"]


def default_binary(root):
    """The optimized `ankr-evm` (`make statetests` builds it), else an optimized or debug `ankr`."""
    for candidate in (("release", "ankr-evm"), ("release", "ankr"), ("debug", "ankr")):
        path = os.path.join(root, ".build", *candidate)
        if os.path.exists(path):
            return path
    return os.path.join(root, ".build", "debug", "ankr")

class AnkrCrash(Exception):
    """Ankr's process ended while running a case: `site` names the trapping function and its caller
    (from Swift's backtrace, resolved against the binary's symbols), the message adds the signal."""

    def __init__(self, message, site):
        super().__init__(message)
        self.site = site


class AnkrHang(Exception):
    """Ankr gave no answer within the timeout (the process is killed)."""


class AnkrRefused(Exception):
    """Ankr could not read the case (`{"error": …}`): a harness bug, not an EVM divergence."""


BACKTRACE = "enable=yes,symbolicate=off,interactive=no,threads=crashed,registers=none,images=none,limit=6"
_FRAME = re.compile(r"^\s*\d+\s+(\S+)\s+0x[0-9a-f]+\s+\S+ \+ (\d+)", re.M)


class Symbols:
    """The binary's function symbols by address (`nm`), demangled on demand (`swift demangle`), to name
    the frames of an unsymbolicated Swift backtrace."""

    def __init__(self, binary):
        self.image = os.path.basename(binary)
        self.addresses, self.names, self.demangled = [], [], {}
        try:
            out = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return
        table = sorted((int(a, 16), n) for a, t, n in (line.split() for line in out.splitlines() if line.count(" ") == 2)
                       if t in "tTwW")
        self.addresses = [a for a, _ in table]
        self.names = [n for _, n in table]

    def name(self, offset):
        i = bisect.bisect_right(self.addresses, offset) - 1
        if i < 0:
            return hex(offset)
        mangled = self.names[i]
        if mangled not in self.demangled:
            try:
                self.demangled[mangled] = subprocess.run(["swift", "demangle", "--simplified", "--compact", mangled],
                                                         capture_output=True, text=True, timeout=60).stdout.strip() or mangled
            except (OSError, subprocess.TimeoutExpired):
                self.demangled[mangled] = mangled
        return self.demangled[mangled]

    def site(self, stderr):
        """`Fatal error message: f <- caller` from a crash's stderr (Ankr's own frames only)."""
        message = next((line.strip() for line in stderr.splitlines() if "Fatal error" in line), None)
        frames = [self.name(int(off)) for image, off in _FRAME.findall(stderr) if image == self.image][:2]
        where = " <- ".join(frames) if frames else "an unknown site"
        return f"{message} in {where}" if message else where


def with_block_hashes(case):
    """The case as Ankr gets it: when any code holds a BLOCKHASH instruction, the 256 hashes before the
    block are spelled out, as revm's in-memory database would answer them."""
    if not any(_has_blockhash(a.get("code", "0x")) for a in case["pre"].values()):
        return case
    return dict(case, env=dict(case["env"], blockHashes=_recent_hashes(int(case["env"]["number"], 16))))


@functools.lru_cache(maxsize=4096)
def _has_blockhash(code):
    raw = bytes.fromhex(code[2:])
    return b"\x40" in raw and any(op == 0x40 for op, _ in opcodes.parse(raw))


@functools.lru_cache(maxsize=64)
def _recent_hashes(number):
    return {str(n): revm.block_hash(n) for n in range(max(0, number - 256), number)}


class AnkrBatch:
    def __init__(self, binary, timeout=60.0):
        self.binary, self.timeout = binary, timeout
        self.proc, self.buffer, self.stderr = None, b"", None
        self.restarts = 0
        self.symbols = None

    def start(self):
        self.stderr = tempfile.TemporaryFile()
        # An unsymbolicated backtrace of the crashed thread only: a tenth of a second per crash instead of
        # seconds; `Symbols` names the frames.
        self.proc = subprocess.Popen(evm_command(self.binary) + ["batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, bufsize=0, env=dict(os.environ, SWIFT_BACKTRACE=BACKTRACE))
        self.buffer = b""

    def close(self):
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None

    def _died(self):
        """Why the process ended, as an AnkrCrash; forgets the process so the next case starts a new one."""
        code = self.proc.wait()
        self.stderr.seek(0)
        text = self.stderr.read().decode(errors="replace")
        self.proc = None
        self.stderr.close()
        self.stderr = None
        self.restarts += 1
        if self.symbols is None:
            self.symbols = Symbols(self.binary)
        site = self.symbols.site(text)
        how = f"signal {-code}" if code < 0 else f"exit {code}"
        return AnkrCrash(f"{how} in {site}", site)

    def run(self, case):
        if self.proc is None:
            self.start()
        line = (json.dumps(with_block_hashes(case), separators=(",", ":")) + "\n").encode()
        try:
            self.proc.stdin.write(line)
        except BrokenPipeError:
            raise self._died()
        fd = self.proc.stdout.fileno()
        # Only each new chunk is searched for the end of the line and chunks are joined once: a traced answer runs
        # to tens of MB, and re-scanning (and re-copying) the whole buffer per 64 KiB read was quadratic.
        chunks, end = [self.buffer], self.buffer.find(b"\n")
        while end < 0:
            ready, _, _ = select.select([fd], [], [], self.timeout)
            if not ready:
                self.proc.kill()
                self._died()
                raise AnkrHang(f"no answer in {self.timeout:.0f} s")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise self._died()
            chunks.append(chunk)
            end = chunk.find(b"\n")
        data = b"".join(chunks)
        answer, self.buffer = data.split(b"\n", 1)
        result = json.loads(answer)
        if "error" in result:
            raise AnkrRefused(result["error"])
        return result


