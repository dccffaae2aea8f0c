// Reference: PaddleOCR tools/infer/predict_rec.py TextRecognizer.__call__ (max_wh_ratio) + resize_norm_img (2.7).
#include "preprocess/rec_preprocess.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::preprocess {
namespace {

// (v / 255 - 0.5) / 0.5 for every byte, in float32 and in PaddleOCR's order
// of operations, so the lookup gives numpy's values bit for bit (+-1 exactly).
const cv::Mat& NormalizeTable() {
  static const std::array<float, 256> values = [] {
    std::array<float, 256> table{};
    for (int v = 0; v < 256; ++v) table[v] = (static_cast<float>(v) / 255.0f - 0.5f) / 0.5f;
    return table;
  }();
  static const cv::Mat table(1, 256, CV_32FC1, const_cast<float*>(values.data()));
  return table;
}

}  // namespace

int RecRunSize(int batch, int batch_width, int max_columns) {
  if (batch <= 1 || max_columns <= 0 || batch_width <= 0) return std::max(batch, 1);
  return std::clamp(max_columns / batch_width, 1, batch);
}

int RecBatchWidth(const std::vector<cv::Size>& crop_sizes, const RecResizeParams& params) {
  if (params.height <= 0 || params.nominal_width <= 0 || params.max_width <= 0) {
    throw Error(ErrorCode::kInvalidOption, "recognizer input height, nominal width and max width must be positive");
  }
  double max_ratio = static_cast<double>(params.nominal_width) / params.height;
  for (const cv::Size& s : crop_sizes) {
    max_ratio = std::max(max_ratio, static_cast<double>(s.width) / std::max(s.height, 1));
  }
  // int() truncation, as PaddleOCR; the product is bounded before the cast.
  const double width = std::min(params.height * max_ratio, static_cast<double>(params.max_width));
  return std::max(1, static_cast<int>(width));
}

int RecPreprocess(const cv::Mat& image, int batch_width, const RecResizeParams& params, float* out) {
  if (image.empty() || image.type() != CV_8UC3) {
    throw Error(ErrorCode::kInvalidImage, "recognizer crop must be a non-empty 8-bit 3-channel image (got " +
                                              std::to_string(image.cols) + "x" + std::to_string(image.rows) + ", " +
                                              std::to_string(image.channels()) + " channels)");
  }
  if (params.height <= 0 || batch_width <= 0) {
    throw Error(ErrorCode::kInvalidOption, "recognizer input height and batch width must be positive");
  }
  const int h = params.height;
  const double ratio = static_cast<double>(image.cols) / image.rows;
  const double wanted = std::ceil(h * ratio);
  const int resized_w = wanted >= batch_width ? batch_width : std::max(1, static_cast<int>(wanted));
  cv::Mat resized;
  cv::resize(image, resized, cv::Size(resized_w, h), 0, 0, cv::INTER_LINEAR);
  cv::Mat channels[3];
  cv::split(resized, channels);
  const size_t plane = static_cast<size_t>(h) * batch_width;
  for (int c = 0; c < 3; ++c) {
    // Channel c (BGR order, as PaddleOCR feeds it) into its plane (row stride
    // batch_width): normalised values on the left, zeros on the right.
    cv::Mat dst(h, batch_width, CV_32FC1, out + c * plane);
    cv::LUT(channels[c], NormalizeTable(), dst.colRange(0, resized_w));
    if (resized_w < batch_width) dst.colRange(resized_w, batch_width).setTo(0.0f);
  }
  return resized_w;
}

}  // namespace ocr::preprocess
