// CTC greedy decoding of recogniser outputs.
// Reference: PaddleOCR ppocr/postprocess/rec_postprocess.py BaseRecLabelDecode.decode (2.7).
#pragma once

#include <string>
#include <vector>

#include "recognize/charset.h"

namespace ocr::recognize {

struct CtcParams {
  int blank_index = 0;            // PaddleOCR / MindOCR: 0
  bool apply_softmax = false;     // true when the model outputs raw logits
};

struct DecodedText {
  std::string text;               // UTF-8
  float score = 0.0f;             // mean of the kept characters' probabilities, 0 when empty
  std::vector<float> char_scores; // per kept character
  std::vector<int> char_steps;    // time step of each kept character (for character boxes)
};

// Decodes one sequence: `probs` points at T x C row-major values (time-major
// for this sequence); only the first `valid_steps` steps are read (padded
// columns on the right are ignored). Argmax per step, collapse repeats, drop
// blanks. NaN probabilities never win the argmax and never reach the score.
// Throws ocr::Error(kModelShape) when C != charset.size().
DecodedText CtcGreedyDecode(const float* probs, int steps, int classes, int valid_steps,
                            const Charset& charset, const CtcParams& params);

}  // namespace ocr::recognize
