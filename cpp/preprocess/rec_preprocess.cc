// Reference: PaddleOCR tools/infer/predict_rec.py TextRecognizer.resize_norm_img (2.7).
#include "preprocess/rec_preprocess.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ocr::preprocess {

int RecBatchWidth(const std::vector<cv::Size>& crop_sizes, const RecResizeParams& params) {
  double max_ratio = double(params.nominal_width) / params.height;
  for (const cv::Size& s : crop_sizes) max_ratio = std::max(max_ratio, double(s.width) / std::max(s.height, 1));
  const int width = static_cast<int>(params.height * max_ratio);
  return std::max(1, std::min(width, params.max_width));
}

int RecPreprocess(const cv::Mat& image, int batch_width, const RecResizeParams& params, float* out) {
  const int h = params.height;
  const double ratio = double(image.cols) / std::max(image.rows, 1);
  const int resized_w = std::clamp(static_cast<int>(std::ceil(h * ratio)), 1, batch_width);
  cv::Mat resized;
  cv::resize(image, resized, cv::Size(resized_w, h), 0, 0, cv::INTER_LINEAR);
  cv::Mat channels[3];
  cv::split(resized, channels);
  const size_t plane = static_cast<size_t>(h) * batch_width;
  for (int c = 0; c < 3; ++c) {
    // (x / 255 - 0.5) / 0.5 into the left part of this channel's plane; the rest stays zero.
    cv::Mat dst(h, batch_width, CV_32FC1, out + c * plane);
    cv::Mat left = dst(cv::Rect(0, 0, resized_w, h));
    channels[c].convertTo(left, CV_32F, 2.0 / 255.0, -1.0);
    if (resized_w < batch_width) dst(cv::Rect(resized_w, 0, batch_width - resized_w, h)).setTo(0.0f);
  }
  return resized_w;
}

}  // namespace ocr::preprocess
