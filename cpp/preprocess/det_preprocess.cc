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
  // Two SIMD passes: split the interleaved bytes into planes, then scale each
  // plane straight into the CHW output as (x * scale - mean) / std.
  cv::Mat channels[3];
  cv::split(resized, channels);
  for (int c = 0; c < 3; ++c) {
    cv::Mat dst(h, w, CV_32FC1, out.data() + c * plane);
    channels[c].convertTo(dst, CV_32F, norm.scale / norm.std[c], -norm.mean[c] / norm.std[c]);
  }
}

}  // namespace ocr::preprocess
