// DB post-processing (detect/db.h) on arbitrary probability maps: a detector
// model a user brings can write anything, NaN and infinities included. Every
// region it returns must be finite and inside the destination image.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "detect/db.h"
#include "map_values.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 6) return 0;
  const int width = 1 + data[0] % 96, height = 1 + data[1] % 96;
  const uint8_t flags = data[2];
  ocr::detect::DbParams params;
  params.box_type = flags & 1 ? ocr::detect::BoxType::kPolygon : ocr::detect::BoxType::kQuad;
  params.score_mode = flags & 2 ? ocr::detect::ScoreMode::kSlow : ocr::detect::ScoreMode::kFast;
  params.use_dilation = flags & 4;
  params.end_padding = flags & 8 ? 0.1f : 0.0f;
  params.merge_gap = flags & 16 ? 1.0f : 0.0f;
  params.unclip_ratio = flags & 32 ? 3.0f : 1.5f;
  params.box_threshold = (data[3] % 10) / 10.0f;
  params.threshold = (data[4] % 10) / 10.0f;
  const cv::Size dest(1 + data[5] * 8, 1 + data[5] * 5);
  cv::Mat prob(height, width, CV_32F, cv::Scalar(0));
  for (size_t k = 6; k < size && k - 6 < size_t(width) * height; ++k) {
    prob.at<float>(int((k - 6) / width), int((k - 6) % width)) = ocr::fuzz::MapValue(data[k]);
  }
  std::vector<ocr::TextRegion> regions;
  try {
    regions = ocr::detect::DbPostprocess(prob, params, dest);
  } catch (const ocr::Error&) {
    return 0;  // a typed error (a map with NaN or infinities)
  }
  for (const auto& region : regions) {
    if (!std::isfinite(region.score)) __builtin_trap();
    for (const auto& p : region.quad) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y) || p.x < 0 || p.y < 0 || p.x > dest.width || p.y > dest.height) {
        __builtin_trap();  // regions are clipped to the destination image
      }
    }
  }
  return 0;
}
