// Reference: PaddleOCR tools/infer/predict_cls.py resize_norm_img and
// ppocr/postprocess/cls_postprocess.py ClsPostProcess (2.7).
#include "classify/line_orientation.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ocr::classify {

void ClsPreprocess(const cv::Mat& image, const ClsParams& params, float* out) {
  const int h = params.height, w = params.width;
  const double ratio = double(image.cols) / std::max(image.rows, 1);
  const int resized_w = std::clamp(static_cast<int>(std::ceil(h * ratio)), 1, w);
  cv::Mat resized;
  cv::resize(image, resized, cv::Size(resized_w, h), 0, 0, cv::INTER_LINEAR);
  cv::Mat channels[3];
  cv::split(resized, channels);
  const size_t plane = static_cast<size_t>(h) * w;
  for (int c = 0; c < 3; ++c) {
    cv::Mat dst(h, w, CV_32FC1, out + c * plane);
    cv::Mat left = dst(cv::Rect(0, 0, resized_w, h));
    channels[c].convertTo(left, CV_32F, 2.0 / 255.0, -1.0);
    if (resized_w < w) dst(cv::Rect(resized_w, 0, w - resized_w, h)).setTo(0.0f);
  }
}

ClsResult ClsDecode(const float* probs, int classes) {
  ClsResult best{-1, 0.0f};
  for (int c = 0; c < classes; ++c) {
    if (best.label < 0 ? !std::isnan(probs[c]) : probs[c] > best.score) best = {c, probs[c]};
  }
  if (best.label < 0) best = {0, 0.0f};
  return best;
}

}  // namespace ocr::classify
