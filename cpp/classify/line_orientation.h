// Text-line orientation classifier input and output (0 or 180 degrees).
// Reference: PaddleOCR tools/infer/predict_cls.py + ppocr ClsPostProcess (2.7).
#pragma once

#include <array>
#include <vector>

#include <opencv2/core.hpp>

namespace ocr::classify {

struct ClsParams {
  int height = 48;
  int width = 192;
  float threshold = 0.9f;  // rotate only when the "180" score exceeds this
  // Input policy. PaddleOCR's classifier (the defaults): keep the ratio and
  // pad to `width`, (x / 255 - 0.5) / 0.5, BGR. `stretch`: resize to exactly
  // width x height (e.g. PaddleX's PP-LCNet text-line models).
  bool stretch = false;
  bool rgb = false;
  std::array<float, 3> mean{0.5f, 0.5f, 0.5f};
  std::array<float, 3> std{0.5f, 0.5f, 0.5f};
  double scale = 1.0 / 255.0;
  int label_180 = 1;  // index of the "180" class among the two outputs
};

// Writes `image` (CV_8UC3) as 3 x height x width floats: by default resized to
// height, width min(width, ceil(height * w / h)), (x / 255 - 0.5) / 0.5, zero
// padded right; or as `params` says.
void ClsPreprocess(const cv::Mat& image, const ClsParams& params, float* out);

// ocrkit's "windows" mode (a deviation from PaddleOCR, off by default): a
// crop wider than `width / height` times its height is not squeezed into the
// fixed input; it is cut into ceil(w / (h * width / height)) windows of that
// aspect ratio (at most `max_windows`), spread evenly from the left edge to
// the right edge (they overlap when the division is not exact), and the
// classifier's probabilities are averaged over them. A crop that fits gives
// one window: the whole crop. An empty crop gives none.
std::vector<cv::Rect> ClsWindows(cv::Size crop, const ClsParams& params, int max_windows);

struct ClsResult {
  int label = 0;       // index of the best class
  float score = 0.0f;  // its probability
};

// Argmax over `classes` probabilities (NaN never wins).
ClsResult ClsDecode(const float* probs, int classes);

}  // namespace ocr::classify
