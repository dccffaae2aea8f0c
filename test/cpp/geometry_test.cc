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

TEST(LengthenQuad, MovesBothEndsAlongTheLongSide) {
  // A 100 x 20 horizontal quad: each end moves by 0.5 x 20 = 10 px along x.
  const Quad wide{{{10, 20}, {110, 20}, {110, 40}, {10, 40}}};
  EXPECT_EQ(LengthenQuad(wide, 0.5f), (Quad{{{0, 20}, {120, 20}, {120, 40}, {0, 40}}}));
  // A tall quad (a vertical line): its ends are the top and bottom sides.
  const Quad tall{{{10, 10}, {30, 10}, {30, 110}, {10, 110}}};
  EXPECT_EQ(LengthenQuad(tall, 0.25f), (Quad{{{10, 5}, {30, 5}, {30, 115}, {10, 115}}}));
}

TEST(LengthenQuad, KeepsTheDirectionOfARotatedQuad) {
  float short_side = 0;
  const Quad q = MinAreaQuad(Rotated({200, 150}, {160, 30}, 15.0f), &short_side);
  const Quad l = LengthenQuad(q, 1.0f);
  const auto len = [](cv::Point2f v) { return std::hypot(v.x, v.y); };
  EXPECT_NEAR(len(l[1] - l[0]), len(q[1] - q[0]) + 2 * short_side, 1e-3);
  EXPECT_NEAR(len(l[3] - l[0]), len(q[3] - q[0]), 1e-3);
  EXPECT_NEAR(SignedArea(l), SignedArea(q) * (160 + 2 * 30) / 160.0, 1.0);
  // The new corners lie on the lines of the old long sides.
  const cv::Point2f along = q[1] - q[0];
  EXPECT_NEAR((l[0] - q[0]).cross(along), 0.0f, 1e-2);
  EXPECT_NEAR((l[2] - q[2]).cross(along), 0.0f, 1e-2);
}

TEST(LengthenQuad, ZeroRatioOrDegenerateQuadIsUnchanged) {
  const Quad q{{{1, 2}, {50, 2}, {50, 12}, {1, 12}}};
  EXPECT_EQ(LengthenQuad(q, 0.0f), q);
  const Quad line{{{1, 2}, {50, 2}, {50, 2}, {1, 2}}};  // zero height
  EXPECT_EQ(LengthenQuad(line, 0.5f), line);
  const Quad point{};
  EXPECT_EQ(LengthenQuad(point, 0.5f), point);
}

TEST(ScaleAndClamp, ScalesPerAxisRoundsAndClamps) {
  std::vector<cv::Point2f> pts{{0, 0}, {50, 25}, {100, 50}, {-5, 200}};
  ScaleAndClamp(pts, {100, 50}, {400, 100});
  EXPECT_EQ(pts[0], cv::Point2f(0, 0));
  EXPECT_EQ(pts[1], cv::Point2f(200, 50));
  EXPECT_EQ(pts[2], cv::Point2f(399, 99));  // clamped to the last pixel
  EXPECT_EQ(pts[3], cv::Point2f(0, 99));
}

TEST(MinAreaQuad, IntegerContourMatchesFloatPoints) {
  const std::vector<cv::Point> contour{{3, 4}, {40, 9}, {38, 25}, {1, 20}};
  float a = 0, b = 0;
  const Quad qi = MinAreaQuad(contour, &a);
  const Quad qf = MinAreaQuad(std::vector<cv::Point2f>(contour.begin(), contour.end()), &b);
  EXPECT_EQ(a, b);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(qi[k], qf[k]);
  EXPECT_GT(SignedArea(qi), 0);
}

TEST(MinAreaQuad, FortyFiveDegreesStartsAtTheUpperLeftPoint) {
  // At 45 degrees the left pair is the leftmost corner and one neighbour;
  // PaddleOCR takes the upper of the two as TL.
  float short_side = 0;
  const Quad q = MinAreaQuad(Rotated({100, 100}, {80, 20}, 45), &short_side);
  EXPECT_NEAR(short_side, 20, 0.01);
  EXPECT_GT(SignedArea(q), 0);
  EXPECT_LE(std::max(q[0].x, q[3].x), std::min(q[1].x, q[2].x) + 1e-3);
  EXPECT_LT(q[0].y, q[3].y);
}

