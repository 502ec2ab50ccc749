// CRC-32C (Castagnoli) with the x86-64 SSE4.2 `crc32` instruction, which
// Swift cannot reach without a C target. ByteFlow's `CRC32C` calls these and
// falls back to its own table-driven code where they are unavailable.
#ifndef CBYTEFLOW_CRC32C_H
#define CBYTEFLOW_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// 1 if `byteflow_crc32c_hardware` may be called on this CPU, else 0.
int byteflow_crc32c_hardware_available(void);

/// Continues the CRC-32C whose running (inverted) state is `state` over
/// `count` bytes at `bytes`, and returns the new state. Only call it when
/// `byteflow_crc32c_hardware_available()` returned 1.
uint32_t byteflow_crc32c_hardware(uint32_t state, const void *bytes, size_t count);

#endif
