// SIMD operations Swift cannot spell, as `static inline` functions: the Swift
// compiler imports them and LLVM inlines them into the (specialized) Swift
// code that calls them, so they cost no call. Only baseline instructions of
// the target (SSE2 on x86-64), so they inline into code compiled for it.
//
// Why: Swift has no `pmovmskb` (a byte compare's lanes as a bit mask). Its
// stand-in, a multiply per 8 lanes (`_mask64` in StreamMatcher.swift), cost
// line framing most of its time (1 MiB of 42-byte lines in memory: 149 µs
// per MiB with it; see Documentation/WritingStages.md, "Measured").
#ifndef CBYTEFLOW_SIMD_H
#define CBYTEFLOW_SIMD_H

#include <stdint.h>

// Tells Swift's performance checker (`@_noAllocation`, used by
// Sources/AllocationGuard) that these functions take no locks and allocate
// nothing, which is true: they are a few SSE2 instructions each. Without it
// the checker rejects a call whose body it cannot see, and the replace path
// (which uses `byteflow_movemask_words`) would fail the guard.
#if defined(__has_attribute) && __has_attribute(swift_attr)
#define BYTEFLOW_NO_LOCKS __attribute__((swift_attr("@_noLocks")))
#else
#define BYTEFLOW_NO_LOCKS
#endif

#if defined(__SSE2__)
#include <emmintrin.h>

/// One bit per byte of `bytes[0..<64]` equal to `byte`, byte 0 in bit 0.
/// `bytes` need not be aligned.
static inline __attribute__((always_inline)) BYTEFLOW_NO_LOCKS uint64_t byteflow_equal_mask64(const void *bytes, uint8_t byte) {
    const __m128i splat = _mm_set1_epi8((char)byte);
    const __m128i *p = (const __m128i *)bytes;
    uint64_t m0 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(p), splat));
    uint64_t m1 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(p + 1), splat));
    uint64_t m2 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(p + 2), splat));
    uint64_t m3 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(p + 3), splat));
    return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
}

/// One bit per byte of `bytes[0..<16]` equal to `byte`, byte 0 in bit 0.
static inline __attribute__((always_inline)) BYTEFLOW_NO_LOCKS uint32_t byteflow_equal_mask16(const void *bytes, uint8_t byte) {
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)bytes), _mm_set1_epi8((char)byte)));
}

/// One bit per byte of the 16-byte vector `low | high << 64` whose top bit is
/// set (`pmovmskb`), byte 0 in bit 0. Takes the vector as its two words so
/// that Swift can pass a `SIMD16` mask reinterpreted as `SIMD2<UInt64>`;
/// LLVM folds the round trip away and keeps the vector in its register.
static inline __attribute__((always_inline)) BYTEFLOW_NO_LOCKS uint32_t byteflow_movemask_words(uint64_t low, uint64_t high) {
    return (uint32_t)_mm_movemask_epi8(_mm_set_epi64x((long long)high, (long long)low));
}
#endif

#endif
