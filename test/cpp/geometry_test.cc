// Geometry primitives of detection post-processing.
#include "detect/geometry.h"

#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace ocr::detect {
namespace {

std::vector<cv::Point2f> Rect(float x, float y, float w, float h) {
  return {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
}

std::vector<cv::Point2f> Rotated(cv::Point2f center, cv::Size2f size, float degrees) {
  cv::Point2f pts[4];
  cv::RotatedRect(center, size, degrees).points(pts);
  return {pts, pts + 4};
}

double SignedArea(const Quad& q) {
  double s = 0;
  for (int i = 0; i < 4; ++i) s += double(q[i].x) * q[(i + 1) % 4].y - double(q[(i + 1) % 4].x) * q[i].y;
  return s / 2;
}

TEST(MinAreaQuad, HorizontalRectangleIsOrderedTlTrBrBl) {
  float short_side = 0;
  const Quad q = MinAreaQuad(Rect(10, 20, 100, 30), &short_side);
  EXPECT_FLOAT_EQ(short_side, 30);
  EXPECT_NEAR(q[0].x, 10, 1e-3); EXPECT_NEAR(q[0].y, 20, 1e-3);
  EXPECT_NEAR(q[1].x, 110, 1e-3); EXPECT_NEAR(q[1].y, 20, 1e-3);
  EXPECT_NEAR(q[2].x, 110, 1e-3); EXPECT_NEAR(q[2].y, 50, 1e-3);
  EXPECT_NEAR(q[3].x, 10, 1e-3); EXPECT_NEAR(q[3].y, 50, 1e-3);
}

TEST(MinAreaQuad, VerticalRectangleIsOrderedTlTrBrBl) {
  float short_side = 0;
  const Quad q = MinAreaQuad(Rect(5, 5, 20, 200), &short_side);
  EXPECT_FLOAT_EQ(short_side, 20);
  EXPECT_NEAR(q[0].x, 5, 1e-3); EXPECT_NEAR(q[0].y, 5, 1e-3);
  EXPECT_NEAR(q[2].x, 25, 1e-3); EXPECT_NEAR(q[2].y, 205, 1e-3);
}

TEST(MinAreaQuad, RotatedRectanglesRunClockwise) {
  for (float angle : {-80.f, -45.f, -30.f, -10.f, -1.f, 0.5f, 10.f, 30.f, 45.f, 80.f}) {
    float short_side = 0;
    const Quad q = MinAreaQuad(Rotated({200, 200}, {160, 40}, angle), &short_side);
    EXPECT_NEAR(short_side, 40, 0.01) << angle;
    EXPECT_GT(SignedArea(q), 0) << "clockwise on screen (y down) at " << angle;
    EXPECT_LE(q[0].x, q[1].x + 1e-3) << angle;
    EXPECT_LE(q[0].y, q[3].y + 1e-3) << angle;
  }
}

TEST(MinAreaQuad, NearlyHorizontalKeepsTheLeftPairOnTheLeft) {
  float short_side = 0;
  const Quad q = MinAreaQuad(Rotated({100, 50}, {150, 20}, 2.0f), &short_side);
  EXPECT_LT(q[0].x, 50);
  EXPECT_LT(q[3].x, 50);
  EXPECT_GT(q[1].x, 150);
  EXPECT_GT(q[2].x, 150);
  EXPECT_LT(q[0].y, q[3].y);
}

TEST(Unclip, RectangleGrowsByAreaTimesRatioOverPerimeter) {
  // 100 x 20: distance = 2000 * 1.5 / 240 = 12.5 on every side, round corners.
  const auto out = Unclip(Rect(100, 100, 100, 20), 1.5f);
  ASSERT_EQ(out.size(), 1u);
  float short_side = 0;
  MinAreaQuad(out[0], &short_side);
  EXPECT_NEAR(short_side, 20 + 2 * 12.5, 1.0);
  const double area = cv::contourArea(out[0]);
  const double expected = 100 * 20 + 2 * 12.5 * (100 + 20) + M_PI * 12.5 * 12.5;
  EXPECT_NEAR(area, expected, expected * 0.01);
}

TEST(Unclip, DegeneratePolygonsGiveNothing) {
  EXPECT_TRUE(Unclip({}, 1.5f).empty());
  EXPECT_TRUE(Unclip({{1, 1}, {2, 2}}, 1.5f).empty());
  EXPECT_TRUE(Unclip({{1, 1}, {1, 1}, {1, 1}, {1, 1}}, 1.5f).empty());
}

TEST(PolygonMeanScore, MeanInsideTheFilledQuad) {
  cv::Mat prob(50, 80, CV_32FC1, cv::Scalar(0.0f));
  prob(cv::Rect(10, 10, 40, 20)).setTo(1.0f);
  EXPECT_NEAR(PolygonMeanScore(prob, Rect(10, 10, 39, 19)), 1.0f, 1e-6);
  // Half inside, half outside.
  const float half = PolygonMeanScore(prob, Rect(30, 10, 39, 19));
  EXPECT_GT(half, 0.4f);
  EXPECT_LT(half, 0.6f);
  // A quad partly outside the map is clipped to it.
  EXPECT_NEAR(PolygonMeanScore(prob, Rect(-20, -20, 200, 200)), 800.0f / (50 * 80), 1e-3);
  EXPECT_EQ(PolygonMeanScore(prob, std::vector<cv::Point2f>{}), 0.0f);
}

TEST(ScaleAndClamp, ScalesPerAxisRoundsAndClamps) {
  std::vector<cv::Point2f> pts{{0, 0}, {50, 25}, {100, 50}, {-5, 200}};
  ScaleAndClamp(pts, {100, 50}, {400, 100});
  EXPECT_EQ(pts[0], cv::Point2f(0, 0));
  EXPECT_EQ(pts[1], cv::Point2f(200, 50));
  EXPECT_EQ(pts[2], cv::Point2f(399, 99));  // clamped to the last pixel
  EXPECT_EQ(pts[3], cv::Point2f(0, 99));
}

}  // namespace
}  // namespace ocr::detect
