// Document orientation: classifier input and the rotations between the given page and the upright one.
#include "classify/page_orientation.h"

#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::classify {
namespace {

// A 4x2 upright page whose pixels are numbered 0..7 row by row (in the blue channel).
cv::Mat Numbered() {
  cv::Mat page(2, 4, CV_8UC3);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 4; ++x) page.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(y * 4 + x), 0, 0);
  return page;
}

TEST(RotateUpright, UndoesAClockwiseTurnOfEachAngle) {
  const cv::Mat upright = Numbered();
  const std::pair<int, int> turns[] = {{90, cv::ROTATE_90_CLOCKWISE}, {180, cv::ROTATE_180}, {270, cv::ROTATE_90_COUNTERCLOCKWISE}};
  for (auto [angle, code] : turns) {
    cv::Mat given;
    cv::rotate(upright, given, code);
    const cv::Mat back = RotateUpright(given, angle);
    ASSERT_EQ(back.size(), upright.size()) << angle;
    EXPECT_EQ(cv::norm(back, upright, cv::NORM_INF), 0) << angle;
  }
  EXPECT_EQ(RotateUpright(upright, 0).data, upright.data);  // no copy
  EXPECT_THROW(RotateUpright(upright, 45), Error);
}

TEST(UprightToGiven, PixelCentresFollowTheImageRotation) {
  // The centre of upright pixel (x, y) must land on the centre of the same pixel in the turned image.
  const cv::Mat upright = Numbered();
  const std::pair<int, int> turns[] = {{90, cv::ROTATE_90_CLOCKWISE}, {180, cv::ROTATE_180}, {270, cv::ROTATE_90_COUNTERCLOCKWISE}};
  for (auto [angle, code] : turns) {
    cv::Mat given;
    cv::rotate(upright, given, code);
    for (int y = 0; y < 2; ++y) {
      for (int x = 0; x < 4; ++x) {
        const cv::Point2f p = UprightToGiven(cv::Point2f(x + 0.5f, y + 0.5f), angle, upright.size());
        const cv::Vec3b at = given.at<cv::Vec3b>(int(p.y), int(p.x));
        EXPECT_EQ(at[0], y * 4 + x) << "angle " << angle << " pixel " << x << "," << y;
      }
    }
  }
}

TEST(UprightToGiven, CornersMapToCornersAndQuadOrderIsKept) {
  const cv::Size size(40, 20);
  const Quad q{cv::Point2f(0, 0), cv::Point2f(40, 0), cv::Point2f(40, 20), cv::Point2f(0, 20)};
  const Quad turned = UprightToGiven(q, 90, size);
  EXPECT_EQ(turned[0], cv::Point2f(20, 0));   // the text's top-left is now the page's top-right
  EXPECT_EQ(turned[1], cv::Point2f(20, 40));
  EXPECT_EQ(turned[2], cv::Point2f(0, 40));
  EXPECT_EQ(turned[3], cv::Point2f(0, 0));
  EXPECT_EQ(UprightToGiven(q, 0, size)[2], cv::Point2f(40, 20));
  EXPECT_EQ(UprightToGiven(q, 180, size)[0], cv::Point2f(40, 20));
  EXPECT_EQ(UprightToGiven(q, 270, size)[0], cv::Point2f(0, 40));
}

TEST(PageClsPreprocess, ShortSideThenCentreCropLikePaddleX) {
  // 300 x 600 (w x h): short side 300 -> 256, height 512; the centre 224 x 224 crop (rows 144..368 of 512, i.e.
  // 169..431 of 600) lies inside the white band.
  cv::Mat page(600, 300, CV_8UC3, cv::Scalar(0, 0, 0));
  page(cv::Rect(0, 160, 300, 280)).setTo(cv::Scalar(255, 255, 255));
  PageClsParams p;
  p.mean = {0, 0, 0};
  p.std = {1, 1, 1};
  std::vector<float> out(3 * 224 * 224);
  PageClsPreprocess(page, p, out.data());
  for (float v : out) ASSERT_NEAR(v, 1.0f, 1e-6f);
}

TEST(PageClsPreprocess, StretchRgbAndNormalisation) {
  cv::Mat page(10, 30, CV_8UC3, cv::Scalar(255, 0, 51));  // B G R
  PageClsParams p;
  p.resize = PageClsParams::Resize::kStretch;
  p.size = cv::Size(8, 4);
  std::vector<float> out(3 * 8 * 4);
  PageClsPreprocess(page, p, out.data());
  EXPECT_NEAR(out[0], (0.2f - 0.485f) / 0.229f, 1e-5f);        // R plane first
  EXPECT_NEAR(out[32], (0.0f - 0.456f) / 0.224f, 1e-5f);       // G
  EXPECT_NEAR(out[64 + 31], (1.0f - 0.406f) / 0.225f, 1e-5f);  // B
  EXPECT_THROW(PageClsPreprocess(cv::Mat(), p, out.data()), Error);
}

}  // namespace
}  // namespace ocr::classify
