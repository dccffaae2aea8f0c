#include "core/finite.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

namespace {

TEST(AllFinite, FiniteValuesOfEveryKindPass) {
  EXPECT_TRUE(ocr::AllFinite(nullptr, 0));
  std::vector<float> v = {0.0f, -0.0f, 1.0f, -1.0f, FLT_MAX, -FLT_MAX, FLT_MIN, FLT_TRUE_MIN, 1e-40f, 3.5f, -2e30f};
  for (size_t n = 0; n <= v.size(); ++n) EXPECT_TRUE(ocr::AllFinite(v.data(), n)) << n;
}

TEST(AllFinite, OneNanOrInfinityAnywhereFails) {
  const float bad[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::quiet_NaN()};
  // Lengths around the 8-value blocks, the bad value in every position: the block part and the tail.
  for (size_t n : {1u, 7u, 8u, 9u, 16u, 17u, 31u, 100u}) {
    for (float b : bad) {
      for (size_t at = 0; at < n; ++at) {
        std::vector<float> v(n, 0.25f);
        v[at] = b;
        EXPECT_FALSE(ocr::AllFinite(v.data(), n)) << "n " << n << " at " << at << " value " << b;
      }
    }
  }
}

TEST(AllFinite, ReadsOnlyTheFirstNValues) {
  std::vector<float> v(20, 1.0f);
  v[19] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(ocr::AllFinite(v.data(), 19));
  EXPECT_FALSE(ocr::AllFinite(v.data(), 20));
}

TEST(NonFiniteMessage, OneWording) {
  EXPECT_EQ(ocr::NonFiniteMessage("detection", "maps", "for a blank input", "the model is broken"),
            "detection output 'maps' holds NaN or infinite values for a blank input: the model is broken");
}

}  // namespace
