// Reading order of text lines.
// Reference: PaddleOCR tools/infer/predict_system.py sorted_boxes (2.7).
#pragma once

#include <vector>

#include "core/types.h"

namespace ocr::pipeline {

// Indices of `quads` in reading order: sorted by (TL.y, TL.x), then
// neighbours whose TL.y differ by less than `row_tolerance` pixels are
// swapped into x order (PaddleOCR's fixed 10 px tolerance pass, applied
// until stable for each position, as its nested loop does).
std::vector<int> ReadingOrder(const std::vector<Quad>& quads, float row_tolerance);

}  // namespace ocr::pipeline
