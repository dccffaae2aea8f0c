// Stage timing for results' per-stage timings.
#pragma once

#include <chrono>

namespace ocr {

using Clock = std::chrono::steady_clock;

// Milliseconds elapsed since `start`.
inline double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace ocr
