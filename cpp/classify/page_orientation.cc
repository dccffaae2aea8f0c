// Reference: PaddleX paddlex/inference/models/image_classification (ResizeImage resize_short, CropImage,
// NormalizeImage) and pipelines/doc_preprocessor (rotate by the predicted angle).
#include "classify/page_orientation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::classify {

void PageClsPreprocess(const cv::Mat& bgr, const PageClsParams& params, float* out) {
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    throw Error(ErrorCode::kInvalidImage, "document orientation classifier: expected a non-empty 8-bit 3-channel image");
  }
  const cv::Size size = params.size;
  if (size.width < 1 || size.height < 1 || params.resize_short < 1) {
    throw Error(ErrorCode::kInvalidOption, "document orientation classifier: input sizes must be at least 1");
  }
  cv::Mat resized;
  if (params.resize == PageClsParams::Resize::kStretch) {
    cv::resize(bgr, resized, size, 0, 0, cv::INTER_LINEAR);
  } else {
    // PaddleX ResizeImage(resize_short): scale = short / min(h, w), sides rounded; then the centre crop.
    const double scale = double(params.resize_short) / std::min(bgr.cols, bgr.rows);
    const cv::Size target(std::max(size.width, static_cast<int>(std::lround(bgr.cols * scale))),
                          std::max(size.height, static_cast<int>(std::lround(bgr.rows * scale))));
    cv::Mat scaled;
    cv::resize(bgr, scaled, target, 0, 0, cv::INTER_LINEAR);
    const int x = (target.width - size.width) / 2, y = (target.height - size.height) / 2;
    resized = scaled(cv::Rect(x, y, size.width, size.height));
  }
  cv::Mat channels[3];
  cv::split(resized, channels);
  const size_t plane = size_t(size.width) * size.height;
  for (int c = 0; c < 3; ++c) {
    cv::Mat dst(size.height, size.width, CV_32FC1, out + c * plane);
    channels[params.rgb ? 2 - c : c].convertTo(dst, CV_32F, params.scale / params.std[c], -params.mean[c] / params.std[c]);
  }
}

cv::Mat RotateUpright(const cv::Mat& page, int angle) {
  cv::Mat out;
  switch (angle) {
    case 0:
      return page;
    case 90:
      cv::rotate(page, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    case 180:
      cv::rotate(page, out, cv::ROTATE_180);
      return out;
    case 270:
      cv::rotate(page, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    default:
      throw Error(ErrorCode::kInvalidOption, "page angle must be 0, 90, 180 or 270, got " + std::to_string(angle));
  }
}

cv::Point2f UprightToGiven(cv::Point2f p, int angle, cv::Size upright) {
  const float w = static_cast<float>(upright.width), h = static_cast<float>(upright.height);
  switch (angle) {
    case 90:  // turned clockwise: the upright's left edge becomes the top
      return {h - p.y, p.x};
    case 180:
      return {w - p.x, h - p.y};
    case 270:  // turned counter-clockwise: the upright's top edge becomes the left
      return {p.y, w - p.x};
    default:
      return p;
  }
}

Quad UprightToGiven(const Quad& q, int angle, cv::Size upright) {
  Quad out;
  for (int k = 0; k < 4; ++k) out[k] = UprightToGiven(q[k], angle, upright);
  return out;
}

}  // namespace ocr::classify
