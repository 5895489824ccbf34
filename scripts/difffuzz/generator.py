"""Deterministic cases from (seed, index): a block, a transaction and a pre-state whose target contract
runs either a random program or a mutated GeneralStateTests contract.

A case is the JSON object `ankr evm batch` reads (see Sources/ankr/EVM/BatchCase.swift): numbers are
`0x` strings, so the same object is what regression files under Tests/evm/difffuzz keep."""
import glob
import json
import os
import random

from . import opcodes
from . import values as V

CALLER = "0x000000000000000000000000000000000000ca11"
TARGET = "0x000000000000000000000000000000000000c0de"
OTHER = "0x000000000000000000000000000000000000b0b0"
EOA = "0x000000000000000000000000000000000000e0a0"
COINBASE = "0x000000000000000000000000000000000000c014"
EMPTY = "0x00000000000000000000000000000000000dead0"
PRECOMPILES = [f"0x{n:040x}" for n in range(1, 11)]

SECP_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
BN_P = 0x30644E72E131A029B85045B68181585D97816A916871CA8D3C208C16D87CFD47
BN_N = 0x30644E72E131A029B85045B68181585D2833E84879B9709143E1F593F0000001
# The G2 generator as EIP-197 encodes it: x = x_im·i + x_re, y = y_im·i + y_re, imaginary part first.
G2 = [0x198E9393920D483A7260BFB731FB5D25F1AA493335A9E71297E485B7AEF312C2,
      0x1800DEEF121F1E76426A00665E5C4479674322D4F75EDADD46DEBD5CD992F6ED,
      0x090689D0585FF075EC9E99AD690C3395BC4B313370B38EF355ACDADCD122975B,
      0x12C85EA5DB8C6DEB4AAB71808DCB408FE3D1E7690C43D37B4CE6CC0166FA7DAA]
BLAKE2_IV = bytes.fromhex("48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
                          "d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b")
FRACTION = 3_338_477  # EIP-4844 blob base fee update fraction


def _signature():
    """A real secp256k1 signature (hash, v, r, s) so ecrecover has something to recover."""
    try:
        from eth_keys import keys
    except ImportError:
        return (1, 27, 1, 1)
    key = keys.PrivateKey(bytes([7]) * 32)
    h = bytes(range(32))
    sig = key.sign_msg_hash(h)
    return (int.from_bytes(h, "big"), 27 + sig.v, sig.r, sig.s)


SIGNATURE = _signature()


def hx(n):
    return hex(n)


