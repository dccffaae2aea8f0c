// Text-line crops of a quad.
// Reference: PaddleOCR tools/infer/utility.py get_rotate_crop_image (2.7).
#pragma once

#include <opencv2/core.hpp>

#include "core/types.h"

namespace ocr::image {

// Perspective-warps `quad` (TL, TR, BR, BL in `image` pixels) to an upright
// crop of width max(|TL-TR|, |BR-BL|) and height max(|TL-BL|, |TR-BR|)
// (each at least 1), cubic interpolation, replicated border. When the crop is
// at least `rotate_ratio` (1.5) times taller than wide it is rotated 90
// degrees counter-clockwise (vertical text read top to bottom).
// `rotated` (optional) reports that rotation.
cv::Mat CropQuad(const cv::Mat& image, const Quad& quad, float rotate_ratio, bool* rotated);

// The part of `quad` that a span [begin, end) of its crop's width covers
// (fractions in [0, 1], as read by the recogniser): interpolated along the
// quad's edges, TL->TR / BL->BR, or TL->BL / TR->BR when the crop was
// `rotated` (CropQuad's 90-degree turn), with the span reversed when the crop
// was `flipped` (turned 180 degrees by the text-line classifier). The corner
// order follows the quad's.
Quad CropSpanToQuad(const Quad& quad, float begin, float end, bool rotated, bool flipped);

}  // namespace ocr::image
