// Reference: PaddleOCR ppocr/postprocess/rec_postprocess.py CTCLabelDecode + BaseRecLabelDecode.decode (2.7).
#include "recognize/ctc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <opencv2/core.hpp>

#include "core/error.h"
#include "recognize/step_max.h"

namespace ocr::recognize {
namespace {

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

// Drops the spaces at both ends of `out`. They are argmax characters (an
// inserted space always sits between two others), so each leaves the score's
// `sum` and `decoded` count too.
void TrimSpaces(DecodedText& out, double& sum, size_t& decoded) {
  size_t begin = 0, end = out.char_texts.size();
  while (begin < end && out.char_texts[begin] == " ") ++begin;
  while (end > begin && out.char_texts[end - 1] == " ") --end;
  if (begin == 0 && end == out.char_texts.size()) return;
  for (size_t k = 0; k < out.char_texts.size(); ++k) {
    if (k >= begin && k < end) continue;
    sum -= out.char_scores[k];
    --decoded;
  }
  auto keep = [begin, end](auto& v) {
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(end), v.end());
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(begin));
  };
  keep(out.char_texts);
  keep(out.char_scores);
  keep(out.char_steps);
  keep(out.char_end_steps);
  out.text.clear();
  for (const std::string& c : out.char_texts) out.text += c;
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
  size_t decoded = 0;  // argmax characters: the ones the score is the mean of
  const int space = params.space_threshold > 0 && params.space_index >= 0 && params.space_index < classes &&
                            params.space_index != params.blank_index
                        ? params.space_index
                        : -1;
  float gap_space = 0;  // since the last character: the space's highest probability on a blank step
  int gap_step = -1;
  for (int t = 0; t < limit; ++t) {
    const float* row = probs + static_cast<size_t>(t) * classes;
    const StepMax best = ArgMax(row, classes);
    const int index = best.index < 0 ? params.blank_index : best.index;  // an all-NaN step reads as blank
    const bool after_text = decoded > 0 && out.char_texts.back() != " ";
    if (space >= 0 && index == params.blank_index && after_text) {
      float p = params.apply_softmax
                    ? std::exp(row[space] - best.value) * SoftmaxOfMax(row, classes, best.value, shifted.data())
                    : row[space];
      if (!std::isfinite(p)) p = 0.0f;  // a raw +inf would become an inserted space's score
      if (p > gap_space) {
        gap_space = p;
        gap_step = t;
      }
    }
    if (index != params.blank_index && index != previous) {
      if (space >= 0 && index != space && after_text && gap_space >= params.space_threshold) {
        out.text += " ";
        out.char_texts.push_back(" ");
        out.char_scores.push_back(gap_space);
        out.char_steps.push_back(gap_step);
        out.char_end_steps.push_back(gap_step);
      }
      gap_space = 0;
      gap_step = -1;
      float p = params.apply_softmax ? SoftmaxOfMax(row, classes, best.value, shifted.data()) : best.value;
      if (!std::isfinite(p)) p = 0.0f;  // raw +-inf "probabilities" must not poison the mean
      out.text += charset.symbols[index];
      out.char_texts.push_back(charset.symbols[index]);
      out.char_scores.push_back(p);
      out.char_steps.push_back(t);
      out.char_end_steps.push_back(t);
      sum += p;
      ++decoded;
    } else if (index != params.blank_index && !out.char_end_steps.empty()) {
      out.char_end_steps.back() = t;  // the run of this character goes on
    }
    previous = index;
  }
  if (params.trim_spaces) TrimSpaces(out, sum, decoded);
  out.score = decoded == 0 ? 0.0f : static_cast<float>(sum / decoded);
  return out;
}

namespace {

bool IsSpace(const DecodedText& text, size_t c) { return c < text.char_texts.size() && text.char_texts[c] == " "; }

}  // namespace

double CtcCharacterPitch(const DecodedText& text) {
  const size_t n = std::min(text.char_steps.size(), text.char_end_steps.size());
  std::vector<double> gaps;
  for (size_t c = 0; c + 1 < n; ++c) {
    if (IsSpace(text, c) || IsSpace(text, c + 1)) continue;
    gaps.push_back(text.char_steps[c + 1] - text.char_steps[c]);
  }
  if (gaps.empty()) return 0;
  std::sort(gaps.begin(), gaps.end());
  const size_t m = gaps.size() / 2;
  return gaps.size() % 2 == 1 ? gaps[m] : (gaps[m - 1] + gaps[m]) / 2;
}

std::vector<std::pair<double, double>> CtcCharacterExtents(const DecodedText& text, int valid_steps, double reach,
                                                           double pitch_reach) {
  const size_t n = std::min(text.char_steps.size(), text.char_end_steps.size());
  const double limit = std::max(valid_steps, 0);
  std::vector<std::pair<double, double>> out(n);
  for (size_t c = 0; c < n; ++c) out[c] = {text.char_steps[c], text.char_end_steps[c] + 1.0};
  if (pitch_reach > 0) reach = std::max(reach, pitch_reach * CtcCharacterPitch(text));
  auto is_space = [&](size_t c) { return IsSpace(text, c); };
  std::vector<double> next_begin(n + 1, -1);  // run start of the first character after c that is not a space
  for (size_t c = n; c-- > 0;) next_begin[c] = c + 1 < n && !is_space(c + 1) ? out[c + 1].first : next_begin[c + 1];
  std::vector<std::pair<double, double>> widened = out;
  double previous_end = -1;  // run end of the last character before c that is not a space; -1: none
  for (size_t c = 0; c < n; ++c) {
    if (is_space(c)) continue;
    const auto [begin, end] = out[c];
    double lo = std::max(begin - reach, 0.0), hi = std::min(end + reach, limit);
    if (previous_end >= 0) lo = std::max(lo, (previous_end + begin) / 2);
    if (next_begin[c] >= 0) hi = std::min(hi, (end + next_begin[c]) / 2);
    widened[c] = {std::min(lo, begin), std::max(hi, end)};
    previous_end = end;
  }
  return widened;
}

}  // namespace ocr::recognize
