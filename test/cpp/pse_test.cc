// PSE post-processing on synthetic kernel maps.
#include "detect/pse.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace ocr::detect {
namespace {

// `count` independent h x w maps filled with `value` (probabilities).
std::vector<cv::Mat> Maps(int count, int h, int w, float value = 0.0f) {
  std::vector<cv::Mat> maps;
  for (int i = 0; i < count; ++i) maps.emplace_back(h, w, CV_32FC1, cv::Scalar(value));
  return maps;
}

PseParams Probabilities() {
  PseParams p;
  p.apply_sigmoid = false;
  return p;
}

float MinX(const Quad& q) { return std::min({q[0].x, q[1].x, q[2].x, q[3].x}); }
float MaxX(const Quad& q) { return std::max({q[0].x, q[1].x, q[2].x, q[3].x}); }
float MinY(const Quad& q) { return std::min({q[0].y, q[1].y, q[2].y, q[3].y}); }
float MaxY(const Quad& q) { return std::max({q[0].y, q[1].y, q[2].y, q[3].y}); }

// Regions sorted left to right by their quad's left edge.
std::vector<TextRegion> SortedByX(std::vector<TextRegion> regions) {
  std::sort(regions.begin(), regions.end(),
            [](const TextRegion& a, const TextRegion& b) { return MinX(a.quad) < MinX(b.quad); });
  return regions;
}

ErrorCode CodeOf(const std::vector<cv::Mat>& maps, const PseParams& params, cv::Size dest) {
  try {
    PsePostprocess(maps, params, dest);
  } catch (const ocr::Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no throw";
  return ErrorCode::kBinaryLoad;
}

// Two words side by side: one text blob (x 10..109, y 20..39), two kernels.
std::vector<cv::Mat> TwoTouchingWords() {
  auto maps = Maps(3, 60, 120);
  maps[0](cv::Rect(10, 20, 100, 20)).setTo(0.9f);
  maps[1](cv::Rect(14, 23, 42, 14)).setTo(0.9f);  // x 14..55
  maps[1](cv::Rect(64, 23, 42, 14)).setTo(0.9f);  // x 64..105
  maps[2](cv::Rect(20, 27, 30, 6)).setTo(0.9f);
  maps[2](cv::Rect(70, 27, 30, 6)).setTo(0.9f);
  return maps;
}

TEST(PsePostprocess, TouchingWordsAreSplitByTheirKernels) {
  const auto maps = TwoTouchingWords();
  // The text map alone is one blob.
  EXPECT_EQ(PsePostprocess({maps[0]}, Probabilities(), maps[0].size()).size(), 1u);
  const auto regions = SortedByX(PsePostprocess(maps, Probabilities(), maps[0].size()));
  ASSERT_EQ(regions.size(), 2u);
  // Each covers its half of the blob: the gap between the middle kernels
  // (x 56..63) is shared at its middle.
  EXPECT_EQ(MinX(regions[0].quad), 10);
  EXPECT_NEAR(MaxX(regions[0].quad), 59.5, 1.0);
  EXPECT_NEAR(MinX(regions[1].quad), 59.5, 1.0);
  EXPECT_EQ(MaxX(regions[1].quad), 109);
  for (const auto& r : regions) {
    EXPECT_EQ(MinY(r.quad), 20);
    EXPECT_EQ(MaxY(r.quad), 39);
    EXPECT_NEAR(r.score, 0.9f, 1e-5);
    EXPECT_EQ(r.polygon.size(), 4u);
  }
  // Every text pixel went to exactly one word: the halves do not overlap.
  EXPECT_EQ(MaxX(regions[0].quad) + 1, MinX(regions[1].quad));
}

TEST(PsePostprocess, ExpansionGoesKernelByKernel) {
  // Smallest kernels at x 10..15 and 80..85; the middle kernel of the left
  // word reaches x 55, of the right one starts at x 60. Growing straight
  // through the text mask (mmcv's contour_expand) would split near x 47.
  auto maps = Maps(3, 30, 100);
  maps[0](cv::Rect(0, 5, 100, 20)).setTo(0.9f);
  maps[1](cv::Rect(5, 8, 51, 14)).setTo(0.9f);
  maps[1](cv::Rect(60, 8, 31, 14)).setTo(0.9f);
  maps[2](cv::Rect(10, 12, 6, 6)).setTo(0.9f);
  maps[2](cv::Rect(80, 12, 6, 6)).setTo(0.9f);
  const auto regions = SortedByX(PsePostprocess(maps, Probabilities(), maps[0].size()));
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(MinX(regions[0].quad), 0);
  EXPECT_NEAR(MaxX(regions[0].quad), 57.5, 1.0);
  EXPECT_NEAR(MinX(regions[1].quad), 57.5, 1.0);
  EXPECT_EQ(MaxX(regions[1].quad), 99);
}

TEST(PsePostprocess, KernelOutsideTheTextMaskIsIgnored) {
  auto maps = Maps(2, 40, 80);
  maps[0](cv::Rect(10, 10, 40, 10)).setTo(0.9f);
  maps[1](cv::Rect(20, 12, 10, 6)).setTo(0.9f);
  maps[1](cv::Rect(60, 25, 10, 10)).setTo(0.9f);  // kernel where there is no text
  const auto regions = PsePostprocess(maps, Probabilities(), maps[0].size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(MinX(regions[0].quad), 10);
  EXPECT_EQ(MaxX(regions[0].quad), 49);
}

TEST(PsePostprocess, EmptyAndAllZeroMapsGiveNothing) {
  EXPECT_TRUE(PsePostprocess({cv::Mat(), cv::Mat()}, PseParams{}, {10, 10}).empty());
  EXPECT_TRUE(PsePostprocess(Maps(3, 0, 5), PseParams{}, {10, 10}).empty());
  EXPECT_TRUE(PsePostprocess(Maps(3, 64, 64), Probabilities(), {64, 64}).empty());
  EXPECT_TRUE(PsePostprocess(Maps(3, 64, 64, -20.0f), PseParams{}, {64, 64}).empty());  // logits
  EXPECT_TRUE(PsePostprocess(Maps(1, 1, 1), Probabilities(), {1, 1}).empty());
}

TEST(PsePostprocess, NonFiniteMapsGiveNothing) {
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {inf, -inf, std::numeric_limits<float>::quiet_NaN()}) {
    for (bool sigmoid : {false, true}) {
      PseParams p;
      p.apply_sigmoid = sigmoid;
      p.min_text_area = 0;
      EXPECT_TRUE(PsePostprocess(Maps(3, 40, 60, v), p, {40, 60}).empty()) << v << sigmoid;
      EXPECT_TRUE(PsePostprocess(Maps(2, 1, 1, v), p, {1, 1}).empty()) << v << sigmoid;
    }
  }
}

TEST(PsePostprocess, NonFinitePixelsCountAsBackground) {
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {inf, -inf, std::numeric_limits<float>::quiet_NaN()}) {
    auto maps = Maps(2, 40, 80);
    maps[0](cv::Rect(10, 10, 50, 10)).setTo(1.0f);
    maps[1](cv::Rect(15, 12, 40, 6)).setTo(1.0f);
    maps[0](cv::Rect(59, 10, 1, 10)).setTo(v);  // the last column of text
    maps[0].at<float>(0, 0) = v;
    maps[1].at<float>(0, 0) = v;
    const auto regions = PsePostprocess(maps, Probabilities(), maps[0].size());
    ASSERT_EQ(regions.size(), 1u) << v;
    EXPECT_EQ(MaxX(regions[0].quad), 58) << v;
    EXPECT_FLOAT_EQ(regions[0].score, 1.0f) << v;
  }
}

TEST(PsePostprocess, SinglePixelIsDroppedByMinTextArea) {
  auto maps = Maps(2, 20, 20);
  maps[0].at<float>(10, 10) = 0.9f;
  maps[1].at<float>(10, 10) = 0.9f;
  EXPECT_TRUE(PsePostprocess(maps, Probabilities(), {20, 20}).empty());
  PseParams any = Probabilities();
  any.min_text_area = 1;
  const auto regions = PsePostprocess(maps, any, {20, 20});
  ASSERT_EQ(regions.size(), 1u);
  for (const auto& p : regions[0].quad) EXPECT_EQ(p, cv::Point2f(10, 10));
  // A polygon needs 4 outline points: a single pixel has none to give.
  any.box_type = BoxType::kPolygon;
  EXPECT_TRUE(PsePostprocess(maps, any, {20, 20}).empty());
}

TEST(PsePostprocess, EitherSmallOrLowScoringIsDropped) {
  // MMOCR 1.x would keep both: one is large, the other confident.
  auto maps = Maps(2, 40, 80);
  maps[0](cv::Rect(5, 5, 40, 10)).setTo(0.7f);  // large, mean 0.7
  maps[1](cv::Rect(10, 7, 30, 6)).setTo(0.9f);
  maps[0](cv::Rect(60, 30, 3, 3)).setTo(0.99f);  // confident, 9 pixels
  maps[1](cv::Rect(60, 30, 3, 3)).setTo(0.99f);
  PseParams paddle = Probabilities();
  paddle.score_threshold = 0.85f;
  EXPECT_TRUE(PsePostprocess(maps, paddle, maps[0].size()).empty());
  paddle.score_threshold = 0.7f;  // a score equal to the threshold is kept
  const auto regions = PsePostprocess(maps, paddle, maps[0].size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_FLOAT_EQ(regions[0].score, 0.7f);
  paddle.min_text_area = 9;
  EXPECT_EQ(PsePostprocess(maps, paddle, maps[0].size()).size(), 2u);
}

TEST(PsePostprocess, SmallKernelsSeedNothing) {
  auto maps = Maps(2, 40, 100);
  maps[0](cv::Rect(5, 10, 90, 20)).setTo(0.9f);
  maps[1](cv::Rect(10, 15, 30, 10)).setTo(0.9f);  // 300 pixels
  maps[1](cv::Rect(70, 18, 2, 2)).setTo(0.9f);    // 4 pixels
  EXPECT_EQ(PsePostprocess(maps, Probabilities(), maps[0].size()).size(), 2u);
  PseParams paddle = Probabilities();
  paddle.min_kernel_area = 16;
  const auto regions = PsePostprocess(maps, paddle, maps[0].size());
  ASSERT_EQ(regions.size(), 1u);  // the big kernel takes the whole blob
  EXPECT_EQ(MinX(regions[0].quad), 5);
  EXPECT_EQ(MaxX(regions[0].quad), 94);
}

TEST(PsePostprocess, RegionTouchingTheBorderIsClampedInsideTheImage) {
  auto maps = Maps(2, 50, 100);
  maps[0](cv::Rect(0, 0, 40, 12)).setTo(0.9f);
  maps[1](cv::Rect(0, 0, 30, 8)).setTo(0.9f);
  maps[0](cv::Rect(70, 40, 30, 10)).setTo(0.9f);
  maps[1](cv::Rect(75, 43, 25, 7)).setTo(0.9f);
  for (BoxType type : {BoxType::kQuad, BoxType::kPolygon}) {
    PseParams p = Probabilities();
    p.box_type = type;
    const auto regions = SortedByX(PsePostprocess(maps, p, {400, 200}));
    ASSERT_EQ(regions.size(), 2u);
    EXPECT_EQ(regions[0].quad[0], cv::Point2f(0, 0));
    EXPECT_EQ(regions[1].quad[2], cv::Point2f(396, 196));
    for (const auto& r : regions) {
      for (const auto& pt : r.polygon) {
        EXPECT_GE(pt.x, 0); EXPECT_LE(pt.x, 399);
        EXPECT_GE(pt.y, 0); EXPECT_LE(pt.y, 199);
      }
    }
    // Exactly at the map's far corner: x 99 -> 396; a 1:1 map stays inside.
    const auto same = SortedByX(PsePostprocess(maps, p, maps[0].size()));
    ASSERT_EQ(same.size(), 2u);
    EXPECT_EQ(same[1].quad[2], cv::Point2f(99, 49));
    // Halving: x 99 -> 49.5 rounds to 50, clamped to 49; y 49 -> 24.5 -> 24 (half to even).
    const auto half = SortedByX(PsePostprocess(maps, p, {50, 25}));
    ASSERT_EQ(half.size(), 2u);
    EXPECT_EQ(half[1].quad[2], cv::Point2f(49, 24));
  }
}

TEST(PsePostprocess, ScalesToAFourTimesLargerImage) {
  auto maps = Maps(2, 50, 100);
  maps[0](cv::Rect(10, 20, 50, 10)).setTo(0.9f);  // x 10..59, y 20..29
  maps[1](cv::Rect(15, 22, 40, 6)).setTo(0.9f);
  const auto regions = PsePostprocess(maps, Probabilities(), {400, 200});
  ASSERT_EQ(regions.size(), 1u);
  const Quad want = {cv::Point2f(40, 80), cv::Point2f(236, 80), cv::Point2f(236, 116),
                     cv::Point2f(40, 116)};
  EXPECT_EQ(regions[0].quad, want);
  // Per axis: a 4 x 2 destination.
  const auto wide = PsePostprocess(maps, Probabilities(), {400, 100});
  ASSERT_EQ(wide.size(), 1u);
  EXPECT_EQ(wide[0].quad[2], cv::Point2f(236, 58));
}

TEST(PsePostprocess, LogitsWithSigmoidMatchProbabilities) {
  auto logits = Maps(2, 40, 80, -8.0f);
  logits[0](cv::Rect(10, 10, 50, 15)).setTo(3.0f);
  logits[1](cv::Rect(20, 14, 30, 7)).setTo(2.0f);
  logits[0](cv::Rect(10, 30, 50, 5)).setTo(0.3f);  // sigmoid 0.574 > 0.5; 0.3 itself is not
  logits[1](cv::Rect(20, 31, 30, 3)).setTo(0.3f);
  auto by_y = PsePostprocess(logits, PseParams{}, logits[0].size());
  ASSERT_EQ(by_y.size(), 2u);
  std::sort(by_y.begin(), by_y.end(),
            [](const TextRegion& a, const TextRegion& b) { return MinY(a.quad) < MinY(b.quad); });
  EXPECT_NEAR(by_y[0].score, 1.0f / (1.0f + std::exp(-3.0f)), 1e-5);
  EXPECT_NEAR(by_y[1].score, 1.0f / (1.0f + std::exp(-0.3f)), 1e-5);
  EXPECT_EQ(MinY(by_y[0].quad), 10);
  EXPECT_EQ(MaxY(by_y[0].quad), 24);
  // The same numbers read as probabilities: only the 3.0 blob passes 0.5.
  const auto raw = PsePostprocess(logits, Probabilities(), logits[0].size());
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_FLOAT_EQ(raw[0].score, 3.0f);
}

TEST(PsePostprocess, PolygonModeFollowsTheInstanceOutline) {
  auto maps = Maps(2, 60, 80);
  // An L: a horizontal bar and a vertical bar.
  maps[0](cv::Rect(10, 10, 50, 10)).setTo(0.9f);
  maps[0](cv::Rect(10, 20, 10, 30)).setTo(0.9f);
  maps[1](cv::Rect(12, 12, 40, 6)).setTo(0.9f);
  PseParams poly = Probabilities();
  poly.box_type = BoxType::kPolygon;
  const auto regions = PsePostprocess(maps, poly, maps[0].size());
  ASSERT_EQ(regions.size(), 1u);
  const auto& polygon = regions[0].polygon;
  // The L's corners; the inner corner is a one-pixel diagonal step.
  EXPECT_EQ(polygon.size(), 7u);
  EXPECT_GT(cv::pointPolygonTest(polygon, cv::Point2f(14, 40), false), 0);  // in the foot
  EXPECT_LT(cv::pointPolygonTest(polygon, cv::Point2f(40, 40), false), 0);  // outside the L
  // Through the pixel centres: bar 49 x 9, foot 9 x 30, the step's half pixel.
  EXPECT_NEAR(cv::contourArea(polygon), 49 * 9 + 9 * 30 + 0.5, 1e-3);
  // The quad is still the min-area quad of the whole L.
  EXPECT_EQ(MinX(regions[0].quad), 10);
  EXPECT_EQ(MaxY(regions[0].quad), 49);
}

TEST(PsePostprocess, PolygonEpsilonSimplifiesCurvedOutlines) {
  auto maps = Maps(2, 300, 400);
  cv::ellipse(maps[0], {200, 300}, {150, 150}, 0, 200, 340, cv::Scalar(0.9f), 24);
  cv::ellipse(maps[1], {200, 300}, {150, 150}, 0, 200, 340, cv::Scalar(0.9f), 10);
  PseParams poly = Probabilities();
  poly.box_type = BoxType::kPolygon;
  const auto raw = PsePostprocess(maps, poly, maps[0].size());
  poly.epsilon_ratio = 0.01f;
  const auto simple = PsePostprocess(maps, poly, maps[0].size());
  ASSERT_EQ(raw.size(), 1u);
  ASSERT_EQ(simple.size(), 1u);
  EXPECT_GE(simple[0].polygon.size(), 4u);
  EXPECT_LT(simple[0].polygon.size(), raw[0].polygon.size());
  EXPECT_GE(cv::pointPolygonTest(simple[0].polygon, cv::Point2f(200, 152), false), 0);
}

TEST(PsePostprocess, MapViewsNeedNoCopy) {
  // Two planes of one "NCHW" buffer, seen through non-continuous column views.
  cv::Mat planes(80, 120, CV_32FC1, cv::Scalar(0.0f));
  planes(cv::Rect(20, 10, 60, 15)).setTo(0.9f);
  planes(cv::Rect(30, 54, 40, 7)).setTo(0.9f);
  const std::vector<cv::Mat> maps = {planes(cv::Rect(10, 0, 100, 40)), planes(cv::Rect(10, 40, 100, 40))};
  ASSERT_FALSE(maps[0].isContinuous());
  const auto regions = PsePostprocess(maps, Probabilities(), maps[0].size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(MinX(regions[0].quad), 10);
  EXPECT_EQ(MaxX(regions[0].quad), 69);
}

TEST(PsePostprocess, MapsThatAreNotANetworkOutputAreInternalErrors) {
  EXPECT_EQ(CodeOf({}, PseParams{}, {8, 8}), ErrorCode::kInternal);
  EXPECT_EQ(CodeOf({cv::Mat(8, 8, CV_64FC1, cv::Scalar(0.5))}, PseParams{}, {8, 8}), ErrorCode::kInternal);
  auto mixed = Maps(2, 8, 8);
  mixed[1] = cv::Mat(8, 8, CV_8UC1, cv::Scalar(0));
  EXPECT_EQ(CodeOf(mixed, PseParams{}, {8, 8}), ErrorCode::kInternal);
  auto sizes = Maps(3, 8, 8);
  sizes[2] = cv::Mat(8, 9, CV_32FC1, cv::Scalar(0));
  EXPECT_EQ(CodeOf(sizes, PseParams{}, {8, 8}), ErrorCode::kInternal);
  EXPECT_EQ(CodeOf({cv::Mat(), Maps(1, 4, 4)[0]}, PseParams{}, {8, 8}), ErrorCode::kInternal);
}

TEST(PsePostprocess, InvalidParamsAreInvalidOptions) {
  const auto maps = Maps(2, 8, 8);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  PseParams p;
  p.min_kernel_confidence = nan;
  EXPECT_EQ(CodeOf(maps, p, {8, 8}), ErrorCode::kInvalidOption);
  p = PseParams{};
  p.score_threshold = inf;
  EXPECT_EQ(CodeOf(maps, p, {8, 8}), ErrorCode::kInvalidOption);
  p = PseParams{};
  p.min_kernel_area = -1;
  EXPECT_EQ(CodeOf(maps, p, {8, 8}), ErrorCode::kInvalidOption);
  p = PseParams{};
  p.min_text_area = -1;
  EXPECT_EQ(CodeOf(maps, p, {8, 8}), ErrorCode::kInvalidOption);
  p = PseParams{};
  p.epsilon_ratio = -0.01f;
  EXPECT_EQ(CodeOf(maps, p, {8, 8}), ErrorCode::kInvalidOption);
  p.epsilon_ratio = nan;
  EXPECT_EQ(CodeOf(maps, p, {8, 8}), ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, PseParams{}, {0, 8}), ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, PseParams{}, {8, -1}), ErrorCode::kInvalidOption);
  // Options are checked even when the map is empty; the message names the option.
  p = PseParams{};
  p.min_text_area = -5;
  try {
    PsePostprocess({cv::Mat()}, p, {8, 8});
    FAIL() << "no throw";
  } catch (const ocr::Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidOption);
    EXPECT_NE(std::string(e.what()).find("min_text_area"), std::string::npos) << e.what();
  }
  PseParams zeros;
  zeros.min_kernel_area = 0;
  zeros.min_text_area = 0;
  zeros.epsilon_ratio = 0;
  EXPECT_NO_THROW(PsePostprocess(maps, zeros, {8, 8}));
}

}  // namespace
}  // namespace ocr::detect
