// Recognition input (PaddleOCR predict_rec.py resize_norm_img with max_wh_ratio).
#include "preprocess/rec_preprocess.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace ocr::preprocess {
namespace {

TEST(RecBatchWidth, NarrowCropsGiveTheNominalWidth) {
  RecResizeParams p;  // 48 x 320, cap 3200
  EXPECT_EQ(RecBatchWidth({}, p), 320);
  EXPECT_EQ(RecBatchWidth({{100, 48}, {200, 48}, {48, 48}}, p), 320);
  EXPECT_EQ(RecBatchWidth({{320, 48}}, p), 320);
}

TEST(RecBatchWidth, TheWidestCropSetsTheWidth) {
  RecResizeParams p;
  EXPECT_EQ(RecBatchWidth({{960, 48}}, p), 960);
  EXPECT_EQ(RecBatchWidth({{100, 48}, {960, 48}, {300, 48}}, p), 960);
  EXPECT_EQ(RecBatchWidth({{480, 24}}, p), 960);    // ratio 20
  EXPECT_EQ(RecBatchWidth({{1000, 30}}, p), 1600);  // int(48 * 33.33) = 1600
  EXPECT_EQ(RecBatchWidth({{1001, 30}}, p), 1601);  // int(1601.6): truncation, as PaddleOCR
}

TEST(RecBatchWidth, CappedAtMaxWidth) {
  RecResizeParams p;
  EXPECT_EQ(RecBatchWidth({{100000, 48}}, p), 3200);
  p.max_width = 1000;
  EXPECT_EQ(RecBatchWidth({{960, 48}}, p), 960);
  EXPECT_EQ(RecBatchWidth({{2000, 48}}, p), 1000);
  // Degenerate sizes do not divide by zero.
  EXPECT_EQ(RecBatchWidth({{10, 0}}, RecResizeParams{}), 480);  // treated as height 1: ratio 10
}

TEST(RecBatchWidth, OtherInputShapes) {
  RecResizeParams p;
  p.height = 32;
  p.nominal_width = 100;
  EXPECT_EQ(RecBatchWidth({{50, 32}}, p), 100);
  EXPECT_EQ(RecBatchWidth({{320, 32}}, p), 320);
}

std::vector<float> PreprocessInto(const cv::Mat& image, int batch_width, const RecResizeParams& p, int* resized_w) {
  std::vector<float> out(3 * size_t(p.height) * batch_width, 123.0f);  // garbage that must be overwritten
  *resized_w = RecPreprocess(image, batch_width, p, out.data());
  return out;
}

TEST(RecPreprocess, ResizedWidthIsCeilOfHeightTimesRatio) {
  RecResizeParams p;
  int w = 0;
  PreprocessInto(cv::Mat(48, 100, CV_8UC3, cv::Scalar::all(0)), 320, p, &w);
  EXPECT_EQ(w, 100);
  PreprocessInto(cv::Mat(30, 100, CV_8UC3, cv::Scalar::all(0)), 320, p, &w);
  EXPECT_EQ(w, 160);  // ceil(48 * 3.333) = 160
  PreprocessInto(cv::Mat(31, 100, CV_8UC3, cv::Scalar::all(0)), 320, p, &w);
  EXPECT_EQ(w, 155);  // ceil(154.8)
  PreprocessInto(cv::Mat(48, 960, CV_8UC3, cv::Scalar::all(0)), 960, p, &w);
  EXPECT_EQ(w, 960);
  PreprocessInto(cv::Mat(48, 960, CV_8UC3, cv::Scalar::all(0)), 320, p, &w);
  EXPECT_EQ(w, 320);  // capped at the batch width
  PreprocessInto(cv::Mat(500, 1, CV_8UC3, cv::Scalar::all(0)), 320, p, &w);
  EXPECT_EQ(w, 1);  // at least one column
}

TEST(RecPreprocess, NormalisesToMinusOneOneAndPadsWithZeros) {
  RecResizeParams p;
  cv::Mat image(24, 50, CV_8UC3, cv::Scalar(255, 0, 51));  // B=255, G=0, R=51
  int w = 0;
  const std::vector<float> out = PreprocessInto(image, 320, p, &w);
  ASSERT_EQ(w, 100);
  const size_t plane = 48 * 320;
  for (int y : {0, 23, 47}) {
    for (int x : {0, 50, 99}) {
      EXPECT_EQ(out[0 * plane + y * 320 + x], 1.0f);                         // B plane: exactly 1
      EXPECT_EQ(out[1 * plane + y * 320 + x], -1.0f);                        // G plane: exactly -1
      EXPECT_EQ(out[2 * plane + y * 320 + x], (51 / 255.0f - 0.5f) / 0.5f);  // R plane: -0.6
    }
    for (int x : {100, 200, 319}) {
      for (int c = 0; c < 3; ++c) EXPECT_EQ(out[c * plane + y * 320 + x], 0.0f) << c << "," << y << "," << x;
    }
  }
  for (float v : out) {
    EXPECT_GE(v, -1.0f);
    EXPECT_LE(v, 1.0f);
  }
}

TEST(RecPreprocess, MatchesPaddleOcrResizeNormImg) {
  // A gradient crop, checked bit for bit against numpy's float32 steps on cv::resize's output.
  cv::Mat image(20, 70, CV_8UC3);
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) image.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 3, y * 12, (x + y) % 256);
  }
  RecResizeParams p;
  const int batch_width = RecBatchWidth({image.size()}, p);
  ASSERT_EQ(batch_width, 320);
  int w = 0;
  const std::vector<float> out = PreprocessInto(image, batch_width, p, &w);
  ASSERT_EQ(w, 168);  // ceil(48 * 3.5)
  cv::Mat resized;
  cv::resize(image, resized, cv::Size(w, 48));
  const size_t plane = size_t(48) * batch_width;
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < 48; ++y) {
      for (int x = 0; x < batch_width; ++x) {
        const float expected = x < w ? (resized.at<cv::Vec3b>(y, x)[c] / 255.0f - 0.5f) / 0.5f : 0.0f;
        ASSERT_EQ(out[c * plane + size_t(y) * batch_width + x], expected) << c << "," << y << "," << x;
      }
    }
  }
}