class Program:
    """A program under construction: instructions, jump labels resolved at assembly, and a simulated
    stack height so most generated operations find their operands."""

    def __init__(self, rng, ctx):
        self.rng, self.ctx = rng, ctx
        self.items = []  # (opcode, immediate) or ("label", fraction)
        self.height = 0
        self.results = 0

    def op(self, op):
        kinds = opcodes.TABLE.get(op, ("", ""))[1]
        self.items.append((op, b""))
        self.height = max(0, self.height - len(kinds)) + opcodes.PUSHES.get(op, 0)

    def push(self, v, width=None):
        v &= V.M256
        if v == 0 and width is None and self.rng.random() < 0.5:
            self.items.append((0x5F, b""))
        else:
            n = max(1, (v.bit_length() + 7) // 8)
            if width is None and self.rng.random() < 0.08:
                width = 32
            n = max(n, width or 0)
            self.items.append((0x5F + n, v.to_bytes(n, "big")))
        self.height += 1

    def label(self):
        self.items.append(("label", self.rng.random()))
        self.height += 1

    def operand(self, kind):
        """Pushes one operand of the given kind, biased to boundaries."""
        rng, ctx = self.rng, self.ctx
        r = rng.random()
        if kind == "o":
            self.push(rng.choice(V.OFFSETS_SMALL) if r < 0.95 else rng.choice(V.OFFSETS_LARGE))
        elif kind == "s":
            self.push(rng.choice(V.SIZES_SMALL) if r < 0.95 else rng.choice(V.SIZES_LARGE))
        elif kind == "a":
            if r < 0.1:
                self.op(0x30)  # ADDRESS
            elif r < 0.15:
                self.op(0x33)  # CALLER
            else:
                choices = [TARGET, OTHER, OTHER, EOA, CALLER, ctx["coinbase"], EMPTY] + PRECOMPILES[:2] + [rng.choice(PRECOMPILES)]
                a = int(rng.choice(choices), 16)
                # Addresses are the low 160 bits: high garbage must be ignored.
                if rng.random() < 0.1:
                    a |= rng.choice([1 << 160, 1 << 255, V.M256 ^ ((1 << 160) - 1)])
                self.push(a)
        elif kind == "g":
            if r < 0.5:
                self.op(0x5A)  # GAS
            else:
                self.push(rng.choice(V.GAS))
        elif kind == "w":
            if r < 0.1:
                self.op(0x47)  # SELFBALANCE
            else:
                self.push(rng.choice(V.WEI))
        elif kind == "k":
            self.push(rng.choice(V.SLOTS) if r < 0.9 else V.word(rng))
        elif kind == "i":
            self.push(rng.choice(V.INDEXES) if r < 0.8 else V.word(rng))
        elif kind == "b":
            self.push(rng.choice(V.SHIFTS) if r < 0.85 else V.word(rng))
        elif kind == "n":
            number = ctx["number"]
            self.push(rng.choice([number, number - 1, number - 2, number - 256, number - 257, 0, number + 1, 1 << 64,
                                  (1 << 63), V.M256]) if r < 0.9 else V.word(rng))
        elif kind == "j":
            if r < 0.8:
                self.label()
            else:
                self.push(rng.choice([0, 1, 2, 3, 100, 1 << 32, 1 << 64, V.M256]))
        else:
            self.push(V.word(rng))

    def instruction(self, op, feed=0.97):
        """`op` with its operands pushed (usually), and its result kept in memory (often) so the output shows it."""
        kinds = opcodes.TABLE[op][1] if op in opcodes.TABLE else ""
        if op == 0x3E and self.rng.random() < 0.8:
            # RETURNDATACOPY past the return data fails the frame: mostly stay inside it.
            if self.rng.random() < 0.6:
                self.op(0x3D)  # RETURNDATASIZE
            else:
                self.push(self.rng.choice([0, 0, 1, 32]))
            self.push(self.rng.choice([0, 0, 0, 1, 32]))
            self.operand("o")
        elif op in opcodes.TABLE and not opcodes.TABLE[op][0].startswith(("DUP", "SWAP")) and self.rng.random() < feed:
            for kind in reversed(kinds):
                self.operand(kind)
        self.op(op)
        if opcodes.PUSHES.get(op) == 1 and opcodes.push_size(op) == 0 and self.height > 0 and self.rng.random() < 0.5:
            self.keep()

    def keep(self):
        """MSTORE the top of stack into the result area (0x000–0x3e0): it comes back in RETURN data."""
        self.push((self.results % 32) * 32)
        self.op(0x52)
        self.results += 1

    def store_memory(self, offset, data):
        """MSTOREs that put `data` at `offset` (32-byte chunks; the last chunk is zero-padded)."""
        for i in range(0, len(data), 32):
            chunk = data[i:i + 32].ljust(32, b"\0")
            self.push(int.from_bytes(chunk, "big"), width=32)
            self.push(offset + i)
            self.op(0x52)

    def assemble(self):
        positions, pc = [], 0
        for item in self.items:
            positions.append(pc)
            pc += 3 if item[0] == "label" else 1 + len(item[1])
        dests = [positions[i] for i, item in enumerate(self.items) if item[0] == 0x5B]
        out = bytearray()
        for item in self.items:
            if item[0] == "label":
                target = dests[int(item[1] * len(dests))] if dests else int(item[1] * max(pc, 1))
                out += bytes([0x61]) + target.to_bytes(2, "big")
            else:
                out += bytes([item[0]]) + item[1]
        return bytes(out)


ARITH = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B]
BITS = [0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D]
ENV = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x38, 0x3A, 0x3B, 0x3D, 0x3F, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45,
       0x46, 0x47, 0x48, 0x49, 0x4A, 0x58, 0x59, 0x5A]
