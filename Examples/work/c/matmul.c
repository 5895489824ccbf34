/* Useful-work example: dense integer matrix multiply C = A × B (i32, wrapping), the C twin of
 * ../matmul.wat (same input, same output). A and B are n×n, filled from a seed with xorshift32,
 * each entry the low byte of the generator. Input: n (u32 LE, at most 512), seed (u32 LE).
 * Output: C as n·n little-endian i32 values. */
#include "work.h"

static u32 fill(i32 *dst, u32 count, u32 s) {
    for (u32 i = 0; i < count; i++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        dst[i] = (i32)(s & 0xff);
    }
    return s;
}

EXPORT("run") i64 run(const u8 *input, i32 len) {
    if (len < 8) __builtin_trap();
    u32 n = read_u32(input), seed = read_u32(input + 4) | 1;
    if (n > 512) __builtin_trap();
    u32 bytes = n * n * 4;
    i32 *a = alloc((i32)bytes), *b = alloc((i32)bytes), *c = alloc((i32)bytes);
    seed = fill(a, n * n, seed);
    fill(b, n * n, seed);
    for (u32 i = 0; i < n; i++)
        for (u32 j = 0; j < n; j++) {
            u32 sum = 0; /* unsigned: wrapping on overflow is defined, as in i32.add */
            for (u32 k = 0; k < n; k++) sum += (u32)a[i * n + k] * (u32)b[k * n + j];
            c[i * n + j] = (i32)sum;
        }
    return output(c, bytes);
}