TEST(RecPreprocess, WritesOnlyItsOwnSlot) {
  RecResizeParams p;
  const size_t per_image = 3 * 48 * 320;
  std::vector<float> batch(3 * per_image, 7.0f);
  RecPreprocess(cv::Mat(48, 48, CV_8UC3, cv::Scalar::all(255)), 320, p, batch.data() + per_image);
  EXPECT_EQ(batch[per_image - 1], 7.0f);
  EXPECT_EQ(batch[2 * per_image], 7.0f);
  EXPECT_EQ(batch[per_image], 1.0f);
  EXPECT_EQ(batch[2 * per_image - 1], 0.0f);
}

TEST(RecPreprocess, RejectsEmptyOrNonBgrImages) {
  RecResizeParams p;
  std::vector<float> out(3 * 48 * 320);
  EXPECT_THROW(RecPreprocess(cv::Mat(), 320, p, out.data()), Error);
  EXPECT_THROW(RecPreprocess(cv::Mat(10, 10, CV_8UC1), 320, p, out.data()), Error);
  EXPECT_THROW(RecPreprocess(cv::Mat(10, 10, CV_8UC3), 0, p, out.data()), Error);
}


TEST(RecBatchWidth, FixedModesUseTheFixedWidth) {
  RecResizeParams p;
  p.mode = RecSizeMode::kPad;
  p.height = 32;
  p.nominal_width = 100;
  EXPECT_EQ(RecBatchWidth({{1000, 32}, {10, 32}}, p), 100);
  p.mode = RecSizeMode::kStretch;
  EXPECT_EQ(RecBatchWidth({{1000, 32}}, p), 100);
}

TEST(RecResizedWidth, MmocrRescaleToHeightRounding) {
  // MMOCR RescaleToHeight(48, min_width 48, max_width 160, width_divisor 4) + PadToWidth(160).
  RecResizeParams p;
  p.mode = RecSizeMode::kPad;
  p.height = 48;
  p.nominal_width = 160;
  p.min_width = 48;
  p.width_divisor = 4;
  EXPECT_EQ(RecResizedWidth({10, 48}, 160, p), 48);    // min width
  EXPECT_EQ(RecResizedWidth({97, 48}, 160, p), 96);    // ceil 97 -> round(24.25) * 4
  EXPECT_EQ(RecResizedWidth({98, 48}, 160, p), 96);    // 98 / 4 = 24.5 -> 24 (halves to even, Python's round)
  EXPECT_EQ(RecResizedWidth({102, 48}, 160, p), 104);  // 25.5 -> 26
  EXPECT_EQ(RecResizedWidth({99, 48}, 160, p), 100);
  EXPECT_EQ(RecResizedWidth({1000, 48}, 160, p), 160); // capped at the pad width
  p.mode = RecSizeMode::kStretch;
  EXPECT_EQ(RecResizedWidth({10, 48}, 160, p), 160);
}

