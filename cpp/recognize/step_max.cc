// Reference: numpy argmax and PaddleOCR's max-probability per step (ppocr/postprocess/rec_postprocess.py, 2.7).
#include "recognize/step_max.h"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <opencv2/core.hpp>

namespace ocr::recognize {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();
constexpr int kChunk = 64;  // classes scanned per chunk of the argmax

// Largest non-NaN value of x[0..n) (-inf when all are NaN): `v > m` is false
// for NaN, and SSE2's maxps(v, m) returns m when v is NaN, so NaN never wins.
// Explicit SSE2 because auto-vectorisation of this reduction proved fragile
// (1.5-6x slower depending on -O2/-O3 and unrolling); other targets use the loop.
float SpanMax(const float* x, int n) {
  float m = kNegInf;
  int c = 0;
#if defined(__SSE2__)
  __m128 m0 = _mm_set1_ps(kNegInf), m1 = m0;
  for (; c + 8 <= n; c += 8) {
    m0 = _mm_max_ps(_mm_loadu_ps(x + c), m0);
    m1 = _mm_max_ps(_mm_loadu_ps(x + c + 4), m1);
  }
  float lanes[4];
  _mm_storeu_ps(lanes, _mm_max_ps(m0, m1));
  m = std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
#endif
  for (; c < n; ++c) m = x[c] > m ? x[c] : m;
  return m;
}

// numpy's argmax (the first index holding the maximum), except that NaN never
// wins (numpy would return the NaN's index). One pass
// over the row keeps each chunk's maximum; only the first chunk reaching the
// overall maximum is scanned again for its position.
}  // namespace

StepMax ArgMax(const float* row, int classes) {
  StepMax best;
  int best_chunk = 0, chunk_end = classes;  // whole row when only -inf/NaN
  for (int c = 0; c < classes; c += kChunk) {
    const int n = std::min(kChunk, classes - c);
    const float m = SpanMax(row + c, n);
    if (m > best.value) {
      best.value = m;
      best_chunk = c;
      chunk_end = c + n;
    }
  }
  for (int c = best_chunk; c < chunk_end; ++c) {
    if (row[c] == best.value) {
      best.index = c;
      break;
    }
  }
  return best;
}

// Softmax probability of the maximum of one step's logits: 1 / sum(exp(x - max)).
// `shifted` is scratch of `classes` floats: x - max, with NaN (and -inf) as
// -inf, and entries equal to the maximum as 0 (exactly 1 after exp, so an
// infinite maximum gives its limit, 1 / its count); cv::exp is vectorised.
float SoftmaxOfMax(const float* row, int classes, float max_value, float* shifted) {
  for (int c = 0; c < classes; ++c) {
    const float x = row[c];
    shifted[c] = x < max_value ? x - max_value : (x == max_value ? 0.0f : kNegInf);
  }
  cv::Mat terms(1, classes, CV_32FC1, shifted);
  cv::exp(terms, terms);
  const double sum = cv::sum(terms)[0];  // >= 1: the maximum itself is in the row
  return static_cast<float>(1.0 / sum);
}

}  // namespace ocr::recognize
