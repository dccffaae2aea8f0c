// Reference: PaddleOCR ppocr/postprocess/rec_postprocess.py BaseRecLabelDecode.decode (2.7):
// argmax per step, drop repeats of the previous step, drop the blank, score = mean kept probability.
#include "recognize/ctc.h"

#include <cmath>

#include "core/error.h"

namespace ocr::recognize {
namespace {

struct StepMax {
  int index = -1;  // -1: no finite value in this step
  float value = 0;
};

StepMax ArgMax(const float* row, int classes) {
  StepMax best;
  for (int c = 0; c < classes; ++c) {
    // NaN never compares greater, so it never wins.
    if (best.index < 0 ? !std::isnan(row[c]) : row[c] > best.value) {
      best.index = c;
      best.value = row[c];
    }
  }
  return best;
}

// Probability of the argmax under a softmax of this step's logits.
float SoftmaxOfMax(const float* row, int classes, float max_value) {
  double sum = 0;
  for (int c = 0; c < classes; ++c) {
    if (!std::isnan(row[c])) sum += std::exp(double(row[c]) - max_value);
  }
  return sum > 0 ? static_cast<float>(1.0 / sum) : 0.0f;
}

}  // namespace

DecodedText CtcGreedyDecode(const float* probs, int steps, int classes, int valid_steps, const Charset& charset,
                            const CtcParams& params) {
  if (classes <= 0 || static_cast<size_t>(classes) != charset.size()) {
    throw Error(ErrorCode::kModelShape, "the model outputs " + std::to_string(classes) +
                                            " classes but the dictionary has " + std::to_string(charset.size()) +
                                            " (with the blank and space): wrong dictionary for this model?");
  }
  DecodedText out;
  const int limit = std::max(0, std::min(steps, valid_steps));
  int previous = -1;
  double sum = 0;
  for (int t = 0; t < limit; ++t) {
    const float* row = probs + static_cast<size_t>(t) * classes;
    StepMax best = ArgMax(row, classes);
    const int index = best.index < 0 ? params.blank_index : best.index;
    if (index != params.blank_index && index != previous) {
      float p = best.value;
      if (params.apply_softmax) p = SoftmaxOfMax(row, classes, best.value);
      if (!std::isfinite(p)) p = 0.0f;
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
