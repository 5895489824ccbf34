/* The useful-work module ABI in C (see Sources/AnkrWork/AnkrWork.swift): export `memory`,
 * `alloc(len) -> ptr` and `run(ptr, len) -> (outPtr << 32) | outLen`; import nothing.
 * Built with clang --target=wasm32 -nostdlib, so the few libc pieces the compiler may call
 * (memcpy, memset) are defined here rather than imported. */
#ifndef ANKR_WORK_H
#define ANKR_WORK_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;
typedef unsigned long size_t;

#define EXPORT(name) __attribute__((export_name(name)))

extern u8 __heap_base;
static size_t heap_top;

/* A bump allocator over linear memory, growing it as needed; traps when memory is exhausted
 * (the sandbox caps growth). Subtasks are one-shot, so nothing is ever freed. */
EXPORT("alloc") void *alloc(i32 len) {
    if (!heap_top) heap_top = (size_t)&__heap_base;
    size_t p = (heap_top + 15) & ~(size_t)15;
    size_t end = p + (size_t)len;
    size_t have = __builtin_wasm_memory_size(0) * 65536;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1) __builtin_trap();
    heap_top = end;
    return (void *)p;
}

/* Packs an output buffer into run's i64 result. */
static inline i64 output(const void *p, u32 len) { return (i64)(((u64)(size_t)p << 32) | len); }

static inline u32 read_u32(const u8 *p) { return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24; }

static inline void write_u64(u8 *p, u64 v) {
    for (int i = 0; i < 8; i++) p[i] = (u8)(v >> (8 * i));
}

void *memcpy(void *dst, const void *src, size_t n) {
    u8 *d = dst;
    const u8 *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    u8 *d = dst;
    while (n--) *d++ = (u8)c;
    return dst;
}

#endif
