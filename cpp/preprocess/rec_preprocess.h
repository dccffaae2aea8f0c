// Recognition input: crops resized to the network height, padded right to the
// batch width (or stretched to a fixed size), normalised, planar CHW.
// Reference: PaddleOCR tools/infer/predict_rec.py resize_norm_img (2.7) for
// the default (kDynamic, (x / 255 - 0.5) / 0.5, BGR, zero padding after
// normalisation); MMOCR 1.x RescaleToHeight (min_width, max_width,
// width_divisor) + PadToWidth for kPad, Resize(keep_ratio=False) for kStretch.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace ocr::preprocess {

enum class RecSizeMode {
  kDynamic,  // keep ratio; batch width from the widest crop (PaddleOCR), at least nominal_width
  kPad,      // keep ratio; every batch padded to the fixed `width` (crops wider than it squeezed to it)
  kStretch,  // every crop resized to exactly width x height, ratio ignored
};

struct RecResizeParams {
  RecSizeMode mode = RecSizeMode::kDynamic;
  int height = 48;          // network input height
  int nominal_width = 320;  // kDynamic: batch width starts at height * nominal_width / height;
                            // kPad / kStretch: the fixed input width
  int max_width = 3200;     // kDynamic: cap of a crop's resized width (and so of the batch width)
  int min_width = 1;        // a crop's resized width is at least this (MMOCR RescaleToHeight min_width)
  int width_divisor = 1;    // then rounded to the nearest multiple of this (MMOCR width_divisor; halves to even)
  int channels = 3;         // 3: colour; 1: grey (BGR -> grey, MMOCR CRNN's color_type 'grayscale')
  bool rgb = false;         // feed channels as RGB (crops are BGR)
  // x = (v * scale - mean[c]) / std[c], c in the fed order. scale 1/255 is
  // computed as v / 255 (numpy's order, bit for bit).
  std::array<float, 3> mean{0.5f, 0.5f, 0.5f};
  std::array<float, 3> std{0.5f, 0.5f, 0.5f};
  double scale = 1.0 / 255.0;
  // Padding: zeros after normalisation (PaddleOCR) when unset; otherwise this
  // pixel value, normalised like the image (MMOCR PadToWidth pad_val).
  std::optional<float> pad_pixel;
};

// Throws ocr::Error(kInvalidOption) for a non-positive size, std or scale.
void CheckRecResizeParams(const RecResizeParams& params);

// Batch width for crops. kDynamic: int(height * max(nominal_width / height,
// max w/h of crops)) (with a width divisor > 1: at least the widest resized
// crop), capped at max_width; kPad / kStretch: nominal_width.
int RecBatchWidth(const std::vector<cv::Size>& crop_sizes, const RecResizeParams& params);

// Crops per session run for a batch of `batch` crops padded to `batch_width`
// when one run may hold at most `max_columns` input columns (crops x width):
// floor(max_columns / batch_width), at least 1 and at most `batch`. A
// non-positive `max_columns` means no limit (the whole batch).
int RecRunSize(int batch, int batch_width, int max_columns);

// Resized width of a crop of `size` in a batch of `batch_width`: kStretch:
// batch_width; otherwise ceil(height * w / h), at least min_width, rounded to
// a multiple of width_divisor (MMOCR RescaleToHeight order), at most batch_width.
int RecResizedWidth(cv::Size size, int batch_width, const RecResizeParams& params);

// Writes crop `image` (CV_8UC3, BGR) as channels x height x batch_width floats into
// `out`, resized to RecResizedWidth, normalised, the rest padding. Returns
// the resized width (the valid part, for CTC masking).
int RecPreprocess(const cv::Mat& image, int batch_width, const RecResizeParams& params, float* out);

}  // namespace ocr::preprocess