MEMORY = [0x51, 0x52, 0x53, 0x5E, 0x20, 0x37, 0x39, 0x3C, 0x3E]
STORAGE = [0x54, 0x55, 0x55, 0x5C, 0x5D]
LOGS = [0xA0, 0xA1, 0xA2, 0xA3, 0xA4]
HALTS = [0x00, 0xF3, 0xFD, 0xFE, 0xFF]


def precompile_call(rng):
    """Input for one precompile in memory at 0x400, then a call to it; success and output kept."""
    n = rng.randrange(1, 11) if rng.random() < 0.25 else rng.choice([1, 2, 4, 5, 5, 6, 7, 8, 8, 9, 10])
    w = lambda v: (v & V.M256).to_bytes(32, "big")  # noqa: E731
    if n == 1:
        h, v, r, s = SIGNATURE
        data = w(rng.choice([h, h, 0, V.word(rng)])) + w(rng.choice([v, v, 27, 28, 0, 1, 29, 27 + (1 << 255)])) + \
            w(rng.choice([r, r, 0, 1, SECP_N - 1, SECP_N, V.M256])) + w(rng.choice([s, s, 0, 1, SECP_N - 1, SECP_N, SECP_N // 2 + 1]))
        size = rng.choice([128, 128, 0, 1, 64, 97, 127, 129, 200])
    elif n in (2, 3, 4):
        size = rng.choice(V.SIZES_SMALL + [1000, 4096])
        data = bytes(rng.getrandbits(8) for _ in range(min(size, 96)))
    elif n == 5:
        lens = [rng.choice([0, 0, 1, 2, 31, 32, 33, 64, 1024, 1 << 32, (1 << 64) - 1, 1 << 255, V.M256]) for _ in range(3)]
        if rng.random() < 0.5:
            lens = [rng.choice([0, 1, 2, 32, 33, 64]) for _ in range(3)]
        body = bytes(rng.choice([0, 1, 0xFF, rng.getrandbits(8)]) for _ in range(sum(x for x in lens if x <= 64)))
        data = w(lens[0]) + w(lens[1]) + w(lens[2]) + body
        size = rng.choice([len(data), len(data), 96, 0, 32, len(data) + 32, (1 << 64) - 1])
    elif n in (6, 7):
        points = [(1, 2), (0, 0), (1, 3), (BN_P, 2), (1, BN_P + 2), (BN_P - 1, 1), (V.M256, 2)]
        (x1, y1), (x2, y2) = rng.choice(points[:3] + points), rng.choice(points[:3] + points)
        if n == 6:
            data = w(x1) + w(y1) + w(x2) + w(y2)
            size = rng.choice([128, 128, 0, 64, 127, 129, 256])
        else:
            data = w(x1) + w(y1) + w(rng.choice([0, 1, 2, BN_N - 1, BN_N, BN_N + 1, V.M256, rng.getrandbits(256)]))
            size = rng.choice([96, 96, 0, 64, 95, 97, 128])
    elif n == 8:
        pairs = rng.choice([0, 1, 2, 2, 3])
        data = b""
        for i in range(pairs):
            g1 = rng.choice([(1, 2), (1, BN_P - 2), (0, 0), (1, 3)]) if i == 0 else (1, BN_P - 2)
            g2 = rng.choice([G2, G2, [0, 0, 0, 0], [G2[0], G2[1], G2[2], G2[3] ^ 1], [BN_P] + G2[1:]])
            data += w(g1[0]) + w(g1[1]) + b"".join(w(x) for x in g2)
        size = rng.choice([len(data), len(data), len(data) + 1, max(0, len(data) - 1), 192 * 4])
    elif n == 9:
        rounds = rng.choice([0, 1, 12, 12, 100, (1 << 32) - 1])
        data = rounds.to_bytes(4, "big") + BLAKE2_IV + bytes(rng.getrandbits(8) for _ in range(128)) + \
            rng.choice([0, 1 << 64, (1 << 128) - 1]).to_bytes(16, "little") + bytes([rng.choice([0, 1, 1, 2])])
        size = rng.choice([213, 213, 213, 212, 214, 0])
    else:
        data = bytes(rng.getrandbits(8) for _ in range(192))
        size = rng.choice([192, 192, 0, 191, 193])
    return n, data, size


def random_program(rng, ctx, length=None, ending=True):
    prog = Program(rng, ctx)
    length = length if length is not None else rng.choice([1, 2, 3, 5, 8, 12, 20, 30, 45, 60])
    for _ in range(length):
        r = rng.random()
        if r < 0.20:
            prog.instruction(rng.choice(ARITH))
        elif r < 0.30:
            prog.instruction(rng.choice(BITS))
        elif r < 0.38:
            prog.instruction(rng.choice(ENV))
        elif r < 0.48:
            prog.instruction(rng.choice(MEMORY))
        elif r < 0.55:
            prog.instruction(rng.choice(STORAGE))
        elif r < 0.59:
            prog.instruction(rng.choice(LOGS))
        elif r < 0.63:
            prog.op(0x5B)  # JUMPDEST
            if rng.random() < 0.5:
                prog.instruction(rng.choice([0x56, 0x57, 0x57]))
        elif r < 0.70:
            prog.instruction(rng.choice([0xF1, 0xF1, 0xF2, 0xF4, 0xFA]))
            if rng.random() < 0.5:
                prog.instruction(rng.choice([0x3D, 0x3E, 0x3E]))
        elif r < 0.76:
            n, data, size = precompile_call(rng)
            prog.store_memory(0x400, data)
            call = rng.choice([0xF1, 0xFA, 0xFA, 0xF4])
            prog.push(rng.choice([0, 32, 64, 128]))  # out size
            prog.push(rng.choice([0x800, 0x800, 0x400, 0]))  # out offset
            prog.push(size)
            prog.push(0x400)
            if call == 0xF1:
                prog.push(rng.choice([0, 0, 1]))
            prog.push(n)
            prog.operand("g")
            prog.op(call)
            prog.keep()
            prog.op(0x3D)  # RETURNDATASIZE
            prog.keep()
            if rng.random() < 0.7:
                prog.op(0x3D) if rng.random() < 0.8 else prog.push(rng.choice([32, 64, 0]))
                prog.push(0)
                prog.push(0x200)
                prog.op(0x3E)  # RETURNDATACOPY
        elif r < 0.80:
            create(prog, rng, ctx)
        elif r < 0.86:
            prog.push(V.word(rng))
        elif r < 0.92:
            if prog.height == 0 or rng.random() < 0.05:
                prog.instruction(rng.choice(range(0x80, 0xA0)))
            elif rng.random() < 0.5 or prog.height == 1:
                prog.instruction(0x7F + rng.randrange(1, min(16, prog.height) + 1))  # DUPn within the stack
            else:
                prog.instruction(0x8F + rng.randrange(1, min(16, prog.height - 1) + 1))  # SWAPn within the stack
        elif r < 0.94:
            prog.instruction(0x50, feed=0.0 if prog.height else 1.0)
        elif r < 0.95:
            prog.op(rng.choice(opcodes.UNDEFINED))
        elif r < 0.97:
            prog.instruction(rng.choice(HALTS))
        else:
            prog.instruction(rng.choice([0x5F, 0x58, 0x59, 0x5A, 0x3D, 0x36, 0x38]))
    if ending:
        epilogue(prog, rng)
    return prog.assemble()


def create(prog, rng, ctx):
    """CREATE or CREATE2 of a small initcode (deploying code of boundary sizes, 0xEF-led, or reverting)."""
    kind = rng.random()
    if kind < 0.3:
        size = rng.choice([0, 1, 32, 24576, 24577])
        init = bytes.fromhex("61") + size.to_bytes(2, "big") + bytes.fromhex("5ff3")  # PUSH2 size PUSH0 RETURN
    elif kind < 0.4:
        init = bytes.fromhex("60ef5f5360015ff3")  # MSTORE8(0, 0xEF) RETURN(0, 1)
    elif kind < 0.5:
        init = bytes.fromhex("60205ffd")  # REVERT(0, 32)
    elif kind < 0.55:
        init = bytes.fromhex("30ff")  # SELFDESTRUCT to itself while being created
    else:
        init = random_program(random.Random(rng.getrandbits(64)), ctx, length=rng.choice([1, 3, 6, 10]))
    prog.store_memory(0x600, init)
    size = len(init) if rng.random() < 0.85 else rng.choice([0, 49152, 49153, (1 << 64) - 1])
    op = 0xF0 if rng.random() < 0.5 else 0xF5
    if op == 0xF5:
        prog.push(rng.choice([0, 0, 1, V.M256]))
    prog.push(size)
    prog.push(0x600)
    prog.operand("w")
    prog.op(op)
    if rng.random() < 0.5:
        # Call what was created (or address zero when creation failed).
        prog.op(0x80)  # DUP1
        prog.push(0); prog.push(0); prog.push(0); prog.push(0); prog.push(0)  # noqa: E702
        prog.op(0x85)  # DUP6: the created address
        prog.op(0x5A)
        prog.op(0xF1)
        prog.keep()
    prog.keep()


def epilogue(prog, rng):
    r = rng.random()
    if r < 0.4:
        prog.push(rng.choice([0x400, 0x400, 0x200, 0x20]))
        prog.push(0)
        prog.op(0xF3)  # RETURN
    elif r < 0.5:
        prog.op(0x59)  # MSIZE
        prog.push(0)
        prog.op(0xF3)
    elif r < 0.6:
        prog.push(64)
        prog.push(0)
        prog.op(0xFD)  # REVERT
    elif r < 0.75:
        for k in range(rng.choice([1, 2, 3])):
            prog.push(32 * k)
            prog.op(0x51)
            prog.push(0x100 + k)
            prog.op(0x55)  # SSTORE
    elif r < 0.85:
        prog.op(0x00)


HELPERS = [
    "36600060003760206000f3",      # returns its first calldata word
    "6020600060003760206000fd",  # reverts with 32 bytes
    "33ff",                      # SELFDESTRUCT to the caller
    "6001600155600160005260206000f3",  # SSTORE(1, 1), return 1
    "5f5f5f5f5f61c0de5af100",    # calls back into the target
    "5f5f5f5f5f305af1",          # calls itself with all gas: recursion to the depth or gas limit
    "3d5f5f3e3d5ff3",            # returns the return data it sees (none)
    "600160015d60015c5f5260205ff3",  # TSTORE / TLOAD in the callee
]

# Deep recursion: each frame calls itself, then adds the call's success to a transient counter the
# outermost frame stores (slot 0). With enough gas the 1,025th call fails on depth, not gas.
RECURSE = {
    "call": "5f5f5f5f5f305af15f5c015f5d5f5c5f55",
    "callcode": "5f5f5f5f5f305af25f5c015f5d5f5c5f55",
    "delegatecall": "5f5f5f5f305af45f5c015f5d5f5c5f55",
    "create": "385f5f39385f5ff0155f5c015f5d5f5c5f55",
}


def env(rng):
    number = rng.choice([1, 5, 256, 257, 1000, 20_000_000, 1 << 32, (1 << 63) - 1])
    return {
        "chainId": hx(rng.choice([1, 7331, (1 << 32) - 1, (1 << 64) - 1])),
        "coinbase": rng.choice([COINBASE, COINBASE, COINBASE, "0x" + "00" * 20, TARGET, PRECOMPILES[0]]),
        "number": hx(number),
        "timestamp": hx(rng.choice([0, 1, 1_700_000_000, (1 << 32) - 1, (1 << 63) - 1, (1 << 64) - 1])),
        "gasLimit": hx(rng.choice([30_000_000, 30_000_000, 36_000_000, (1 << 63) - 1])),
        "baseFee": "0x0",
        "prevRandao": "0x" + rng.choice([bytes(32), b"\xff" * 32, rng.getrandbits(256).to_bytes(32, "big")]).hex(),
        "excessBlobGas": hx(rng.choice([0, 0, 1, FRACTION, 10 * FRACTION, 40 * FRACTION])),
    }


def calldata(rng):
    r = rng.random()
    if r < 0.4:
        return b""
    if r < 0.7:
        return b"".join(V.word(rng).to_bytes(32, "big") for _ in range(rng.choice([1, 2, 3, 4])))
    return bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 4, 31, 33, 100])))


