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

}  // namespace ocr::image
