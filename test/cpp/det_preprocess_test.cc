// Detection input size policy and normalisation (PaddleOCR DetResizeForTest type 0, NormalizeImage).
#include "preprocess/det_preprocess.h"

#include <gtest/gtest.h>

namespace ocr::preprocess {
namespace {

TEST(DetInputSize, MaxLimitScalesTheLongerSideDownAndRoundsTo32) {
  DetResizeParams p;  // 960, max
  EXPECT_EQ(DetInputSize({1920, 1080}, p), cv::Size(960, 544));   // 540 -> round(16.875)*32
  EXPECT_EQ(DetInputSize({4032, 3024}, p), cv::Size(960, 704));   // 720 -> 22.5 -> 22 (half to even)
  EXPECT_EQ(DetInputSize({640, 480}, p), cv::Size(640, 480));     // no upscaling
  EXPECT_EQ(DetInputSize({100, 50}, p), cv::Size(96, 64));        // 50/32 = 1.56 -> 2
  EXPECT_EQ(DetInputSize({10, 10}, p), cv::Size(32, 32));         // at least one multiple
}

TEST(DetInputSize, MinLimitScalesTheShorterSideUpAndCapsTheLongerSide) {
  DetResizeParams p;
  p.limit_type = LimitType::kMin;
  p.limit_side_length = 736;
  EXPECT_EQ(DetInputSize({640, 480}, p), cv::Size(992, 736));     // 981.3 -> 992
  EXPECT_EQ(DetInputSize({2000, 1000}, p), cv::Size(1984, 992));  // already >= 736: 62.5 -> 62 (half to even)
  // A long strip: the shorter side would need 736 but the longer side is capped at 4000.
  const cv::Size strip = DetInputSize({10000, 200}, p);
  EXPECT_LE(strip.width, 4000);
  EXPECT_EQ(strip.width % 32, 0);
  EXPECT_GE(strip.height, 32);
}

TEST(DetPreprocess, NormalisesPerChannelInBgrOrderIntoChw) {
  cv::Mat image(2, 3, CV_8UC3, cv::Scalar(255, 0, 128));  // B=255, G=0, R=128
  std::vector<float> out;
  NormalizeParams norm;
  DetPreprocess(image, image.size(), norm, out);
  ASSERT_EQ(out.size(), 3u * 6);
  EXPECT_NEAR(out[0], (1.0f - 0.485f) / 0.229f, 1e-5);           // plane 0 from B
  EXPECT_NEAR(out[6], (0.0f - 0.456f) / 0.224f, 1e-5);           // plane 1 from G
  EXPECT_NEAR(out[12], (128 / 255.0f - 0.406f) / 0.225f, 1e-5);  // plane 2 from R
  EXPECT_FLOAT_EQ(out[5], out[0]);
}

TEST(DetPreprocess, ResizesToTheInputSize) {
  cv::Mat image(100, 200, CV_8UC3, cv::Scalar(10, 20, 30));
  std::vector<float> out;
  DetPreprocess(image, {64, 32}, NormalizeParams{}, out);
  ASSERT_EQ(out.size(), 3u * 64 * 32);
  EXPECT_NEAR(out[64 * 32 - 1], (10 / 255.0f - 0.485f) / 0.229f, 1e-5);
}

}  // namespace
}  // namespace ocr::preprocess