TEST(RecBatchWidth, DynamicWithDivisorHoldsTheWidestRoundedCrop) {
  // MMOCR CRNN: RescaleToHeight(32, min 32, divisor 16), no pad: a crop rounded up must not be squeezed.
  RecResizeParams p;
  p.height = 32;
  p.nominal_width = 32;
  p.min_width = 32;
  p.width_divisor = 16;
  // 32 x 90 crop: ceil(90) -> round(5.625) * 16 = 96 > int(32 * 90/32) = 90
  EXPECT_EQ(RecBatchWidth({{90, 32}}, p), 96);
  EXPECT_EQ(RecResizedWidth({90, 32}, 96, p), 96);
}

TEST(RecPreprocess, StretchRgbAndMeanStdOn255) {
  RecResizeParams p;
  p.mode = RecSizeMode::kStretch;
  p.height = 4;
  p.nominal_width = 8;
  p.rgb = true;
  p.scale = 1.0;
  p.mean = {127, 127, 127};
  p.std = {127, 127, 127};
  cv::Mat image(2, 2, CV_8UC3, cv::Scalar(254, 127, 0));  // B G R
  std::vector<float> out(3 * 4 * 8, 9.0f);
  EXPECT_EQ(RecPreprocess(image, 8, p, out.data()), 8);
  const size_t plane = 4 * 8;
  for (size_t i = 0; i < plane; ++i) {
    EXPECT_FLOAT_EQ(out[i], -1.0f);              // R = 0
    EXPECT_FLOAT_EQ(out[plane + i], 0.0f);       // G = 127
    EXPECT_FLOAT_EQ(out[2 * plane + i], 1.0f);   // B = 254
  }
}

TEST(RecPreprocess, PadPixelIsNormalisedLikeTheImage) {
  // MindOCR / MMOCR pad with pixel 0 before normalisation: (0 - 127) / 127 = -1.
  RecResizeParams p;
  p.mode = RecSizeMode::kPad;
  p.height = 4;
  p.nominal_width = 16;
  p.scale = 1.0;
  p.mean = {127, 127, 127};
  p.std = {127, 127, 127};
  p.pad_pixel = 0.0f;
  cv::Mat image(4, 4, CV_8UC3, cv::Scalar::all(254));
  std::vector<float> out(3 * 4 * 16);
  EXPECT_EQ(RecPreprocess(image, 16, p, out.data()), 4);
  EXPECT_FLOAT_EQ(out[0], 1.0f);
  EXPECT_FLOAT_EQ(out[15], -1.0f);
  EXPECT_FLOAT_EQ(out[2 * 64 + 63], -1.0f);
}

TEST(RecPreprocess, GreyInputWritesOnePlane) {
  RecResizeParams p;
  p.channels = 1;
  p.height = 4;
  p.nominal_width = 8;
  p.mode = RecSizeMode::kStretch;
  cv::Mat image(4, 8, CV_8UC3, cv::Scalar(255, 255, 255));
  std::vector<float> out(4 * 8 + 1, 9.0f);
  RecPreprocess(image, 8, p, out.data());
  for (int i = 0; i < 32; ++i) EXPECT_FLOAT_EQ(out[i], 1.0f);
  EXPECT_EQ(out[32], 9.0f);  // nothing past the one plane
}

TEST(CheckRecResizeParams, RejectsBadValues) {
  RecResizeParams p;
  p.channels = 2;
  EXPECT_THROW(CheckRecResizeParams(p), Error);
  p = RecResizeParams{};
  p.std[1] = 0;
  EXPECT_THROW(CheckRecResizeParams(p), Error);
  p = RecResizeParams{};
  p.width_divisor = 0;
  EXPECT_THROW(CheckRecResizeParams(p), Error);
  EXPECT_NO_THROW(CheckRecResizeParams(RecResizeParams{}));
}

}  // namespace
}  // namespace ocr::preprocess

TEST(RecRunSize, SplitsOnlyBatchesWiderThanTheBudget) {
  EXPECT_EQ(ocr::preprocess::RecRunSize(6, 320, 0), 6);       // no limit
  EXPECT_EQ(ocr::preprocess::RecRunSize(6, 320, 4096), 6);    // 1920 columns fit
  EXPECT_EQ(ocr::preprocess::RecRunSize(6, 1000, 4096), 4);   // floor(4096 / 1000)
  EXPECT_EQ(ocr::preprocess::RecRunSize(6, 5000, 4096), 1);   // one crop wider than the budget still runs
  EXPECT_EQ(ocr::preprocess::RecRunSize(3, 683, 4096), 3);    // never more than the batch
  EXPECT_EQ(ocr::preprocess::RecRunSize(0, 683, 4096), 1);
  EXPECT_EQ(ocr::preprocess::RecRunSize(6, 0, 4096), 6);
}
