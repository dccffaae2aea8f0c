// Per-step maximum of recogniser outputs, shared by the CTC and attention decoders.
#pragma once

#include <limits>

namespace ocr::recognize {

struct StepMax {
  int index = -1;  // -1: no comparable value (every class NaN)
  float value = -std::numeric_limits<float>::infinity();
};

// numpy's argmax (the first index holding the maximum) of one step's `classes`
// scores, except that NaN never wins (numpy would return the NaN's index).
StepMax ArgMax(const float* row, int classes);

// Softmax probability of the maximum of one step's logits: 1 / sum(exp(x - max)),
// NaN terms left out, entries equal to the maximum counting 1 each (the limit
// when it is +inf). `shifted` is scratch of `classes` floats.
float SoftmaxOfMax(const float* row, int classes, float max_value, float* shifted);

}  // namespace ocr::recognize
