"""Operand values biased to the boundaries where interpreters go wrong: word and 64-bit limits, signed
extremes, memory offsets and sizes near what fits a machine word, call gas at the 63/64 rule."""

M256 = (1 << 256) - 1

WORDS = sorted({0, 1, 2, 3, 7, 8, 31, 32, 33, 63, 64, 255, 256, 257, 1023, 1024, 0xFFFF, 1 << 16,
                (1 << 31) - 1, 1 << 31, (1 << 32) - 1, 1 << 32, (1 << 32) + 1,
                (1 << 63) - 1, 1 << 63, (1 << 63) + 1, (1 << 64) - 33, (1 << 64) - 32, (1 << 64) - 31, (1 << 64) - 2,
                (1 << 64) - 1, 1 << 64, (1 << 64) + 1, (1 << 64) + 31, (1 << 64) + 32, 1 << 96, (1 << 128) - 1, 1 << 128,
                (1 << 160) - 1, 1 << 160, (1 << 192) - 1, (1 << 255) - 1, 1 << 255, (1 << 255) + 1, M256 - 32, M256 - 31,
                M256 - 1, M256})

# Memory offsets: small and aligned, just across a word, then the limits that overflow sums and word counts.
OFFSETS_SMALL = [0, 0, 0, 1, 2, 16, 31, 32, 33, 63, 64, 96, 128, 200, 255, 256, 500, 1000]
OFFSETS_LARGE = [1023, 1024, 4096, 0xFFFF, 1 << 16, 1 << 20, (1 << 24) - 1, 1 << 24, (1 << 32) - 1, 1 << 32,
                 (1 << 63) - 1, 1 << 63, (1 << 64) - 64, (1 << 64) - 33, (1 << 64) - 32, (1 << 64) - 31, (1 << 64) - 1,
                 1 << 64, (1 << 64) + 1, (1 << 128) - 1, 1 << 255, M256 - 31, M256]
SIZES_SMALL = [0, 0, 1, 2, 20, 31, 32, 33, 64, 65, 96, 128, 213, 256]
SIZES_LARGE = [1000, 4096, 1 << 16, 1 << 20, (1 << 32) - 1, 1 << 32, (1 << 63) - 1, 1 << 63, (1 << 64) - 33,
               (1 << 64) - 32, (1 << 64) - 31, (1 << 64) - 1, 1 << 64, (1 << 64) + 1, M256 - 31, M256]
GAS = [0, 1, 2299, 2300, 2301, 5000, 10000, 30000, 100000, 1 << 20, (1 << 32) - 1, (1 << 63) - 1, 1 << 63,
       (1 << 64) - 1, 1 << 64, M256]
SHIFTS = [0, 1, 2, 7, 8, 30, 31, 32, 33, 63, 64, 127, 128, 254, 255, 256, 257, 1 << 63, (1 << 64) - 1, 1 << 64, M256]
WEI = [0, 0, 0, 1, 2, 1000, 10**18, (1 << 128) - 1, M256]
SLOTS = [0, 0, 1, 1, 2, 3, 0xFF, 1 << 64, 1 << 255, M256]
INDEXES = [0, 1, 2, 31, 32, 33, 64, 100, 255, 256, (1 << 32) - 1, 1 << 32, (1 << 63), (1 << 64) - 1, 1 << 64, M256]


def word(rng):
    """A boundary word, a small number, or (rarely) any 256-bit value or a neighbour of a boundary."""
    r = rng.random()
    if r < 0.55:
        return rng.choice(WORDS)
    if r < 0.75:
        return rng.randrange(0, 300)
    if r < 0.88:
        b = rng.choice(WORDS)
        return (b + rng.randrange(-3, 4)) & M256
    return rng.getrandbits(256)


def signed(v):
    """Two's-complement value of a word."""
    return v - (1 << 256) if v >> 255 else v