def tx_gas(rng, data, access):
    intrinsic = 21000 + sum(4 if b == 0 else 16 for b in data) + sum(2400 + 1900 * len(k) for _, k in access)
    if rng.random() < 0.02:
        return intrinsic - 1
    if rng.random() < 0.05:
        return intrinsic + rng.choice([0, 1, 2, 3, 5, 10, 50, 100, 1000, 5000])
    # Loops burn whatever gas they get: the block's whole gas limit is a rare treat.
    r = rng.random()
    if r < 0.02:
        return 30_000_000
    if r < 0.08:
        return 3_000_000
    return rng.choice([50_000, 100_000, 300_000, 1_000_000, 1_000_000])


def access_list(rng):
    if rng.random() > 0.15:
        return []
    entries = []
    for _ in range(rng.choice([1, 2, 3])):
        a = rng.choice([TARGET, OTHER, CALLER, COINBASE, EMPTY, PRECOMPILES[0]])
        entries.append([a, [rng.choice(V.SLOTS) for _ in range(rng.choice([0, 1, 2]))]])
    return entries


def random_case(rng):
    ctx = env(rng)
    ctx_numbers = {"number": int(ctx["number"], 16), "coinbase": ctx["coinbase"]}
    caller_balance = rng.choice([0, 1, 10**18, 10**24, 1 << 128])
    # The caller's nonce is never 0: a message call leaves it where it is while a transaction raises it,
    # and at 0 an emptied caller would count as empty (new-account gas) in revm only.
    pre = {CALLER: {"balance": hx(caller_balance), "nonce": hx(rng.choice([1, 1, 2, 5])), "code": "0x", "storage": {}}}
    if rng.random() < 0.05:
        variant = rng.choice(sorted(RECURSE))
        code = bytes.fromhex(RECURSE[variant])
        ctx["gasLimit"] = hx((1 << 63) - 1)
        gas = rng.choice([1_000_000, 30_000_000, 10**9, 10**11, 1 << 40])
        data, access = b"", []
    else:
        code = random_program(rng, ctx_numbers)
        data, access = calldata(rng), access_list(rng)
        gas = tx_gas(rng, data, access)
    storage = {}
    if rng.random() < 0.3:
        storage = {hx(k): hx(rng.choice([1, 2, V.M256])) for k in (0, 1)}
    pre[TARGET] = {"balance": hx(rng.choice([0, 0, 1, 10**18])), "nonce": hx(rng.choice([0, 1, 1])), "code": "0x" + code.hex(),
                   "storage": storage}
    if rng.random() < 0.8:
        helper = rng.choice(HELPERS) if rng.random() < 0.6 else random_program(rng, ctx_numbers, length=rng.choice([2, 5, 10])).hex()
        pre[OTHER] = {"balance": hx(rng.choice([0, 1, 10**18])), "nonce": "0x1", "code": "0x" + helper, "storage": {}}
    if rng.random() < 0.5:
        pre[EOA] = {"balance": hx(rng.choice([1, 10**18])), "nonce": "0x0", "code": "0x", "storage": {}}
    value = rng.choice([0, 0, 0, 0, 0, 0, 1, caller_balance // 2, caller_balance]) if rng.random() < 0.97 else caller_balance + 1
    tx = {"from": CALLER, "to": TARGET, "gas": hx(gas), "value": hx(value), "data": "0x" + data.hex(), "gasPrice": "0x0",
          "accessList": [{"address": a, "storageKeys": [hx(k) for k in keys]} for a, keys in access]}
    return {"env": ctx, "tx": tx, "pre": pre}


class Corpus:
    """Contracts from ../shared/vectors GeneralStateTests (read in place, never copied): the pre-state
    and transaction of each test whose recipient has code."""

    def __init__(self, root):
        self.entries = []
        for path in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
            try:
                with open(path) as f:
                    tests = json.load(f)
            except (OSError, ValueError):
                continue
            for name in sorted(tests):
                t = tests[name]
                if not isinstance(t, dict) or "transaction" not in t or "pre" not in t:
                    continue
                to = (t["transaction"].get("to") or "").lower()
                pre = {a.lower(): acct for a, acct in t["pre"].items()}
                if to and len(pre.get(to, {}).get("code", "0x")) > 2:
                    self.entries.append((name, pre, to, t["transaction"]))

    def __len__(self):
        return len(self.entries)


def mutate(code, rng, ctx):
    """1–4 mutations: operands swapped for boundary values, byte flips, instructions dropped,
    swapped or inserted."""
    ins = opcodes.parse(code)
    for _ in range(rng.choice([1, 1, 2, 3, 4])):
        if not ins:
            break
        r = rng.random()
        i = rng.randrange(len(ins))
        op, imm = ins[i]
        if r < 0.4:
            pushes = [j for j, (o, _) in enumerate(ins) if opcodes.push_size(o)]
            if pushes:
                j = rng.choice(pushes)
                o, imm = ins[j]
                v = V.word(rng) & ((1 << (8 * len(imm))) - 1) if rng.random() < 0.6 else V.word(rng)
                n = len(imm) if v < (1 << (8 * len(imm))) else 32
                ins[j] = (0x5F + n, v.to_bytes(n, "big"))
        elif r < 0.6:
            flat = bytearray(opcodes.assemble(ins))
            k = rng.randrange(len(flat))
            flat[k] = rng.choice([flat[k] ^ (1 << rng.randrange(8)), rng.getrandbits(8)])
            ins = opcodes.parse(bytes(flat))
        elif r < 0.7:
            del ins[i]
        elif r < 0.8 and i + 1 < len(ins):
            ins[i], ins[i + 1] = ins[i + 1], ins[i]
        else:
            ins[i:i] = opcodes.parse(random_program(rng, ctx, length=rng.choice([1, 2, 3]), ending=False))
    return opcodes.assemble(ins)


def fixture_case(rng, corpus):
    name, fpre, to, ftx = corpus.entries[rng.randrange(len(corpus))]
    ctx = env(rng)
    ctx_numbers = {"number": int(ctx["number"], 16), "coinbase": ctx["coinbase"]}
    pre = {}
    for a in sorted(fpre):
        acct = fpre[a]
        balance = min(int(acct.get("balance", "0x0"), 16), 1 << 128)
        code = bytes.fromhex(acct.get("code", "0x")[2:])
        if code and (a == to or rng.random() < 0.2):
            code = mutate(code, rng, ctx_numbers)
        nonce = min(int(acct.get("nonce", "0x0"), 16), (1 << 64) - 1)
        storage = {hx(int(k, 16)): hx(int(v, 16)) for k, v in sorted(acct.get("storage", {}).items()) if int(v, 16)}
        if not code and not nonce:
            # Storage without code or nonce (a few collision fixtures) makes CREATE collide under EIP-7610,
            # which revm 8 predates: such a divergence would be the reference's, not Ankr's.
            storage = {}
        pre[a] = {"balance": hx(balance), "nonce": hx(nonce), "code": "0x" + code.hex(), "storage": storage}
    pre[CALLER] = {"balance": hx(rng.choice([10**18, 1 << 100])), "nonce": "0x1", "code": "0x", "storage": {}}
    datas = ftx.get("data") or ["0x"]
    data = bytes.fromhex(rng.choice(datas)[2:]) if rng.random() < 0.8 else calldata(rng)
    values = [int(v, 16) for v in ftx.get("value") or ["0x0"]]
    value = rng.choice(values + [0]) if rng.random() < 0.7 else 0
    access = access_list(rng)
    gas = tx_gas(rng, data, access) if rng.random() < 0.5 else min(int(rng.choice(ftx.get("gasLimit") or ["0x0"]), 16), 30_000_000)
    tx = {"from": CALLER, "to": to, "gas": hx(gas), "value": hx(min(value, 1 << 64)), "data": "0x" + data.hex(), "gasPrice": "0x0",
          "accessList": [{"address": a, "storageKeys": [hx(k) for k in keys]} for a, keys in access]}
    return {"env": ctx, "tx": tx, "pre": pre, "origin": name}


def generate(seed, index, corpus=None):
    """The case number `index` of campaign `seed`: the same pair always gives the same case."""
    rng = random.Random(f"{seed}:{index}")
    if corpus and len(corpus) and rng.random() < 0.3:
        return fixture_case(rng, corpus)
    return random_case(rng)
