// Perspective crop of a quad (PaddleOCR tools/infer/utility.py get_rotate_crop_image, 2.7).
#include "image/crop.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::image {
namespace {

const cv::Vec3b kWhite(255, 255, 255);
const cv::Vec3b kRed(0, 0, 255);   // BGR
const cv::Vec3b kBlue(255, 0, 0);  // BGR

Quad Rect(float x, float y, float w, float h) { return {{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}}; }

// Largest per-channel distance between two colours.
int ColourDistance(const cv::Vec3b& a, const cv::Vec3b& b) {
  int d = 0;
  for (int c = 0; c < 3; ++c) d = std::max(d, std::abs(int(a[c]) - int(b[c])));
  return d;
}

// A white image with an 80x30 bar at (60, 85): red left half, blue right half.
cv::Mat TwoColourBar() {
  cv::Mat image(200, 200, CV_8UC3, cv::Scalar(255, 255, 255));
  image(cv::Rect(60, 85, 40, 30)).setTo(cv::Scalar(0, 0, 255));
  image(cv::Rect(100, 85, 40, 30)).setTo(cv::Scalar(255, 0, 0));
  return image;
}

TEST(CropQuad, AxisAlignedQuadEqualsTheRoi) {
  cv::Mat image(60, 80, CV_8UC3);
  cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(256));
  bool rotated = true;
  const cv::Mat crop = CropQuad(image, Rect(10, 20, 30, 15), 1.5f, &rotated);
  EXPECT_FALSE(rotated);
  ASSERT_EQ(crop.size(), cv::Size(30, 15));
  ASSERT_EQ(crop.type(), CV_8UC3);
  EXPECT_LE(cv::norm(crop, image(cv::Rect(10, 20, 30, 15)), cv::NORM_INF), 1.0);
}

TEST(CropQuad, SizeIsTheTruncatedLongerOfOppositeSides) {
  cv::Mat image(50, 50, CV_8UC3, cv::Scalar::all(0));
  // Top 10.9 wide, bottom 12.5 wide; left 7.9 tall, right 9.5 tall (a trapezoid).
  const Quad quad = {{{5.0f, 5.0f}, {15.9f, 5.0f}, {17.5f, 14.5f}, {5.0f, 12.9f}}};
  const cv::Mat crop = CropQuad(image, quad, 1.5f, nullptr);
  EXPECT_EQ(crop.cols, 12);  // int(max(10.9, 12.5))
  EXPECT_EQ(crop.rows, static_cast<int>(std::hypot(1.6f, 9.5f)));  // right side is the longer: 9.63 -> 9
}

// The bar rotated by `degrees` about the image centre; its transformed corners
// must crop back to an upright bar, red on the left.
void ExpectUprightBar(double degrees) {
  SCOPED_TRACE(degrees);
  const cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(100, 100), degrees, 1.0);
  cv::Mat turned;
  cv::warpAffine(TwoColourBar(), turned, m, cv::Size(200, 200), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(255, 255, 255));
  std::vector<cv::Point2f> corners = {{60, 85}, {140, 85}, {140, 115}, {60, 115}}, moved;
  cv::transform(corners, moved, m);
  const Quad quad = {moved[0], moved[1], moved[2], moved[3]};
  bool rotated = true;
  const cv::Mat crop = CropQuad(turned, quad, 1.5f, &rotated);
  EXPECT_FALSE(rotated);
  EXPECT_NEAR(crop.cols, 80, 1);
  EXPECT_NEAR(crop.rows, 30, 1);
  const int mid = crop.rows / 2;
  EXPECT_LE(ColourDistance(crop.at<cv::Vec3b>(mid, crop.cols / 4), kRed), 8);
  EXPECT_LE(ColourDistance(crop.at<cv::Vec3b>(mid, 3 * crop.cols / 4), kBlue), 8);
}

TEST(CropQuad, RotatedQuadGivesAnUprightCrop) {
  for (double degrees : {0.0, 17.0, 30.0, -45.0, 80.0, 170.0}) ExpectUprightBar(degrees);
}

TEST(CropQuad, TallCropIsRotatedCounterClockwise) {
  // A 20x60 bar: red top half, blue bottom half. After a counter-clockwise
  // quarter turn the top is on the left.
  cv::Mat image(100, 100, CV_8UC3, cv::Scalar(255, 255, 255));
  image(cv::Rect(40, 20, 20, 30)).setTo(cv::Scalar(0, 0, 255));
  image(cv::Rect(40, 50, 20, 30)).setTo(cv::Scalar(255, 0, 0));
  bool rotated = false;
  const cv::Mat crop = CropQuad(image, Rect(40, 20, 20, 60), 1.5f, &rotated);
  EXPECT_TRUE(rotated);
  ASSERT_EQ(crop.size(), cv::Size(60, 20));
  EXPECT_EQ(crop.at<cv::Vec3b>(10, 5), kRed);
  EXPECT_EQ(crop.at<cv::Vec3b>(10, 55), kBlue);
}

TEST(CropQuad, RotationThresholdIsInclusive) {
  cv::Mat image(100, 100, CV_8UC3, cv::Scalar::all(0));
  bool rotated = false;
  EXPECT_EQ(CropQuad(image, Rect(0, 0, 20, 30), 1.5f, &rotated).size(), cv::Size(30, 20));  // 30/20 = 1.5
  EXPECT_TRUE(rotated);
  EXPECT_EQ(CropQuad(image, Rect(0, 0, 20, 29), 1.5f, &rotated).size(), cv::Size(20, 29));  // 1.45
  EXPECT_FALSE(rotated);
}

