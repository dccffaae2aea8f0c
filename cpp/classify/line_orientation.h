// Text-line orientation classifier input and output (0 or 180 degrees).
// Reference: PaddleOCR tools/infer/predict_cls.py + ppocr ClsPostProcess (2.7).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

namespace ocr::classify {

struct ClsParams {
  int height = 48;
  int width = 192;
  float threshold = 0.9f;  // rotate only when the "180" score exceeds this
};

// Writes `image` (CV_8UC3) as 3 x height x width floats: resized to height,
// width min(width, ceil(height * w / h)), (x / 255 - 0.5) / 0.5, zero padded right.
void ClsPreprocess(const cv::Mat& image, const ClsParams& params, float* out);

struct ClsResult {
  int label = 0;       // index of the best class
  float score = 0.0f;  // its probability
};

// Argmax over `classes` probabilities (NaN never wins).
ClsResult ClsDecode(const float* probs, int classes);

}  // namespace ocr::classify
