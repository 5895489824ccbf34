/* Useful-work example: training a linear model y ≈ w·x + b by full-batch gradient descent, in
 * fixed point (Q16.16 in 64-bit integers) so every machine computes the same bits. The samples
 * are generated from a seed around a known line (w = 3, b = -2) with uniform noise.
 * Input: samples (u32 LE, at most 65536), epochs (u32 LE), seed (u32 LE).
 * Output: w and b after training, each an i64 LE in Q16.16, then the final mean squared error
 * (i64 LE, Q16.16). */
#include "work.h"

enum { ONE = 1 << 16 };

static u32 next(u32 *s) {
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static i64 mul(i64 a, i64 b) { return (a * b) >> 16; } /* |a|, |b| stay below 2^24 here */

static u8 out[24];

EXPORT("run") i64 run(const u8 *input, i32 len) {
    if (len < 12) __builtin_trap();
    u32 n = read_u32(input), epochs = read_u32(input + 4), seed = read_u32(input + 8) | 1;
    if (n == 0 || n > 65536) __builtin_trap();
    i64 *x = alloc((i32)(n * sizeof(i64))), *y = alloc((i32)(n * sizeof(i64)));
    for (u32 i = 0; i < n; i++) {
        x[i] = (i64)(next(&seed) % (8 * ONE)) - 4 * ONE;             /* x in [-4, 4) */
        i64 noise = (i64)(next(&seed) % (ONE / 2)) - ONE / 4;         /* noise in [-1/4, 1/4) */
        y[i] = 3 * x[i] - 2 * ONE + noise;
    }
    i64 w = 0, b = 0, mse = 0;
    const i64 rate = ONE / 20; /* learning rate 0.05 */
    for (u32 e = 0; e < epochs; e++) {
        i64 gw = 0, gb = 0;
        mse = 0;
        for (u32 i = 0; i < n; i++) {
            i64 err = mul(w, x[i]) + b - y[i];
            gw += mul(err, x[i]);
            gb += err;
            mse += mul(err, err);
        }
        w -= mul(rate, 2 * gw / (i64)n);
        b -= mul(rate, 2 * gb / (i64)n);
        mse /= (i64)n;
    }
    write_u64(out, (u64)w);
    write_u64(out + 8, (u64)b);
    write_u64(out + 16, (u64)mse);
    return output(out, 24);
}
