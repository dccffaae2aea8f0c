// Reading order of text lines (PaddleOCR tools/infer/predict_system.py sorted_boxes, 2.7).
#include "pipeline/reading_order.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocr::pipeline {
namespace {

constexpr float kTolerance = 10.0f;  // PaddleOCR's fixed pixels

// A 40x20 box with its top-left corner at (x, y).
Quad Box(float x, float y) { return {{{x, y}, {x + 40, y}, {x + 40, y + 20}, {x, y + 20}}}; }

TEST(ReadingOrder, EmptyAndSingle) {
  EXPECT_TRUE(ReadingOrder({}, kTolerance).empty());
  EXPECT_EQ(ReadingOrder({Box(5, 5)}, kTolerance), std::vector<int>{0});
}

TEST(ReadingOrder, JitteredRowsComeOutRowByRowLeftToRight) {
  // Row one at y ~100 (jitter within 7 px), row two at y ~150, shuffled.
  const std::vector<Quad> quads = {
      Box(200, 150),  // 0: row 2, middle
      Box(300, 100),  // 1: row 1, right
      Box(20, 146),   // 2: row 2, left
      Box(10, 104),   // 3: row 1, left (lowest of its row: must move back two places)
      Box(400, 153),  // 4: row 2, right
      Box(150, 97),   // 5: row 1, middle (highest of its row)
  };
  EXPECT_EQ(ReadingOrder(quads, kTolerance), (std::vector<int>{3, 5, 1, 2, 0, 4}));
}

TEST(ReadingOrder, RowsTenOrMorePixelsApartAreNotMerged) {
  // A is higher but to the right: by y it comes first, and 10 px is not "the same row".
  EXPECT_EQ(ReadingOrder({Box(300, 100), Box(10, 110)}, kTolerance), (std::vector<int>{0, 1}));
  EXPECT_EQ(ReadingOrder({Box(300, 100), Box(10, 130)}, kTolerance), (std::vector<int>{0, 1}));
  // 9.5 px is the same row: left first.
  EXPECT_EQ(ReadingOrder({Box(300, 100), Box(10, 109.5f)}, kTolerance), (std::vector<int>{1, 0}));
}

TEST(ReadingOrder, SortsByTopLeftYThenX) {
  EXPECT_EQ(ReadingOrder({Box(0, 300), Box(0, 100), Box(0, 200)}, kTolerance), (std::vector<int>{1, 2, 0}));
  EXPECT_EQ(ReadingOrder({Box(50, 100), Box(20, 100)}, kTolerance), (std::vector<int>{1, 0}));
}

TEST(ReadingOrder, EqualCornersKeepTheirInputOrder) {
  EXPECT_EQ(ReadingOrder({Box(5, 5), Box(5, 5), Box(5, 5)}, kTolerance), (std::vector<int>{0, 1, 2}));
}

TEST(ReadingOrder, UsesOnlyTheTopLeftCorner) {
  // Box 1 starts right of box 0 but its other corners lie far to the left.
  Quad slanted = Box(100, 102);
  slanted[3] = {-500, 130};
  EXPECT_EQ(ReadingOrder({Box(50, 100), slanted}, kTolerance), (std::vector<int>{0, 1}));
}

TEST(ReadingOrder, ToleranceIsAParameter) {
  const std::vector<Quad> quads = {Box(300, 100), Box(10, 115)};
  EXPECT_EQ(ReadingOrder(quads, kTolerance), (std::vector<int>{0, 1}));
  EXPECT_EQ(ReadingOrder(quads, 20.0f), (std::vector<int>{1, 0}));
  EXPECT_EQ(ReadingOrder(quads, 0.0f), (std::vector<int>{0, 1}));
}

TEST(ReadingOrder, IsAPermutation) {
  std::vector<Quad> quads;
  for (int i = 0; i < 50; ++i) quads.push_back(Box(float((i * 37) % 500), float((i * 53) % 400)));
  std::vector<int> order = ReadingOrder(quads, kTolerance);
  std::sort(order.begin(), order.end());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
}

}  // namespace
}  // namespace ocr::pipeline
