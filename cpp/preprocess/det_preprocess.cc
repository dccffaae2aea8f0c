#include "preprocess/det_preprocess.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ocr::preprocess {
namespace {

int RoundToMultiple(double side, int multiple) {
  // Python's round() (half to even) on side / multiple, as PaddleOCR does.
  double q = std::nearbyint(side / multiple);
  return std::max(static_cast<int>(q) * multiple, multiple);
}

}  // namespace

cv::Size DetInputSize(cv::Size size, const DetResizeParams& params) {
  const int w = size.width, h = size.height;
  const double limit = params.limit_side_length;
  double ratio = 1.0;
  if (params.limit_type == LimitType::kMax) {
    if (std::max(h, w) > limit) ratio = limit / std::max(h, w);
  } else {
    if (std::min(h, w) < limit) ratio = limit / std::min(h, w);
    // PaddleX's max_side_limit: the longer side never exceeds the cap.
    if (std::max(h, w) * ratio > params.max_side_length) ratio = params.max_side_length / double(std::max(h, w));
  }
  // int() truncation of the scaled sides, then rounding to the multiple.
  const int resized_h = static_cast<int>(h * ratio);
  const int resized_w = static_cast<int>(w * ratio);
  return {RoundToMultiple(resized_w, params.multiple), RoundToMultiple(resized_h, params.multiple)};
}

void DetPreprocess(const cv::Mat& bgr, cv::Size input_size, const NormalizeParams& norm,
                   std::vector<float>& out) {
  cv::Mat resized;
  if (bgr.size() == input_size) {
    resized = bgr;
  } else {
    cv::resize(bgr, resized, input_size, 0, 0, cv::INTER_LINEAR);
  }
  const int h = input_size.height, w = input_size.width;
  const size_t plane = static_cast<size_t>(h) * w;
  out.resize(3 * plane);
  float mul[3], add[3];
  for (int c = 0; c < 3; ++c) {
    mul[c] = norm.scale / norm.std[c];
    add[c] = -norm.mean[c] / norm.std[c];
  }
  float* planes[3] = {out.data(), out.data() + plane, out.data() + 2 * plane};
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = resized.ptr<uint8_t>(y);
    const size_t offset = static_cast<size_t>(y) * w;
    for (int c = 0; c < 3; ++c) {
      float* dst = planes[c] + offset;
      for (int x = 0; x < w; ++x) dst[x] = row[3 * x + c] * mul[c] + add[c];
    }
  }
}

}  // namespace ocr::preprocess
