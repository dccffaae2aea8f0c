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

// How far a character's extent reaches past its run of steps, on each side:
// the larger of kCtcCharacterReach steps and kCtcCharacterReachPitch times
// the line's character pitch (CtcCharacterPitch). CTC fires a character
// inside its glyph, not at its edges, by a part of the glyph's width; a step
// spans a fixed share of the crop's height (PP-OCRv4's recogniser: 8 of its
// 48 rows), so a reach in steps alone shrinks against the text when the crop
// hugs it. On line crops with margins (bench/word-boxes.mjs: crops 1.6-2.1
// text heights tall, a step ~0.3 text heights) 0.75 steps covered 92-94% of
// the words to 95% of their drawn ink; on whole pages (--pages) the
// detector's crops are ~1.07 text heights tall (a step ~0.18) and the same
// 0.75 steps started words 0.05-0.07 text heights late and ended them as
// early, covering 43-47%. The pitch scales with the text whatever the crop's
// margins: with 0.4 of it, 77-81% on pages (medians within 0.02 text heights
// of the ink), 93-96% on crops (mean IoU 0.874-0.889 -> 0.870-0.885).
constexpr double kCtcCharacterReach = 0.75;
constexpr double kCtcCharacterReachPitch = 0.4;

// The line's character pitch in steps: the median distance between the first
// steps of two characters read one after the other (neither a space); 0 when
// no two are.
double CtcCharacterPitch(const DecodedText& text);

// Each decoded character's extent along the sequence, in steps: its run
// [char_steps, char_end_steps + 1) widened on each side by the larger of
// `reach` steps and `pitch_reach` times CtcCharacterPitch(text), never past
// the midpoint to the run of the nearest other character that is not a
// space (so neighbours abut and never overlap) nor outside [0, valid_steps).
// Spaces keep their runs: where the model fires one says little about the gap.
std::vector<std::pair<double, double>> CtcCharacterExtents(const DecodedText& text, int valid_steps,
                                                           double reach = kCtcCharacterReach,
                                                           double pitch_reach = kCtcCharacterReachPitch);

}  // namespace ocr::recognize
