// PAN post-processing on synthetic text, kernel and embedding maps.
#include "detect/pan.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace ocr::detect {
namespace {

// Text, kernel and `dims` embedding maps of h x w, all 0.
std::vector<cv::Mat> Maps(int h, int w, int dims = 4) {
  std::vector<cv::Mat> maps;
  for (int i = 0; i < 2 + dims; ++i) maps.emplace_back(h, w, CV_32FC1, cv::Scalar(0.0f));
  return maps;
}

// Sets every embedding channel to `value` inside `rect`.
void SetEmbedding(std::vector<cv::Mat>& maps, cv::Rect rect, float value) {
  for (size_t i = 2; i < maps.size(); ++i) maps[i](rect).setTo(value);
}

PanParams Probabilities() {
  PanParams p;
  p.apply_sigmoid = false;
  return p;
}

float MinX(const Quad& q) { return std::min({q[0].x, q[1].x, q[2].x, q[3].x}); }
float MaxX(const Quad& q) { return std::max({q[0].x, q[1].x, q[2].x, q[3].x}); }
float MinY(const Quad& q) { return std::min({q[0].y, q[1].y, q[2].y, q[3].y}); }
float MaxY(const Quad& q) { return std::max({q[0].y, q[1].y, q[2].y, q[3].y}); }

std::vector<TextRegion> SortedByX(std::vector<TextRegion> regions) {
  std::sort(regions.begin(), regions.end(),
            [](const TextRegion& a, const TextRegion& b) { return MinX(a.quad) < MinX(b.quad); });
  return regions;
}

ErrorCode CodeOf(const std::vector<cv::Mat>& maps, const PanParams& params, cv::Size dest) {
  try {
    PanPostprocess(maps, params, dest);
  } catch (const ocr::Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no throw";
  return ErrorCode::kBinaryLoad;
}

// One text blob (x 10..109, y 20..39) with two kernels (x 20..40 and 70..95);
// the embedding is 0 left of x = 60 and `right` from x = 60 on.
std::vector<cv::Mat> TwoWordsOneBlob(float right) {
  auto maps = Maps(60, 120);
  maps[0](cv::Rect(10, 20, 100, 20)).setTo(0.9f);
  maps[1](cv::Rect(20, 25, 21, 10)).setTo(0.9f);
  maps[1](cv::Rect(70, 25, 26, 10)).setTo(0.9f);
  SetEmbedding(maps, cv::Rect(60, 0, 60, 60), right);
  return maps;
}

TEST(PanPostprocess, PixelsJoinTheKernelWithTheSimilarEmbedding) {
  const auto regions = SortedByX(PanPostprocess(TwoWordsOneBlob(5.0f), Probabilities(), {120, 60}));
  ASSERT_EQ(regions.size(), 2u);
  // The split follows the embedding (x 59 | 60), not the kernels' midpoint (x 55).
  EXPECT_EQ(MinX(regions[0].quad), 10);
  EXPECT_EQ(MaxX(regions[0].quad), 59);
  EXPECT_EQ(MinX(regions[1].quad), 60);
  EXPECT_EQ(MaxX(regions[1].quad), 109);
  for (const auto& r : regions) {
    EXPECT_EQ(MinY(r.quad), 20);
    EXPECT_EQ(MaxY(r.quad), 39);
    EXPECT_NEAR(r.score, 0.9f, 1e-5);
    EXPECT_EQ(r.polygon.size(), 4u);
  }
  // With one embedding everywhere, the kernels split the gap between them.
  const auto alike = SortedByX(PanPostprocess(TwoWordsOneBlob(0.0f), Probabilities(), {120, 60}));
  ASSERT_EQ(alike.size(), 2u);
  EXPECT_NEAR(MaxX(alike[0].quad), 55, 1.0);
  EXPECT_EQ(MaxX(alike[0].quad) + 1, MinX(alike[1].quad));
}

TEST(PanPostprocess, TextFarFromEveryKernelIsNotAssigned) {
  auto maps = Maps(40, 120);
  maps[0](cv::Rect(10, 10, 90, 20)).setTo(0.9f);  // x 10..99
  maps[1](cv::Rect(20, 15, 21, 10)).setTo(0.9f);
  SetEmbedding(maps, cv::Rect(70, 0, 20, 40), 10.0f);  // x 70..89: far from the kernel's 0
  // x 90..99 is close again, but only reachable through the far pixels.
  maps[0](cv::Rect(105, 5, 10, 10)).setTo(0.9f);  // text without a kernel
  const auto regions = PanPostprocess(maps, Probabilities(), maps[0].size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(MinX(regions[0].quad), 10);
  EXPECT_EQ(MaxX(regions[0].quad), 69);
}

TEST(PanPostprocess, DistanceThresholdIsStrict) {
  auto maps = Maps(30, 60, 1);
  maps[0](cv::Rect(5, 5, 50, 20)).setTo(0.9f);   // x 5..54
  maps[1](cv::Rect(10, 10, 10, 10)).setTo(0.9f);  // embedding 0
  maps[2](cv::Rect(30, 0, 10, 30)).setTo(2.99f);  // x 30..39: joins
  maps[2](cv::Rect(40, 0, 20, 30)).setTo(3.0f);   // x 40..: exactly 3.0 away, does not
  const auto regions = PanPostprocess(maps, Probabilities(), maps[0].size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(MaxX(regions[0].quad), 39);
  PanParams wide = Probabilities();
  wide.distance_threshold = 3.01f;
  const auto all = PanPostprocess(maps, wide, maps[0].size());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(MaxX(all[0].quad), 54);
}

TEST(PanPostprocess, EmptyAndAllZeroMapsGiveNothing) {
  EXPECT_TRUE(PanPostprocess({cv::Mat(), cv::Mat(), cv::Mat()}, PanParams{}, {10, 10}).empty());
  EXPECT_TRUE(PanPostprocess(Maps(0, 7), PanParams{}, {10, 10}).empty());
  EXPECT_TRUE(PanPostprocess(Maps(64, 64), Probabilities(), {64, 64}).empty());
  EXPECT_TRUE(PanPostprocess(Maps(1, 1), Probabilities(), {1, 1}).empty());
  // All-zero logits are probability 0.5, not above 0.5.
  EXPECT_TRUE(PanPostprocess(Maps(64, 64), PanParams{}, {64, 64}).empty());
}

TEST(PanPostprocess, NonFiniteMapsGiveNothing) {
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {inf, -inf, std::numeric_limits<float>::quiet_NaN()}) {
    for (bool sigmoid : {false, true}) {
      PanParams p;
      p.apply_sigmoid = sigmoid;
      p.min_text_area = 0;
      auto maps = Maps(30, 40);
      for (auto& m : maps) m.setTo(v);
      EXPECT_TRUE(PanPostprocess(maps, p, {40, 30}).empty()) << v << sigmoid;
      // Valid text and kernel, non-finite embedding: background as well.
      maps[0].setTo(0.9f);
      maps[1].setTo(0.9f);
      EXPECT_TRUE(PanPostprocess(maps, Probabilities(), {40, 30}).empty()) << v;
    }
  }
}

TEST(PanPostprocess, NonFinitePixelsCountAsBackground) {
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {inf, -inf, std::numeric_limits<float>::quiet_NaN()}) {
    auto maps = Maps(40, 80);
    maps[0](cv::Rect(10, 10, 50, 10)).setTo(1.0f);  // x 10..59
    maps[1](cv::Rect(15, 12, 30, 6)).setTo(1.0f);
    maps[0](cv::Rect(59, 10, 1, 10)).setTo(v);    // last text column: not text
    maps[3](cv::Rect(58, 10, 1, 10)).setTo(v);    // the one before: embedding unusable
    maps[4].at<float>(14, 20) = v;                // inside the kernel: must not poison its mean
    const auto regions = PanPostprocess(maps, Probabilities(), maps[0].size());
    ASSERT_EQ(regions.size(), 1u) << v;
    EXPECT_EQ(MinX(regions[0].quad), 10) << v;
    EXPECT_EQ(MaxX(regions[0].quad), 57) << v;
    EXPECT_FLOAT_EQ(regions[0].score, 1.0f) << v;
  }
}

TEST(PanPostprocess, SinglePixelIsDroppedByMinTextArea) {
  auto maps = Maps(20, 20);
  maps[0].at<float>(10, 10) = 0.9f;
  maps[1].at<float>(10, 10) = 0.9f;
  EXPECT_TRUE(PanPostprocess(maps, Probabilities(), {20, 20}).empty());
  PanParams any = Probabilities();
  any.min_text_area = 1;
  const auto regions = PanPostprocess(maps, any, {20, 20});
  ASSERT_EQ(regions.size(), 1u);
  for (const auto& p : regions[0].quad) EXPECT_EQ(p, cv::Point2f(10, 10));
  any.box_type = BoxType::kPolygon;  // no outline of 4 points
  EXPECT_TRUE(PanPostprocess(maps, any, {20, 20}).empty());
}

TEST(PanPostprocess, ScoreEqualToTheThresholdIsDropped) {
  auto maps = Maps(30, 60);
  maps[0](cv::Rect(5, 5, 40, 10)).setTo(0.6f);
  maps[1](cv::Rect(10, 7, 30, 6)).setTo(0.9f);
  PanParams p = Probabilities();
  p.score_threshold = 0.6f;  // MMOCR: score <= threshold drops
  EXPECT_TRUE(PanPostprocess(maps, p, maps[0].size()).empty());
  p.score_threshold = 0.59f;
  const auto regions = PanPostprocess(maps, p, maps[0].size());
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_FLOAT_EQ(regions[0].score, 0.6f);
  p.min_text_area = 401;  // the instance has 40 x 10 pixels
  EXPECT_TRUE(PanPostprocess(maps, p, maps[0].size()).empty());
}

TEST(PanPostprocess, SmallKernelsGrowNothing) {
  auto maps = Maps(40, 100);
  maps[0](cv::Rect(5, 10, 90, 20)).setTo(0.9f);
  maps[1](cv::Rect(10, 15, 30, 10)).setTo(0.9f);  // 300 pixels
  maps[1](cv::Rect(70, 18, 2, 2)).setTo(0.9f);    // 4 pixels
  EXPECT_EQ(PanPostprocess(maps, Probabilities(), maps[0].size()).size(), 2u);
  PanParams p = Probabilities();
  p.min_kernel_area = 16;
  const auto regions = PanPostprocess(maps, p, maps[0].size());
  ASSERT_EQ(regions.size(), 1u);  // the big kernel takes the whole blob
  EXPECT_EQ(MinX(regions[0].quad), 5);
  EXPECT_EQ(MaxX(regions[0].quad), 94);
}

TEST(PanPostprocess, RegionTouchingTheBorderIsClampedInsideTheImage) {
  auto maps = Maps(50, 100);
  maps[0](cv::Rect(0, 0, 40, 12)).setTo(0.9f);
  maps[1](cv::Rect(0, 0, 30, 8)).setTo(0.9f);
  maps[0](cv::Rect(70, 40, 30, 10)).setTo(0.9f);
  maps[1](cv::Rect(75, 43, 25, 7)).setTo(0.9f);
  for (BoxType type : {BoxType::kQuad, BoxType::kPolygon}) {
    PanParams p = Probabilities();
    p.box_type = type;
    const auto same = SortedByX(PanPostprocess(maps, p, maps[0].size()));
    ASSERT_EQ(same.size(), 2u);
    EXPECT_EQ(same[0].quad[0], cv::Point2f(0, 0));
    EXPECT_EQ(same[1].quad[2], cv::Point2f(99, 49));
    // Halving: x 99 -> 49.5 rounds to 50, clamped to 49; y 49 -> 24.5 -> 24 (half to even).
    const auto half = SortedByX(PanPostprocess(maps, p, {50, 25}));
    ASSERT_EQ(half.size(), 2u);
    EXPECT_EQ(half[1].quad[2], cv::Point2f(49, 24));
    for (const auto& r : half) {
      for (const auto& pt : r.polygon) {
        EXPECT_GE(pt.x, 0); EXPECT_LE(pt.x, 49);
        EXPECT_GE(pt.y, 0); EXPECT_LE(pt.y, 24);
      }
    }
  }
}

TEST(PanPostprocess, ScalesToAFourTimesLargerImage) {
  auto maps = Maps(50, 100);
  maps[0](cv::Rect(10, 20, 50, 10)).setTo(0.9f);  // x 10..59, y 20..29
  maps[1](cv::Rect(15, 22, 40, 6)).setTo(0.9f);
  const auto regions = PanPostprocess(maps, Probabilities(), {400, 200});
  ASSERT_EQ(regions.size(), 1u);
  const Quad want = {cv::Point2f(40, 80), cv::Point2f(236, 80), cv::Point2f(236, 116),
                     cv::Point2f(40, 116)};
  EXPECT_EQ(regions[0].quad, want);
  const auto wide = PanPostprocess(maps, Probabilities(), {400, 100});
  ASSERT_EQ(wide.size(), 1u);
  EXPECT_EQ(wide[0].quad[2], cv::Point2f(236, 58));
}

TEST(PanPostprocess, SigmoidAppliesToTextAndKernelOnly) {
  // Logits for maps 0-1; the embedding stays raw (a sigmoid would squash 0
  // and 5 to 0.5 and 0.993, and the left kernel would take everything).
  auto maps = TwoWordsOneBlob(5.0f);
  cv::Mat text = maps[0] > 0.5f, kernel = maps[1] > 0.5f;
  maps[0].setTo(-6.0f);
  maps[0].setTo(2.5f, text);
  maps[1].setTo(-6.0f);
  maps[1].setTo(1.0f, kernel);
  const auto regions = SortedByX(PanPostprocess(maps, PanParams{}, {120, 60}));
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(MaxX(regions[0].quad), 59);
  EXPECT_EQ(MinX(regions[1].quad), 60);
  EXPECT_NEAR(regions[0].score, 1.0f / (1.0f + std::exp(-2.5f)), 1e-5);
  // A logit of 0.3 passes as sigmoid 0.574 but not as a probability.
  auto weak = Maps(30, 60);
  weak[0](cv::Rect(5, 5, 40, 10)).setTo(0.3f);
  weak[1](cv::Rect(10, 7, 30, 6)).setTo(0.3f);
  EXPECT_EQ(PanPostprocess(weak, PanParams{}, {60, 30}).size(), 1u);
  EXPECT_TRUE(PanPostprocess(weak, Probabilities(), {60, 30}).empty());
}

TEST(PanPostprocess, PolygonModeFollowsTheInstanceOutline) {
  auto maps = Maps(60, 80);
  maps[0](cv::Rect(10, 10, 50, 10)).setTo(0.9f);  // an L: bar ...
  maps[0](cv::Rect(10, 20, 10, 30)).setTo(0.9f);  // ... and foot
  maps[1](cv::Rect(12, 12, 40, 6)).setTo(0.9f);
  PanParams poly = Probabilities();
  poly.box_type = BoxType::kPolygon;
  const auto regions = PanPostprocess(maps, poly, maps[0].size());
  ASSERT_EQ(regions.size(), 1u);
  const auto& polygon = regions[0].polygon;
  EXPECT_GE(polygon.size(), 4u);
  EXPECT_EQ(polygon.size(), 7u);  // six corners, the inner one a diagonal step
  EXPECT_GT(cv::pointPolygonTest(polygon, cv::Point2f(14, 40), false), 0);
  EXPECT_LT(cv::pointPolygonTest(polygon, cv::Point2f(40, 40), false), 0);
  EXPECT_EQ(MaxY(regions[0].quad), 49);
}

TEST(PanPostprocess, AnyNumberOfEmbeddingChannels) {
  for (int dims : {1, 2, 8}) {
    auto maps = Maps(60, 120, dims);
    maps[0](cv::Rect(10, 20, 100, 20)).setTo(0.9f);
    maps[1](cv::Rect(20, 25, 21, 10)).setTo(0.9f);
    maps[1](cv::Rect(70, 25, 26, 10)).setTo(0.9f);
    maps.back()(cv::Rect(60, 0, 60, 60)).setTo(5.0f);  // only the last channel differs
    const auto regions = SortedByX(PanPostprocess(maps, Probabilities(), {120, 60}));
    ASSERT_EQ(regions.size(), 2u) << dims;
    EXPECT_EQ(MaxX(regions[0].quad), 59) << dims;
    EXPECT_EQ(MinX(regions[1].quad), 60) << dims;
  }
}

TEST(PanPostprocess, MapsThatAreNotANetworkOutputAreInternalErrors) {
  EXPECT_EQ(CodeOf({}, PanParams{}, {8, 8}), ErrorCode::kInternal);
  auto two = Maps(8, 8, 0);  // text and kernel, no embedding
  EXPECT_EQ(CodeOf(two, PanParams{}, {8, 8}), ErrorCode::kInternal);
  auto typed = Maps(8, 8);
  typed[3] = cv::Mat(8, 8, CV_64FC1, cv::Scalar(0));
  EXPECT_EQ(CodeOf(typed, PanParams{}, {8, 8}), ErrorCode::kInternal);
  auto sizes = Maps(8, 8);
  sizes[5] = cv::Mat(9, 8, CV_32FC1, cv::Scalar(0));
  EXPECT_EQ(CodeOf(sizes, PanParams{}, {8, 8}), ErrorCode::kInternal);
}

TEST(PanPostprocess, InvalidParamsAreInvalidOptions) {
  const auto maps = Maps(8, 8);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  auto with = [](auto set) {
    PanParams p;
    set(p);
    return p;
  };
  EXPECT_EQ(CodeOf(maps, with([&](PanParams& p) { p.min_text_confidence = nan; }), {8, 8}),
            ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, with([&](PanParams& p) { p.min_kernel_confidence = -inf; }), {8, 8}),
            ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, with([&](PanParams& p) { p.distance_threshold = -1; }), {8, 8}),
            ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, with([&](PanParams& p) { p.distance_threshold = inf; }), {8, 8}),
            ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, with([&](PanParams& p) { p.min_kernel_area = -1; }), {8, 8}),
            ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, with([&](PanParams& p) { p.score_threshold = nan; }), {8, 8}),
            ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, with([&](PanParams& p) { p.min_text_area = -16; }), {8, 8}),
            ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, with([&](PanParams& p) { p.epsilon_ratio = -0.5f; }), {8, 8}),
            ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, PanParams{}, {0, 8}), ErrorCode::kInvalidOption);
  EXPECT_EQ(CodeOf(maps, PanParams{}, {8, 0}), ErrorCode::kInvalidOption);
  try {
    PanPostprocess(maps, with([&](PanParams& p) { p.distance_threshold = nan; }), {8, 8});
    FAIL() << "no throw";
  } catch (const ocr::Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidOption);
    EXPECT_NE(std::string(e.what()).find("distance_threshold"), std::string::npos) << e.what();
  }
  PanParams zeros;
  zeros.distance_threshold = 0;  // nothing joins, but valid
  zeros.min_kernel_area = 0;
  zeros.min_text_area = 0;
  EXPECT_NO_THROW(PanPostprocess(maps, zeros, {8, 8}));
}

}  // namespace
}  // namespace ocr::detect
