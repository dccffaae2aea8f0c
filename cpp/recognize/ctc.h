// CTC greedy decoding of recogniser outputs.
// Reference: PaddleOCR ppocr/postprocess/rec_postprocess.py BaseRecLabelDecode.decode (2.7).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "recognize/charset.h"

namespace ocr::recognize {

struct CtcParams {
  int blank_index = 0;            // PaddleOCR / MindOCR: 0
  bool apply_softmax = false;     // true when the model outputs raw logits
  // Not PaddleOCR (0 = off, its decoding): between two decoded characters,
  // when the blank won every step but the space class reached at least this
  // probability at one of them, a space is written there. `space_index`: the
  // space's class (-1: the dictionary has none; nothing is inserted).
  float space_threshold = 0.0f;
  int space_index = -1;
  // Not PaddleOCR (false: its decoding): spaces the argmax reads before the
  // first or after the last other character are dropped, and kept out of the
  // score (a box lengthened past the text's ends shows the model a margin).
  bool trim_spaces = false;
};

struct DecodedText {
  std::string text;               // UTF-8
  float score = 0.0f;             // mean of the kept characters' probabilities, 0 when empty
  std::vector<std::string> char_texts;  // per kept character: its dictionary entry (or token name)
  std::vector<float> char_scores; // per kept character
  std::vector<int> char_steps;    // time step of each kept character (for character boxes)
  std::vector<int> char_end_steps;  // CTC: last step of the character's run of equal argmax steps
  // CTC: each character's extent along the crop, [begin, end) as fractions
  // of the crop's width (its resized, unpadded part); set by the recogniser.
  std::vector<std::pair<float, float>> char_spans;
  // The model's output for this sequence held NaN or infinity (set by the
  // recogniser, which then leaves the rest empty): a failure, not a reading.
  bool non_finite = false;
};

// Decodes one sequence: `probs` points at T x C row-major values (time-major
// for this sequence); only the first `valid_steps` steps are read (padded
// columns on the right are ignored). Argmax per step, collapse repeats, drop
// blanks. NaN probabilities never win the argmax and never reach the score.
// A space inserted by `space_threshold` is a character of the result (its
// probability as its score, at the step where it peaked) but not part of the
// line score, which stays the mean over the argmax characters. With
// `trim_spaces`, a result never starts or ends with a space.
// Throws ocr::Error(kModelShape) when C != charset.size().
DecodedText CtcGreedyDecode(const float* probs, int steps, int classes, int valid_steps,
                            const Charset& charset, const CtcParams& params);

// How far a character's extent reaches past its run of steps, on each side.
// CTC fires a character inside its glyph, not at its edges: on 1099 words of
// rendered lines (bench/word-boxes.mjs: 5 fonts, 20-44 px, PP-OCRv4's
// recogniser) the bare runs started 0.15-0.17 text heights inside a word's
// ink and ended 0.10-0.11 short of its end, covering 16-20% of the words to
// 95%; reaching 0.75 steps (~0.2 text heights; chosen on other lines) gives
// -0.06..-0.07 / +0.12..+0.13, 88-91% covered, mean IoU 0.875 -> 0.90.
constexpr double kCtcCharacterReach = 0.75;

// Each decoded character's extent along the sequence, in steps: its run
// [char_steps, char_end_steps + 1) widened by `reach` on each side, never past
// the midpoint to the run of the nearest other character that is not a
// space (so neighbours abut and never overlap) nor outside [0, valid_steps).
// Spaces keep their runs: where the model fires one says little about the gap.
std::vector<std::pair<double, double>> CtcCharacterExtents(const DecodedText& text, int valid_steps,
                                                           double reach = kCtcCharacterReach);

}  // namespace ocr::recognize
