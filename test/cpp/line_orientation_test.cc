// Text-line classifier input and output (PaddleOCR tools/infer/predict_cls.py
// resize_norm_img, ppocr/postprocess/cls_postprocess.py ClsPostProcess, 2.7).
#include "classify/line_orientation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "core/error.h"

namespace ocr::classify {
namespace {

constexpr int kH = 48, kW = 192, kPlane = kH * kW;

// Preprocesses `image` with the default 3x48x192 shape, the buffer pre-filled
// with a sentinel so that unwritten floats show.
std::vector<float> Preprocess(const cv::Mat& image, const ClsParams& params = {}) {
  std::vector<float> out(3 * size_t(params.height) * params.width, 42.0f);
  ClsPreprocess(image, params, out.data());
  return out;
}

// Index of the first column of row `y` in `plane` that holds exactly zero in all three planes, or kW.
int FirstPaddedColumn(const std::vector<float>& out, int y) {
  for (int x = 0; x < kW; ++x) {
    bool zero = true;
    for (int c = 0; c < 3; ++c) zero = zero && out[c * kPlane + y * kW + x] == 0.0f;
    if (zero) return x;
  }
  return kW;
}

TEST(ClsPreprocess, ScalesEachBgrChannelToMinusOneOneIntoItsOwnPlane) {
  const cv::Mat image(24, 30, CV_8UC3, cv::Scalar(255, 0, 128));  // B, G, R
  const std::vector<float> out = Preprocess(image);
  ASSERT_EQ(out.size(), size_t(3 * kPlane));
  for (int y : {0, 23, 47}) {
    for (int x : {0, 30, 59}) {
      EXPECT_FLOAT_EQ(out[0 * kPlane + y * kW + x], 1.0f);
      EXPECT_FLOAT_EQ(out[1 * kPlane + y * kW + x], -1.0f);
      EXPECT_NEAR(out[2 * kPlane + y * kW + x], (128 / 255.0f - 0.5f) / 0.5f, 1e-6);
    }
  }
}

TEST(ClsPreprocess, KeepsTheRatioAndPadsRightWithZeros) {
  // 30x24 (w x h): ratio 1.25 -> resized width ceil(48 * 1.25) = 60.
  const std::vector<float> out = Preprocess(cv::Mat(24, 30, CV_8UC3, cv::Scalar(255, 255, 255)));
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < kH; ++y) {
      for (int x = 0; x < kW; ++x) {
        ASSERT_FLOAT_EQ(out[c * kPlane + y * kW + x], x < 60 ? 1.0f : 0.0f) << c << "," << y << "," << x;
      }
    }
  }
}

TEST(ClsPreprocess, RoundsTheResizedWidthUp) {
  // 11x10: 48 * 1.1 = 52.8 -> 53 columns of content (black is -1, not 0).
  EXPECT_EQ(FirstPaddedColumn(Preprocess(cv::Mat(10, 11, CV_8UC3, cv::Scalar::all(0))), 20), 53);
  // 1x100: 0.48 -> 1 column.
  EXPECT_EQ(FirstPaddedColumn(Preprocess(cv::Mat(100, 1, CV_8UC3, cv::Scalar::all(0))), 20), 1);
  // 1x1: square, 48 columns.
  EXPECT_EQ(FirstPaddedColumn(Preprocess(cv::Mat(1, 1, CV_8UC3, cv::Scalar::all(0))), 0), 48);
}

TEST(ClsPreprocess, CapsWideCropsAtTheInputWidth) {
  // 400x48: ratio 8.33 -> 400 > 192, squeezed to 192, no padding.
  cv::Mat image(48, 400, CV_8UC3, cv::Scalar::all(0));
  image.colRange(200, 400).setTo(cv::Scalar::all(255));  // right half white
  const std::vector<float> out = Preprocess(image);
  EXPECT_EQ(FirstPaddedColumn(out, 10), kW);
  for (int c = 0; c < 3; ++c) {
    EXPECT_FLOAT_EQ(out[c * kPlane + 10 * kW + 0], -1.0f);
    EXPECT_FLOAT_EQ(out[c * kPlane + 10 * kW + kW - 1], 1.0f);
  }
  for (float v : out) ASSERT_TRUE(v >= -1.0f - 1e-6f && v <= 1.0f + 1e-6f);
}