TEST(MinAreaQuad, EmptyAndDegenerateInputs) {
  float short_side = -1;
  const Quad q = MinAreaQuad(std::vector<cv::Point2f>{}, &short_side);
  EXPECT_EQ(short_side, 0);
  for (const auto& p : q) EXPECT_EQ(p, cv::Point2f(0, 0));
  MinAreaQuad(std::vector<cv::Point>{{5, 5}}, &short_side);
  EXPECT_EQ(short_side, 0);
  MinAreaQuad(std::vector<cv::Point>{{5, 5}, {9, 5}}, &short_side);
  EXPECT_EQ(short_side, 0);
  EXPECT_NO_THROW(MinAreaQuad(std::vector<cv::Point>{{5, 5}}, nullptr));
}

TEST(Unclip, TruncatesPointsTowardZeroLikePyclipper) {
  // pyclipper turns 0.9 -> 0, 10.7 -> 10, -0.7 -> 0 (not -1): a tiny offset
  // shows the truncated polygon.
  const auto out = Unclip({{0.9f, 0.9f}, {10.7f, 0.2f}, {10.99f, 5.6f}, {-0.7f, 5.5f}}, 1e-5f);
  ASSERT_EQ(out.size(), 1u);
  float short_side = 0;
  const Quad q = MinAreaQuad(out[0], &short_side);
  EXPECT_NEAR(q[0].x, 0, 1e-4); EXPECT_NEAR(q[0].y, 0, 1e-4);
  EXPECT_NEAR(q[2].x, 10, 1e-4); EXPECT_NEAR(q[2].y, 5, 1e-4);
}

TEST(PolygonMeanScore, IntegerPolygonEqualsFloatPolygon) {
  cv::Mat prob(40, 40, CV_32FC1);
  cv::randu(prob, 0.0f, 1.0f);
  const std::vector<cv::Point> poly{{3, 2}, {30, 5}, {35, 30}, {10, 36}, {2, 20}};
  EXPECT_EQ(PolygonMeanScore(prob, poly),
            PolygonMeanScore(prob, std::vector<cv::Point2f>(poly.begin(), poly.end())));
}

TEST(ScaleAndClamp, RoundsHalfToEvenLikeNumpy) {
  std::vector<cv::Point2f> pts{{0.5f, 1.5f}, {2.5f, 3.5f}};
  ScaleAndClamp(pts, {10, 10}, {10, 10});
  EXPECT_EQ(pts[0], cv::Point2f(0, 2));
  EXPECT_EQ(pts[1], cv::Point2f(2, 4));
}


TEST(ProbabilityAbove, MatchesThresholdingFiniteProbabilityInsideTheMask) {
  // Logits and probabilities, with NaN and +-Inf, thresholds near and far from the values.
  cv::Mat map(7, 9, CV_32FC1);
  const float specials[] = {NAN, INFINITY, -INFINITY, 0.0f, 1e-8f, -1e-8f, 40.0f, -40.0f};
  for (int i = 0; i < map.rows * map.cols; ++i) {
    map.at<float>(i) = i < 8 ? specials[i] : std::sin(i * 0.7f) * (i % 3 == 0 ? 8.0f : 1.2f);
  }
  cv::Mat within = cv::Mat::zeros(map.size(), CV_8UC1);
  within(cv::Rect(1, 0, 7, 6)).setTo(1);
  for (bool sigmoid : {false, true}) {
    for (float threshold : {0.0f, 0.0005f, 0.3f, 0.5f, 0.7f, 0.9995f, 1.0f}) {
      const cv::Mat fast = ProbabilityAbove(map, sigmoid, threshold, within);
      const cv::Mat probability = FiniteProbability(map, sigmoid);
      ASSERT_EQ(fast.type(), CV_8UC1);
      for (int i = 0; i < map.rows * map.cols; ++i) {
        const bool want = within.at<uchar>(i) != 0 && probability.at<float>(i) > threshold;
        EXPECT_EQ(fast.at<uchar>(i), want ? 255 : 0) << "pixel " << i << " sigmoid " << sigmoid << " t " << threshold;
      }
    }
  }
}

}  // namespace
}  // namespace ocr::detect
