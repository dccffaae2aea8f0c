// Output map values from fuzzer bytes: most bytes spread over a range, a few
// the values a broken model writes (NaN, infinities, huge).
#pragma once

#include <cstdint>
#include <limits>

namespace ocr::fuzz {

// b / 250 * scale + shift, except 251 NaN, 252 +inf, 253 -inf, 254 1e30.
inline float MapValue(uint8_t b, float scale = 1.0f, float shift = 0.0f) {
  switch (b) {
    case 251: return std::numeric_limits<float>::quiet_NaN();
    case 252: return std::numeric_limits<float>::infinity();
    case 253: return -std::numeric_limits<float>::infinity();
    case 254: return 1e30f;
    default: return b / 250.0f * scale + shift;
  }
}

}  // namespace ocr::fuzz
