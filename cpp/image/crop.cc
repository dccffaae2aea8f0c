// Reference: PaddleOCR tools/infer/utility.py get_rotate_crop_image (2.7).
#include "image/crop.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::image {
namespace {

// np.linalg.norm of float32 points: sqrt of the float sum of squares.
float Distance(const cv::Point2f& a, const cv::Point2f& b) {
  const float dx = a.x - b.x, dy = a.y - b.y;
  return std::sqrt(dx * dx + dy * dy);
}

bool IsFinite(const Quad& quad) {
  return std::all_of(quad.begin(), quad.end(),
                     [](const cv::Point2f& p) { return std::isfinite(p.x) && std::isfinite(p.y); });
}

// A zero-area quad (all corners equal or collinear) has no perspective
// transform: its crop is the colour under its first corner, as a replicated
// border would give.
cv::Mat DegenerateCrop(const cv::Mat& image, const cv::Point2f& corner, cv::Size size) {
  const int x = std::clamp(static_cast<int>(std::lround(corner.x)), 0, image.cols - 1);
  const int y = std::clamp(static_cast<int>(std::lround(corner.y)), 0, image.rows - 1);
  cv::Mat crop;
  cv::repeat(image(cv::Rect(x, y, 1, 1)), size.height, size.width, crop);
  return crop;
}

}  // namespace

cv::Mat CropQuad(const cv::Mat& image, const Quad& quad, float rotate_ratio, bool* rotated) {
  if (image.empty()) throw Error(ErrorCode::kInvalidImage, "crop: the image is empty");
  // Quads come from detection; anything else here is a bug upstream. The
  // bound keeps int() defined and the allocation sane.
  constexpr float kMaxSide = 1 << 16;
  const float long_w = std::max(Distance(quad[0], quad[1]), Distance(quad[2], quad[3]));
  const float long_h = std::max(Distance(quad[0], quad[3]), Distance(quad[1], quad[2]));
  if (!IsFinite(quad) || !(long_w < kMaxSide) || !(long_h < kMaxSide)) {
    throw Error(ErrorCode::kInternal, "crop: quad corners are not finite or too far apart");
  }
  // int() of the longer of each pair of opposite sides, at least one pixel.
  const cv::Size size(std::max(1, static_cast<int>(long_w)), std::max(1, static_cast<int>(long_h)));
  const cv::Point2f target[4] = {
      {0, 0}, {float(size.width), 0}, {float(size.width), float(size.height)}, {0, float(size.height)}};
  const cv::Mat transform = cv::getPerspectiveTransform(quad.data(), target);
  cv::Mat crop;
  if (cv::checkRange(transform) && cv::determinant(transform) != 0.0) {
    cv::warpPerspective(image, crop, transform, size, cv::INTER_CUBIC, cv::BORDER_REPLICATE);
  } else {
    crop = DegenerateCrop(image, quad[0], size);
  }
  // Tall crops hold vertical text: np.rot90 (counter-clockwise) lays it down.
  const bool turn = double(crop.rows) / crop.cols >= rotate_ratio;
  if (turn) cv::rotate(crop, crop, cv::ROTATE_90_COUNTERCLOCKWISE);
  if (rotated) *rotated = turn;
  return crop;
}

Quad CropSpanToQuad(const Quad& quad, float begin, float end, bool rotated, bool flipped) {
  if (flipped) {
    const float b = 1.0f - end, e = 1.0f - begin;
    begin = b;
    end = e;
  }
  const auto lerp = [](cv::Point2f a, cv::Point2f b, float f) { return a + (b - a) * f; };
  const auto& [tl, tr, br, bl] = quad;
  if (!rotated) return {lerp(tl, tr, begin), lerp(tl, tr, end), lerp(bl, br, end), lerp(bl, br, begin)};
  // The crop's x axis ran down the quad (TL -> BL) before the turn.
  return {lerp(tl, bl, begin), lerp(tr, br, begin), lerp(tr, br, end), lerp(tl, bl, end)};
}

}  // namespace ocr::image
