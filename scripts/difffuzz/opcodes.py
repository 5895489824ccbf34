"""The Cancun opcode table: name and operand kinds (top of stack first) for each opcode.

Operand kinds steer the values a generated program pushes: v any word, o memory offset, s memory size,
a address, k storage key, g gas, i calldata/code/returndata/blob index, j jump destination, w wei,
b bit or byte position, n block number."""

TABLE = {
    0x00: ("STOP", ""), 0x01: ("ADD", "vv"), 0x02: ("MUL", "vv"), 0x03: ("SUB", "vv"), 0x04: ("DIV", "vv"),
    0x05: ("SDIV", "vv"), 0x06: ("MOD", "vv"), 0x07: ("SMOD", "vv"), 0x08: ("ADDMOD", "vvv"), 0x09: ("MULMOD", "vvv"),
    0x0A: ("EXP", "vv"), 0x0B: ("SIGNEXTEND", "bv"),
    0x10: ("LT", "vv"), 0x11: ("GT", "vv"), 0x12: ("SLT", "vv"), 0x13: ("SGT", "vv"), 0x14: ("EQ", "vv"),
    0x15: ("ISZERO", "v"), 0x16: ("AND", "vv"), 0x17: ("OR", "vv"), 0x18: ("XOR", "vv"), 0x19: ("NOT", "v"),
    0x1A: ("BYTE", "bv"), 0x1B: ("SHL", "bv"), 0x1C: ("SHR", "bv"), 0x1D: ("SAR", "bv"),
    0x20: ("KECCAK256", "os"),
    0x30: ("ADDRESS", ""), 0x31: ("BALANCE", "a"), 0x32: ("ORIGIN", ""), 0x33: ("CALLER", ""), 0x34: ("CALLVALUE", ""),
    0x35: ("CALLDATALOAD", "i"), 0x36: ("CALLDATASIZE", ""), 0x37: ("CALLDATACOPY", "ois"), 0x38: ("CODESIZE", ""),
    0x39: ("CODECOPY", "ois"), 0x3A: ("GASPRICE", ""), 0x3B: ("EXTCODESIZE", "a"), 0x3C: ("EXTCODECOPY", "aois"),
    0x3D: ("RETURNDATASIZE", ""), 0x3E: ("RETURNDATACOPY", "ois"), 0x3F: ("EXTCODEHASH", "a"),
    0x40: ("BLOCKHASH", "n"), 0x41: ("COINBASE", ""), 0x42: ("TIMESTAMP", ""), 0x43: ("NUMBER", ""), 0x44: ("PREVRANDAO", ""),
    0x45: ("GASLIMIT", ""), 0x46: ("CHAINID", ""), 0x47: ("SELFBALANCE", ""), 0x48: ("BASEFEE", ""), 0x49: ("BLOBHASH", "i"),
    0x4A: ("BLOBBASEFEE", ""),
    0x50: ("POP", "v"), 0x51: ("MLOAD", "o"), 0x52: ("MSTORE", "ov"), 0x53: ("MSTORE8", "ov"), 0x54: ("SLOAD", "k"),
    0x55: ("SSTORE", "kv"), 0x56: ("JUMP", "j"), 0x57: ("JUMPI", "jv"), 0x58: ("PC", ""), 0x59: ("MSIZE", ""), 0x5A: ("GAS", ""),
    0x5B: ("JUMPDEST", ""), 0x5C: ("TLOAD", "k"), 0x5D: ("TSTORE", "kv"), 0x5E: ("MCOPY", "oos"), 0x5F: ("PUSH0", ""),
    0xA0: ("LOG0", "os"), 0xA1: ("LOG1", "osv"), 0xA2: ("LOG2", "osvv"), 0xA3: ("LOG3", "osvvv"), 0xA4: ("LOG4", "osvvvv"),
    0xF0: ("CREATE", "wos"), 0xF1: ("CALL", "gawosos"), 0xF2: ("CALLCODE", "gawosos"), 0xF3: ("RETURN", "os"),
    0xF4: ("DELEGATECALL", "gaosos"), 0xF5: ("CREATE2", "wosv"), 0xFA: ("STATICCALL", "gaosos"), 0xFD: ("REVERT", "os"),
    0xFE: ("INVALID", ""), 0xFF: ("SELFDESTRUCT", "a"),
}
for n in range(1, 33):
    TABLE[0x5F + n] = (f"PUSH{n}", "")
for n in range(1, 17):
    TABLE[0x7F + n] = (f"DUP{n}", "v" * n)
    TABLE[0x8F + n] = (f"SWAP{n}", "v" * (n + 1))

# What each opcode leaves on the stack (pushes), for the generator's stack-height bookkeeping.
PUSHES = {op: 0 for op in TABLE}
for op in list(TABLE):
    name = TABLE[op][0]
    if name.startswith("PUSH") or name.startswith("DUP"):
        PUSHES[op] = 1 if not name.startswith("DUP") else int(name[3:]) + 1
    elif name.startswith("SWAP"):
        PUSHES[op] = int(name[4:]) + 1
for op in (0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
           0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x38, 0x3A, 0x3B, 0x3D,
           0x3F, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x51, 0x54, 0x58, 0x59, 0x5A, 0x5C,
           0xF0, 0xF1, 0xF2, 0xF4, 0xF5, 0xFA):
    PUSHES[op] = 1

# Opcodes Cancun leaves undefined (they fail the frame like INVALID).
UNDEFINED = [op for op in range(256) if op not in TABLE]


def name(op):
    return TABLE[op][0] if op in TABLE else f"UNDEFINED_0x{op:02x}"


def push_size(op):
    """Immediate bytes after the opcode (PUSH1–PUSH32), else 0."""
    return op - 0x5F if 0x60 <= op <= 0x7F else 0


def parse(code):
    """Bytes → [(opcode, immediate bytes)]; a PUSH cut short by the end of code keeps what is there."""
    out, i = [], 0
    while i < len(code):
        op = code[i]
        n = push_size(op)
        out.append((op, bytes(code[i + 1:i + 1 + n])))
        i += 1 + n
    return out


def assemble(instructions):
    return b"".join(bytes([op]) + imm for op, imm in instructions)


def disassemble(code):
    """One line per instruction, `PUSH2 0x0102` style, for reports and regression files."""
    return [name(op) + (" 0x" + imm.hex() if push_size(op) else "") for op, imm in parse(code)]
