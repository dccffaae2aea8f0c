#include "core/finite.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ocr {

bool AllFinite(const float* x, size_t n) {
  // v - v is 0 for a finite v and NaN for NaN or +-inf; NaN stays in a sum.
  size_t i = 0;
  float rest = 0.0f;
#if defined(__SSE2__)
  __m128 a0 = _mm_setzero_ps(), a1 = a0;
  for (; i + 8 <= n; i += 8) {
    const __m128 v0 = _mm_loadu_ps(x + i), v1 = _mm_loadu_ps(x + i + 4);
    a0 = _mm_add_ps(a0, _mm_sub_ps(v0, v0));
    a1 = _mm_add_ps(a1, _mm_sub_ps(v1, v1));
  }
  float lanes[4];
  _mm_storeu_ps(lanes, _mm_add_ps(a0, a1));
  rest = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
#endif
  for (; i < n; ++i) rest += x[i] - x[i];
  return rest == 0.0f;
}

std::string NonFiniteMessage(const std::string& stage, const std::string& output, const std::string& when,
                             const std::string& consequence) {
  return stage + " output '" + output + "' holds NaN or infinite values " + when + ": " + consequence;
}

}  // namespace ocr
