/* Useful-work example: a SHA3-256 hash chain (FIPS 202), the kind of hashing REM's miners did
 * for others. Input: rounds (u32 LE) then data. Output: SHA3-256 applied `rounds` times
 * (the first over the data, each next over the previous 32-byte digest). */
#include "work.h"

static const u64 round_constants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* Rotation of lane (x, y), indexed x + 5y. */
static const u32 rotations[25] = {
    0, 1, 62, 28, 27,
    36, 44, 6, 55, 20,
    3, 10, 43, 25, 39,
    41, 45, 15, 21, 8,
    18, 2, 61, 56, 14,
};

static u64 rotl(u64 v, u32 n) { return n ? (v << n) | (v >> (64 - n)) : v; }

static void keccak_f(u64 a[25]) {
    for (int round = 0; round < 24; round++) {
        u64 c[5], b[25];
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) {
            u64 d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5) a[x + y] ^= d;
        }
        /* rho and pi: lane (x, y) moves to (y, 2x + 3y). */
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], rotations[x + 5 * y]);
        for (int y = 0; y < 25; y += 5)
            for (int x = 0; x < 5; x++) a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
        a[0] ^= round_constants[round];
    }
}

enum { RATE = 136 }; /* bytes: 1600 - 2 * 256 bits */

static void sha3_256(const u8 *data, u32 len, u8 out[32]) {
    u64 a[25];
    memset(a, 0, sizeof a);
    u8 block[RATE];
    for (;;) {
        u32 take = len < RATE ? len : RATE;
        memset(block, 0, RATE);
        memcpy(block, data, take);
        if (take < RATE) {
            block[take] ^= 0x06; /* SHA-3 domain bits and the first padding bit */
            block[RATE - 1] ^= 0x80;
        }
        for (int i = 0; i < RATE / 8; i++) {
            u64 lane = 0;
            for (int j = 7; j >= 0; j--) lane = lane << 8 | block[8 * i + j];
            a[i] ^= lane;
        }
        keccak_f(a);
        if (take < RATE) break;
        data += RATE;
        len -= RATE;
    }
    for (int i = 0; i < 4; i++) write_u64(out + 8 * i, a[i]);
}

static u8 digest[32];

EXPORT("run") i64 run(const u8 *input, i32 len) {
    if (len < 4) __builtin_trap();
    u32 rounds = read_u32(input);
    sha3_256(input + 4, (u32)len - 4, digest);
    for (u32 r = 1; r < rounds; r++) sha3_256(digest, 32, digest);
    return output(digest, 32);
}
