// Reference: PaddleOCR tools/infer/predict_rec.py TextRecognizer.__call__ (max_wh_ratio) + resize_norm_img (2.7);
// MMOCR 1.x mmocr/datasets/transforms/processing.py RescaleToHeight / PadToWidth.
#include "preprocess/rec_preprocess.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::preprocess {
namespace {

bool IsInverse255(double scale) { return std::abs(scale - 1.0 / 255.0) < 1e-12; }

// Normalised value of byte `v` for channel `c`, in float32 and in numpy's
// order of operations ((v / 255 - mean) / std for PaddleOCR's 1/255), so the
// lookup gives PaddleOCR's values bit for bit.
float Normalize(float v, int c, const RecResizeParams& p) {
  const float scaled = IsInverse255(p.scale) ? v / 255.0f : static_cast<float>(v * p.scale);
  return (scaled - p.mean[c]) / p.std[c];
}

}  // namespace

void CheckRecResizeParams(const RecResizeParams& p) {
  if (p.height <= 0 || p.nominal_width <= 0 || p.max_width <= 0 || p.min_width <= 0 || p.width_divisor <= 0) {
    throw Error(ErrorCode::kInvalidOption,
                "recognizer input height, widths and width divisor must be positive");
  }
  if (p.channels != 1 && p.channels != 3) {
    throw Error(ErrorCode::kInvalidOption, "recognizer input channels must be 1 or 3");
  }
  for (int c = 0; c < 3; ++c) {
    if (!(p.std[c] > 0) || !std::isfinite(p.mean[c]) || !std::isfinite(p.std[c])) {
      throw Error(ErrorCode::kInvalidOption, "recognizer normalisation: std must be > 0 and mean finite");
    }
  }
  if (!(p.scale > 0) || !std::isfinite(p.scale)) {
    throw Error(ErrorCode::kInvalidOption, "recognizer normalisation: scale must be > 0");
  }
}

int RecRunSize(int batch, int batch_width, int max_columns) {
  if (batch <= 1 || max_columns <= 0 || batch_width <= 0) return std::max(batch, 1);
  return std::clamp(max_columns / batch_width, 1, batch);
}

namespace {

// A crop's width before the batch cap: ceil(height * w / h), at least
// min_width, then rounded to the nearest multiple of width_divisor (Python's
// round: halves to even), as MMOCR's RescaleToHeight.
double WantedWidth(cv::Size size, const RecResizeParams& params) {
  const double ratio = static_cast<double>(size.width) / std::max(size.height, 1);
  double wanted = std::max(std::ceil(params.height * ratio), static_cast<double>(params.min_width));
  if (params.width_divisor > 1 && std::fmod(wanted, params.width_divisor) != 0) {
    wanted = std::nearbyint(wanted / params.width_divisor) * params.width_divisor;  // FE_TONEAREST: halves to even
  }
  return wanted;
}

}  // namespace

int RecBatchWidth(const std::vector<cv::Size>& crop_sizes, const RecResizeParams& params) {
  CheckRecResizeParams(params);
  if (params.mode != RecSizeMode::kDynamic) return params.nominal_width;
  double max_ratio = static_cast<double>(params.nominal_width) / params.height;
  double widest = 0;
  for (const cv::Size& s : crop_sizes) {
    max_ratio = std::max(max_ratio, static_cast<double>(s.width) / std::max(s.height, 1));
    if (params.width_divisor > 1) widest = std::max(widest, WantedWidth(s, params));
  }
  // int() truncation, as PaddleOCR; the product is bounded before the cast.
  const double width =
      std::min(std::max(std::floor(params.height * max_ratio), widest), static_cast<double>(params.max_width));
  return std::max(1, static_cast<int>(width));
}

int RecResizedWidth(cv::Size size, int batch_width, const RecResizeParams& params) {
  if (params.mode == RecSizeMode::kStretch) return batch_width;
  const double wanted = WantedWidth(size, params);
  return wanted >= batch_width ? batch_width : std::max(1, static_cast<int>(wanted));
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
  const int resized_w = RecResizedWidth(image.size(), batch_width, params);
  cv::Mat resized;
  cv::resize(image, resized, cv::Size(resized_w, h), 0, 0, cv::INTER_LINEAR);
  cv::Mat channels[3];
  if (params.channels == 1) {
    cv::cvtColor(resized, channels[0], cv::COLOR_BGR2GRAY);
  } else {
    cv::split(resized, channels);
  }
  const size_t plane = static_cast<size_t>(h) * batch_width;
  for (int c = 0; c < params.channels; ++c) {
    // Fed channel c is BGR plane c, or 2 - c for RGB; written into its plane
    // (row stride batch_width): normalised values on the left, padding right.
    cv::Mat table(1, 256, CV_32FC1);
    for (int v = 0; v < 256; ++v) table.at<float>(v) = Normalize(static_cast<float>(v), c, params);
    cv::Mat dst(h, batch_width, CV_32FC1, out + c * plane);
    cv::LUT(channels[params.rgb && params.channels == 3 ? 2 - c : c], table, dst.colRange(0, resized_w));
    if (resized_w < batch_width) {
      const float pad = params.pad_pixel ? Normalize(*params.pad_pixel, c, params) : 0.0f;
      dst.colRange(resized_w, batch_width).setTo(pad);
    }
  }
  return resized_w;
}

}  // namespace ocr::preprocess
