// Reference: PaddleOCR tools/infer/utility.py get_rotate_crop_image (2.7).
#include "image/crop.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ocr::image {
namespace {

float Distance(const cv::Point2f& a, const cv::Point2f& b) { return std::hypot(a.x - b.x, a.y - b.y); }

}  // namespace

cv::Mat CropQuad(const cv::Mat& image, const Quad& quad, float rotate_ratio, bool* rotated) {
  // int() of the longer of each pair of opposite sides, at least one pixel.
  const int width = std::max(1, static_cast<int>(std::max(Distance(quad[0], quad[1]), Distance(quad[2], quad[3]))));
  const int height = std::max(1, static_cast<int>(std::max(Distance(quad[0], quad[3]), Distance(quad[1], quad[2]))));
  const cv::Point2f target[4] = {{0, 0}, {float(width), 0}, {float(width), float(height)}, {0, float(height)}};
  cv::Mat crop;
  const cv::Mat transform = cv::getPerspectiveTransform(quad.data(), target);
  if (cv::checkRange(transform)) {
    cv::warpPerspective(image, crop, transform, cv::Size(width, height), cv::INTER_CUBIC, cv::BORDER_REPLICATE);
  } else {
    // A degenerate quad (collinear corners) has no perspective transform.
    crop = cv::Mat(height, width, image.type(), cv::Scalar::all(255));
  }
  const bool turn = float(crop.rows) / crop.cols >= rotate_ratio;
  if (turn) cv::rotate(crop, crop, cv::ROTATE_90_COUNTERCLOCKWISE);
  if (rotated) *rotated = turn;
  return crop;
}

}  // namespace ocr::image