TEST(ClsPreprocess, MatchesTheReferenceFormulaForEveryLevel) {
  // 192x48 is already the input size: no resampling, every byte value present.
  cv::Mat image(kH, kW, CV_8UC3);
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      const int v = (y * kW + x) % 256;
      image.at<cv::Vec3b>(y, x) = cv::Vec3b(v, 255 - v, (v * 7) % 256);
    }
  }
  const std::vector<float> out = Preprocess(image);
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      for (int c = 0; c < 3; ++c) {
        // numpy float32: x / 255, - 0.5, / 0.5.
        const float expected = (image.at<cv::Vec3b>(y, x)[c] / 255.0f - 0.5f) / 0.5f;
        ASSERT_NEAR(out[c * kPlane + y * kW + x], expected, 2e-7f) << c << "," << y << "," << x;
      }
    }
  }
}

TEST(ClsPreprocess, HonoursOtherShapes) {
  ClsParams params;
  params.height = 32;
  params.width = 100;
  const std::vector<float> out = Preprocess(cv::Mat(16, 20, CV_8UC3, cv::Scalar::all(255)), params);  // -> 40 wide
  ASSERT_EQ(out.size(), size_t(3 * 32 * 100));
  for (int c = 0; c < 3; ++c) {
    EXPECT_FLOAT_EQ(out[c * 3200 + 31 * 100 + 39], 1.0f);
    EXPECT_FLOAT_EQ(out[c * 3200 + 31 * 100 + 40], 0.0f);
  }
}

TEST(ClsPreprocess, RejectsWhatItCannotRead) {
  std::vector<float> out(3 * kPlane);
  const ClsParams params;
  try {
    ClsPreprocess(cv::Mat(10, 10, CV_8UC1, cv::Scalar(0)), params, out.data());
    FAIL() << "expected ocr::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidImage);
  }
  EXPECT_THROW(ClsPreprocess(cv::Mat(), params, out.data()), Error);
  EXPECT_THROW(ClsPreprocess(cv::Mat(10, 10, CV_32FC3, cv::Scalar::all(0)), params, out.data()), Error);
  ClsParams zero;
  zero.width = 0;
  try {
    ClsPreprocess(cv::Mat(10, 10, CV_8UC3, cv::Scalar::all(0)), zero, out.data());
    FAIL() << "expected ocr::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidOption);
  }
}

TEST(ClsDecode, PicksTheLargestProbability) {
  const float probs[] = {0.2f, 0.8f};
  const ClsResult r = ClsDecode(probs, 2);
  EXPECT_EQ(r.label, 1);
  EXPECT_FLOAT_EQ(r.score, 0.8f);
  const float first[] = {0.95f, 0.05f};
  EXPECT_EQ(ClsDecode(first, 2).label, 0);
}

TEST(ClsDecode, TiesGoToTheFirstClassAsNumpyArgmax) {
  const float probs[] = {0.5f, 0.5f};
  EXPECT_EQ(ClsDecode(probs, 2).label, 0);
}

TEST(ClsDecode, WorksOnNegativeScores) {
  const float logits[] = {-3.0f, -1.0f, -2.0f};
  const ClsResult r = ClsDecode(logits, 3);
  EXPECT_EQ(r.label, 1);
  EXPECT_FLOAT_EQ(r.score, -1.0f);
}

TEST(ClsDecode, NanNeverWins) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float first_nan[] = {nan, 0.3f};
  EXPECT_EQ(ClsDecode(first_nan, 2).label, 1);
  EXPECT_FLOAT_EQ(ClsDecode(first_nan, 2).score, 0.3f);
  const float second_nan[] = {0.1f, nan};
  EXPECT_EQ(ClsDecode(second_nan, 2).label, 0);
  const float all_nan[] = {nan, nan};
  const ClsResult r = ClsDecode(all_nan, 2);
  EXPECT_EQ(r.label, 0);
  EXPECT_FALSE(std::isnan(r.score));
  EXPECT_FALSE(r.score > 0.9f);  // never passes the rotate threshold
}

