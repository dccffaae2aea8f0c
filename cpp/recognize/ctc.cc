// Reference: PaddleOCR ppocr/postprocess/rec_postprocess.py CTCLabelDecode + BaseRecLabelDecode.decode (2.7).
#include "recognize/ctc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <opencv2/core.hpp>

#include "core/error.h"

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

struct StepMax {
  int index = -1;  // -1: no comparable value (every class NaN)
  float value = kNegInf;
};

// numpy's argmax (the first index holding the maximum), except that NaN never
// wins (numpy would return the NaN's index). One pass
// over the row keeps each chunk's maximum; only the first chunk reaching the
// overall maximum is scanned again for its position.
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

void CheckShape(int classes, const Charset& charset, const CtcParams& params) {
  if (classes <= 0 || static_cast<size_t>(classes) != charset.size()) {
    throw Error(ErrorCode::kModelShape, "the recognition model outputs " + std::to_string(classes) +
                                            " classes but the dictionary gives " + std::to_string(charset.size()) +
                                            " (blank + characters + space when used): the dictionary does not "
                                            "match the model");
  }
  if (params.blank_index < 0 || params.blank_index >= classes) {
    throw Error(ErrorCode::kInvalidOption, "CTC blank index " + std::to_string(params.blank_index) +
                                               " is outside the " + std::to_string(classes) + " classes");
  }
}

}  // namespace

DecodedText CtcGreedyDecode(const float* probs, int steps, int classes, int valid_steps, const Charset& charset,
                            const CtcParams& params) {
  CheckShape(classes, charset, params);
  DecodedText out;
  const int limit = std::clamp(valid_steps, 0, std::max(steps, 0));
  std::vector<float> shifted(params.apply_softmax ? classes : 0);  // softmax scratch, once per sequence
  int previous = -1;
  double sum = 0;
  for (int t = 0; t < limit; ++t) {
    const float* row = probs + static_cast<size_t>(t) * classes;
    const StepMax best = ArgMax(row, classes);
    const int index = best.index < 0 ? params.blank_index : best.index;  // an all-NaN step reads as blank
    if (index != params.blank_index && index != previous) {
      float p = params.apply_softmax ? SoftmaxOfMax(row, classes, best.value, shifted.data()) : best.value;
      if (!std::isfinite(p)) p = 0.0f;  // raw +-inf "probabilities" must not poison the mean
      out.text += charset.symbols[index];
      out.char_scores.push_back(p);
      out.char_steps.push_back(t);
      sum += p;
    }
    previous = index;
  }
  out.score = out.char_scores.empty() ? 0.0f : static_cast<float>(sum / out.char_scores.size());
  return out;
}

}  // namespace ocr::recognize
