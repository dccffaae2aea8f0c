// Reference: PaddleOCR tools/infer/predict_cls.py resize_norm_img and
// ppocr/postprocess/cls_postprocess.py ClsPostProcess (2.7).
#include "classify/line_orientation.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::classify {

void ClsPreprocess(const cv::Mat& image, const ClsParams& params, float* out) {
  if (image.empty() || image.type() != CV_8UC3) {
    throw Error(ErrorCode::kInvalidImage, "text-line classifier: expected a non-empty 8-bit 3-channel crop");
  }
  if (params.height < 1 || params.width < 1) {
    throw Error(ErrorCode::kInvalidOption, "text-line classifier: input height and width must be at least 1");
  }
  const int h = params.height, w = params.width;
  // Height h keeping the aspect ratio: width ceil(h * ratio), capped at w.
  const double ratio = double(image.cols) / image.rows;
  const int resized_w = static_cast<int>(std::clamp(std::ceil(h * ratio), 1.0, double(w)));
  cv::Mat resized;
  cv::resize(image, resized, cv::Size(resized_w, h), 0, 0, cv::INTER_LINEAR);
  cv::Mat channels[3];
  cv::split(resized, channels);
  const size_t plane = static_cast<size_t>(h) * w;
  for (int c = 0; c < 3; ++c) {
    // (x / 255 - 0.5) / 0.5 into the left part of this channel's plane, zeros to its right.
    cv::Mat dst(h, w, CV_32FC1, out + c * plane);
    cv::Mat left = dst(cv::Rect(0, 0, resized_w, h));
    channels[c].convertTo(left, CV_32F, 2.0 / 255.0, -1.0);
    if (resized_w < w) dst(cv::Rect(resized_w, 0, w - resized_w, h)).setTo(0.0f);
  }
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