TEST(ClsDecode, InfinityWinsAndNoClassesIsLabelZero) {
  const float inf[] = {0.9f, std::numeric_limits<float>::infinity()};
  EXPECT_EQ(ClsDecode(inf, 2).label, 1);
  EXPECT_EQ(ClsDecode(inf, 0).label, 0);
  EXPECT_EQ(ClsDecode(nullptr, 0).score, 0.0f);
}

TEST(ClsWindows, ACropThatFitsIsOneWindowTheWholeCrop) {
  const ClsParams p;  // 48 x 192: ratio 4
  const auto w = ClsWindows(cv::Size(150, 40), p, 8);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], cv::Rect(0, 0, 150, 40));
  EXPECT_EQ(ClsWindows(cv::Size(160, 40), p, 8).size(), 1u);  // exactly 4:1
  EXPECT_TRUE(ClsWindows(cv::Size(0, 40), p, 8).empty());
  EXPECT_TRUE(ClsWindows(cv::Size(100, 0), p, 8).empty());
}

TEST(ClsWindows, ALongLineIsCoveredEdgeToEdgeByWindowsOfTheInputRatio) {
  const ClsParams p;
  const auto w = ClsWindows(cv::Size(1000, 40), p, 8);  // 1000 / 160 -> 7 windows
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w.front().x, 0);
  EXPECT_EQ(w.back().x + w.back().width, 1000);
  for (size_t i = 0; i < w.size(); ++i) {
    EXPECT_EQ(w[i].width, 160);
    EXPECT_EQ(w[i].height, 40);
    if (i > 0) {
      EXPECT_LE(w[i].x, w[i - 1].x + w[i - 1].width);  // no gap between neighbours
    }
  }
}

TEST(ClsWindows, AtMostMaxWindowsAndOneWhenWindowsAreOff) {
  const ClsParams p;
  const auto w = ClsWindows(cv::Size(4000, 40), p, 8);
  ASSERT_EQ(w.size(), 8u);
  EXPECT_EQ(w.front().x, 0);
  EXPECT_EQ(w.back().x + w.back().width, 4000);
  ASSERT_EQ(ClsWindows(cv::Size(4000, 40), p, 1).size(), 1u);
  EXPECT_EQ(ClsWindows(cv::Size(4000, 40), p, 1)[0].width, 4000);
}

TEST(ClsWindows, AVeryFlatCropStillGetsWindowsOfAtLeastOnePixel) {
  const ClsParams p;
  const auto w = ClsWindows(cv::Size(10, 1), p, 8);  // window width 4
  ASSERT_EQ(w.size(), 3u);
  for (const auto& r : w) {
    EXPECT_GE(r.x, 0);
    EXPECT_LE(r.x + r.width, 10);
  }
}


TEST(ClsPreprocess, StretchAndImageNetNormalisation) {
  // PaddleX's PP-LCNet text-line models: straight to 160 x 80, (x / 255 - mean) / std.
  ClsParams p;
  p.stretch = true;
  p.height = 80;
  p.width = 160;
  p.mean = {0.485f, 0.456f, 0.406f};
  p.std = {0.229f, 0.224f, 0.225f};
  cv::Mat crop(10, 20, CV_8UC3, cv::Scalar(255, 255, 255));
  std::vector<float> out(3 * 80 * 160, -9.0f);
  ClsPreprocess(crop, p, out.data());
  EXPECT_NEAR(out[0], (1.0f - 0.485f) / 0.229f, 1e-5f);
  EXPECT_NEAR(out[80 * 160 - 1], (1.0f - 0.485f) / 0.229f, 1e-5f);  // no padding: the whole row is the crop
  EXPECT_NEAR(out[2 * 80 * 160], (1.0f - 0.406f) / 0.225f, 1e-5f);
}

}  // namespace
}  // namespace ocr::classify
