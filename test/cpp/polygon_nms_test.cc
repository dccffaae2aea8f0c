// Polygon IoU and greedy polygon NMS.
#include "detect/polygon_nms.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace ocr::detect {
namespace {

std::vector<cv::Point2f> Rect(float x, float y, float w, float h) {
  return {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
}

TEST(PolygonIou, IdenticalDisjointAndPartialOverlap) {
  EXPECT_DOUBLE_EQ(PolygonIou(Rect(0, 0, 10, 10), Rect(0, 0, 10, 10)), 1.0);
  EXPECT_DOUBLE_EQ(PolygonIou(Rect(0, 0, 10, 10), Rect(20, 0, 10, 10)), 0.0);
  EXPECT_DOUBLE_EQ(PolygonIou(Rect(0, 0, 10, 10), Rect(10, 0, 10, 10)), 0.0);  // touching
  // Half overlap: 50 / 150.
  EXPECT_NEAR(PolygonIou(Rect(0, 0, 10, 10), Rect(5, 0, 10, 10)), 1.0 / 3, 1e-6);
  // Contained: 25 / 100, fractional coordinates.
  EXPECT_NEAR(PolygonIou(Rect(0.5f, 0.5f, 10, 10), Rect(3, 3, 5, 5)), 0.25, 1e-4);
}

TEST(PolygonIou, OrientationDoesNotMatter) {
  auto a = Rect(0, 0, 10, 10);
  auto b = Rect(5, 5, 10, 10);
  const double forward = PolygonIou(a, b);
  std::reverse(b.begin(), b.end());
  EXPECT_NEAR(PolygonIou(a, b), forward, 1e-9);
  EXPECT_NEAR(forward, 25.0 / 175.0, 1e-6);
}

TEST(PolygonIou, NonConvexPolygonsAreExact) {
  // An L (area 300 = 20x20 minus a 10x10 corner) against the missing corner
  // square: no overlap; against the full square: 300 / 400.
  const std::vector<cv::Point2f> l_shape = {{0, 0}, {20, 0}, {20, 10}, {10, 10}, {10, 20}, {0, 20}};
  EXPECT_NEAR(PolygonIou(l_shape, Rect(10, 10, 10, 10)), 0.0, 1e-9);
  EXPECT_NEAR(PolygonIou(l_shape, Rect(0, 0, 20, 20)), 0.75, 1e-9);
}

TEST(PolygonIou, QuadOverloadMatchesVector) {
  const Quad a = {cv::Point2f(0, 0), {10, 0}, {10, 10}, {0, 10}};
  const Quad b = {cv::Point2f(5, 0), {15, 0}, {15, 10}, {5, 10}};
  EXPECT_NEAR(PolygonIou(a, b), 1.0 / 3, 1e-6);
}

TEST(PolygonIou, DegenerateAndNonFiniteGiveZero) {
  EXPECT_EQ(PolygonIou(std::vector<cv::Point2f>{{0, 0}, {1, 1}}, Rect(0, 0, 5, 5)), 0.0);
  EXPECT_EQ(PolygonIou(std::vector<cv::Point2f>{}, std::vector<cv::Point2f>{}), 0.0);
  EXPECT_EQ(PolygonIou(Rect(0, 0, 0, 0), Rect(0, 0, 0, 0)), 0.0);  // zero union
  auto nan = Rect(0, 0, 10, 10);
  nan[2].x = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(PolygonIou(nan, Rect(0, 0, 10, 10)), 0.0);
  auto huge = Rect(0, 0, 10, 10);
  huge[2].x = 1e30f;
  EXPECT_EQ(PolygonIou(huge, Rect(0, 0, 10, 10)), 0.0);
}

TEST(PolygonNms, KeepsBestAndSuppressesOverlapsAboveThreshold) {
  const std::vector<std::vector<cv::Point2f>> polygons = {
      Rect(0, 0, 10, 10), Rect(1, 0, 10, 10), Rect(50, 50, 10, 10), Rect(5, 0, 10, 10)};
  const std::vector<float> scores = {0.5f, 0.9f, 0.7f, 0.6f};
  // IoU(1, 0) = 90/110, IoU(1, 3) = 60/140 ~ 0.43, both above 0.2.
  EXPECT_EQ(PolygonNms(polygons, scores, 0.2f), (std::vector<size_t>{1, 2}));
  // At 0.5 only index 0 is suppressed by index 1; index 3 stays (0.43 <= 0.5).
  EXPECT_EQ(PolygonNms(polygons, scores, 0.5f), (std::vector<size_t>{1, 2, 3}));
  // IoU equal to the threshold is kept (suppression needs IoU > threshold).
  EXPECT_EQ(PolygonNms({Rect(0, 0, 10, 10), Rect(5, 0, 10, 10)}, {1.0f, 0.5f}, 1.0f / 3 + 1e-6f).size(), 2u);
}

TEST(PolygonNms, TiesGoToTheLaterIndexAndNanRanksLast) {
  const std::vector<std::vector<cv::Point2f>> same = {Rect(0, 0, 10, 10), Rect(0, 0, 10, 10)};
  EXPECT_EQ(PolygonNms(same, {0.5f, 0.5f}, 0.1f), (std::vector<size_t>{1}));
  EXPECT_EQ(PolygonNms(same, {std::numeric_limits<float>::quiet_NaN(), 0.1f}, 0.1f),
            (std::vector<size_t>{1}));
  EXPECT_TRUE(PolygonNms({}, {}, 0.1f).empty());
}

TEST(PolygonNms, ACancelledCallStopsWithKAborted) {
  // Disjoint squares: every one is kept, and the token is checked for each.
  std::vector<std::vector<cv::Point2f>> polygons;
  std::vector<float> scores;
  for (int i = 0; i < 50; ++i) {
    polygons.push_back(Rect(20.0f * i, 0, 10, 10));
    scores.push_back(float(i));
  }
  CancelToken open;
  EXPECT_EQ(PolygonNms(polygons, scores, 0.2f, &open).size(), 50u);
  CancelToken cancelled;
  cancelled.Cancel();
  try {
    PolygonNms(polygons, scores, 0.2f, &cancelled);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kAborted);
  }
  EXPECT_TRUE(PolygonNms({}, {}, 0.2f, &cancelled).empty());  // nothing to keep: nothing to stop
}

}  // namespace
}  // namespace ocr::detect
