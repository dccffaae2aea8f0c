// Value types shared by every stage of the core.
#pragma once

#include <array>
#include <cmath>
#include <vector>

#include <opencv2/core.hpp>

namespace ocr {

// Four corners clockwise from the top-left: TL, TR, BR, BL.
using Quad = std::array<cv::Point2f, 4>;

// Euclidean length of (dx, dy). Not std::hypot: glibc 2.35 gave hypot a new
// symbol version, which would raise the prebuild's glibc floor (README) for
// an overflow guard pixel coordinates never need.
inline double Length(double dx, double dy) { return std::sqrt(dx * dx + dy * dy); }

// A detected text region in original-image pixels. `polygon` holds the four
// quad corners (box mode) or the polygon outline (polygon mode); `quad` is
// always the minimum-area quad of the region.
struct TextRegion {
  Quad quad;
  std::vector<cv::Point2f> polygon;
  float score = 0.0f;
};

}  // namespace ocr
