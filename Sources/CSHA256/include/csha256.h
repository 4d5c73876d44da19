#ifndef CSHA256_H
#define CSHA256_H
#include <stdint.h>
#include <stddef.h>

/// The 64 round constants K0…K63 of FIPS 180-4.
const uint32_t *csha256_round_constants(void);

/// 1 when this CPU has the SHA extensions (x86 SHA-NI), else 0.
int csha256_accelerated(void);

/// Runs the SHA-256 compression function over `blocks` 64-byte blocks of `data` (already padded), updating `state`
/// (h0…h7). Only call when csha256_accelerated() is 1.
void csha256_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