TEST(CropQuad, DegenerateQuadGivesAOnePixelCrop) {
  cv::Mat image(20, 20, CV_8UC3, cv::Scalar(10, 20, 30));
  image.at<cv::Vec3b>(5, 7) = cv::Vec3b(1, 2, 3);
  const cv::Point2f p(7, 5);
  bool rotated = true;
  const cv::Mat crop = CropQuad(image, {p, p, p, p}, 1.5f, &rotated);
  EXPECT_FALSE(rotated);
  ASSERT_EQ(crop.size(), cv::Size(1, 1));
  EXPECT_EQ(crop.at<cv::Vec3b>(0, 0), cv::Vec3b(1, 2, 3));  // the pixel under the point
}

TEST(CropQuad, CollinearQuadDoesNotCrash) {
  cv::Mat image(20, 20, CV_8UC3, cv::Scalar(10, 20, 30));
  // A horizontal segment 12 px long: zero height.
  const Quad line = {{{2, 4}, {14, 4}, {14, 4}, {2, 4}}};
  const cv::Mat crop = CropQuad(image, line, 1.5f, nullptr);
  EXPECT_EQ(crop.size(), cv::Size(12, 1));
  EXPECT_EQ(crop.at<cv::Vec3b>(0, 6), cv::Vec3b(10, 20, 30));
  // Three corners equal.
  const Quad corner = {{{5, 5}, {5, 5}, {5, 5}, {9, 9}}};
  EXPECT_NO_THROW(CropQuad(image, corner, 1.5f, nullptr));
}

TEST(CropQuad, QuadOutsideTheImageReplicatesTheBorder) {
  cv::Mat image(20, 30, CV_8UC3, cv::Scalar(0, 0, 0));
  image.col(29).setTo(cv::Scalar(0, 200, 0));  // the right edge is green
  bool rotated = true;
  const cv::Mat far = CropQuad(image, Rect(100, 5, 16, 8), 1.5f, &rotated);
  ASSERT_EQ(far.size(), cv::Size(16, 8));
  EXPECT_FALSE(rotated);
  for (int x = 0; x < far.cols; ++x) EXPECT_EQ(far.at<cv::Vec3b>(4, x), cv::Vec3b(0, 200, 0));
  // Partly outside on the left and top, and a negative-coordinate quad.
  EXPECT_EQ(CropQuad(image, Rect(-10, -5, 20, 10), 1.5f, nullptr).size(), cv::Size(20, 10));
  EXPECT_EQ(CropQuad(image, Rect(-50, -50, 10, 10), 1.5f, nullptr).size(), cv::Size(10, 10));
}

TEST(CropQuad, WorksOnOneChannelImages) {
  cv::Mat image(20, 20, CV_8UC1, cv::Scalar(77));
  const cv::Mat crop = CropQuad(image, Rect(2, 2, 10, 5), 1.5f, nullptr);
  ASSERT_EQ(crop.type(), CV_8UC1);
  EXPECT_EQ(crop.at<uint8_t>(2, 5), 77);
}

TEST(CropQuad, RejectsAnEmptyImageAndNonFiniteQuads) {
  try {
    CropQuad(cv::Mat(), Rect(0, 0, 4, 4), 1.5f, nullptr);
    FAIL() << "expected ocr::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  }
  cv::Mat image(10, 10, CV_8UC3, cv::Scalar::all(0));
  Quad nan_quad = Rect(0, 0, 4, 4);
  nan_quad[2].x = std::nanf("");
  EXPECT_THROW(CropQuad(image, nan_quad, 1.5f, nullptr), Error);
  Quad huge = Rect(0, 0, 4, 4);
  huge[1].x = 1e30f;
  EXPECT_THROW(CropQuad(image, huge, 1.5f, nullptr), Error);
}


TEST(CropSpanToQuad, SpansRunAlongTheReadingDirection) {
  const Quad q{cv::Point2f(10, 20), cv::Point2f(110, 20), cv::Point2f(110, 40), cv::Point2f(10, 40)};
  const Quad half = CropSpanToQuad(q, 0.5f, 1.0f, false, false);
  EXPECT_EQ(half[0], cv::Point2f(60, 20));
  EXPECT_EQ(half[1], cv::Point2f(110, 20));
  EXPECT_EQ(half[2], cv::Point2f(110, 40));
  EXPECT_EQ(half[3], cv::Point2f(60, 40));
  // Flipped by the classifier: the crop's left is the quad's right.
  const Quad flipped = CropSpanToQuad(q, 0.0f, 0.25f, false, true);
  EXPECT_EQ(flipped[0], cv::Point2f(85, 20));
  EXPECT_EQ(flipped[1], cv::Point2f(110, 20));
  // Rotated (a tall crop): the crop's x ran down the quad.
  const Quad tall{cv::Point2f(0, 0), cv::Point2f(20, 0), cv::Point2f(20, 100), cv::Point2f(0, 100)};
  const Quad top = CropSpanToQuad(tall, 0.0f, 0.1f, true, false);
  EXPECT_EQ(top[0], cv::Point2f(0, 0));
  EXPECT_EQ(top[1], cv::Point2f(20, 0));
  EXPECT_EQ(top[2], cv::Point2f(20, 10));
  EXPECT_EQ(top[3], cv::Point2f(0, 10));
}

}  // namespace
}  // namespace ocr::image
