// Reference: PaddleOCR tools/infer/predict_cls.py resize_norm_img and
// ppocr/postprocess/cls_postprocess.py ClsPostProcess (2.7).
#include "classify/line_orientation.h"

#include <cmath>

#include "core/error.h"
#include "preprocess/rec_preprocess.h"

namespace ocr::classify {

void ClsPreprocess(const cv::Mat& image, const ClsParams& params, float* out) {
  if (image.empty() || image.type() != CV_8UC3) {
    throw Error(ErrorCode::kInvalidImage, "text-line classifier: expected a non-empty 8-bit 3-channel crop");
  }
  if (params.height < 1 || params.width < 1) {
    throw Error(ErrorCode::kInvalidOption, "text-line classifier: input height and width must be at least 1");
  }
  // PaddleOCR's classifier resizes exactly as its recogniser does, into a fixed width.
  preprocess::RecResizeParams resize;
  resize.mode = params.stretch ? preprocess::RecSizeMode::kStretch : preprocess::RecSizeMode::kPad;
  resize.height = params.height;
  resize.nominal_width = params.width;
  resize.max_width = params.width;
  resize.rgb = params.rgb;
  resize.mean = params.mean;
  resize.std = params.std;
  resize.scale = params.scale;
  preprocess::RecPreprocess(image, params.width, resize, out);
}

std::vector<cv::Rect> ClsWindows(cv::Size crop, const ClsParams& params, int max_windows) {
  if (crop.width <= 0 || crop.height <= 0) return {};
  const cv::Rect whole(0, 0, crop.width, crop.height);
  if (params.height < 1 || params.width < 1 || max_windows <= 1) return {whole};
  // Window width: the model input's aspect ratio at the crop's height (at least 1 px).
  const int window = std::max(1, static_cast<int>(std::lround(double(crop.height) * params.width / params.height)));
  if (crop.width <= window) return {whole};
  const int count = std::min(max_windows, (crop.width + window - 1) / window);
  std::vector<cv::Rect> out;
  out.reserve(count);
  for (int i = 0; i < count; ++i) {
    // Lefts spread evenly over [0, w - window]: the first at the left edge, the last at the right edge.
    const int left = static_cast<int>(std::lround(double(crop.width - window) * i / (count - 1)));
    out.emplace_back(left, 0, window, crop.height);
  }
  return out;
}

ClsResult ClsDecode(const float* probs, int classes) {
  // First maximum wins ties (numpy argmax); NaN is skipped; all NaN or no
  // classes gives label 0 with score 0, which never passes a threshold.
  ClsResult best{0, 0.0f};
  bool found = false;
  for (int c = 0; c < classes; ++c) {
    if (std::isnan(probs[c])) continue;
    if (!found || probs[c] > best.score) best = {c, probs[c]};
    found = true;
  }
  return best;
}

}  // namespace ocr::classify
