// Detection input: resize by a side-length limit, normalise, HWC -> CHW.
// Reference: PaddleOCR ppocr/data/imaging/operators.py DetResizeForTest
// (resize_image_type0) and NormalizeImage, release 2.7 (2023).
#pragma once

#include <array>
#include <vector>

#include <opencv2/core.hpp>

namespace ocr::preprocess {

enum class LimitType { kMax, kMin };

struct DetResizeParams {
  int limit_side_length = 960;   // max: longer side <= limit; min: shorter side >= limit
  LimitType limit_type = LimitType::kMax;
  int max_side_length = 4000;    // "min" never makes the longer side exceed this
  int multiple = 32;             // each side rounded to a multiple of this (at least one)
};

// Network input size (width, height) for an image of `size`.
cv::Size DetInputSize(cv::Size size, const DetResizeParams& params);

struct NormalizeParams {
  // Applied per channel in the image's channel order (BGR as decoded, like PaddleOCR).
  std::array<float, 3> mean{0.485f, 0.456f, 0.406f};
  std::array<float, 3> std{0.229f, 0.224f, 0.225f};
  float scale = 1.0f / 255.0f;
};

// Resizes `bgr` (CV_8UC3) to `input_size` and writes (x * scale - mean) / std
// as planar CHW floats into `out` (resized to 3 * h * w).
void DetPreprocess(const cv::Mat& bgr, cv::Size input_size, const NormalizeParams& norm,
                   std::vector<float>& out);

}  // namespace ocr::preprocess
