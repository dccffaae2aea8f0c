// Recognition input: crops resized to a fixed height keeping their aspect
// ratio, padded right to the batch width, normalised to [-1, 1].
// Reference: PaddleOCR tools/infer/predict_rec.py resize_norm_img (2.7).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

namespace ocr::preprocess {

struct RecResizeParams {
  int height = 48;        // network input height
  int nominal_width = 320;  // batch width starts at height * nominal_width / height
  int max_width = 3200;   // cap of a crop's resized width (and so of the batch width)
};

// Batch width for crops: int(height * max(nominal_width / height, max w/h of crops)),
// capped at max_width.
int RecBatchWidth(const std::vector<cv::Size>& crop_sizes, const RecResizeParams& params);

// Crops per session run for a batch of `batch` crops padded to `batch_width`
// when one run may hold at most `max_columns` input columns (crops x width):
// floor(max_columns / batch_width), at least 1 and at most `batch`. A
// non-positive `max_columns` means no limit (the whole batch).
int RecRunSize(int batch, int batch_width, int max_columns);

// Writes crop `image` (CV_8UC3) as 3 x height x batch_width floats into `out`
// (planar, (x / 255 - 0.5) / 0.5), resized to width min(batch_width,
// ceil(height * w / h)), the rest zero. Returns the resized width (the valid
// part, for CTC masking).
int RecPreprocess(const cv::Mat& image, int batch_width, const RecResizeParams& params, float* out);

}  // namespace ocr::preprocess
