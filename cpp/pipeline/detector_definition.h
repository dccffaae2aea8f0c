// What a detection model is: its input normalisation and size policy, the
// layout of its outputs and the post-processing that turns them into regions.
// lib/models/detector-definitions.ts holds the built-in definitions and
// validates every value; this is the typed form the core runs on.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "detect/db.h"
#include "detect/east.h"
#include "detect/fce.h"
#include "detect/pan.h"
#include "detect/pse.h"
#include "preprocess/det_preprocess.h"

namespace ocr::pipeline {

enum class DetAlgorithm { kDb, kPse, kPan, kEast, kFce };
enum class ColorOrder { kBgr, kRgb };

// What one output tensor holds.
enum class DetOutputRole {
  kProbability,      // DB: channel 0 is the probability map (further channels ignored)
  kKernels,          // PSE: C maps, full text first, smallest kernel last (logits)
  kTextKernelEmbedding,  // PAN: text, kernel (logits), then the embedding channels
  kScore,            // EAST: 1-channel score map
  kGeometry,         // EAST: 8-channel QUAD geometry
  kClassification,   // FCE, one level: 4 logits (text bg/fg, center bg/fg)
  kRegression,       // FCE, one level: 2(2k+1) Fourier coefficients (x parts, then y)
  kClassificationRegression,  // FCE, one level: the two above in one tensor (PaddleOCR)
};

struct DetOutputSpec {
  std::string name;    // empty: matched by order and channel count
  DetOutputRole role = DetOutputRole::kProbability;
  int channels = 1;    // NCHW channel count; a [N,H,W] output counts as 1 channel
  int scale = 0;       // FCE: input pixels per map pixel of this level (8, 16, 32)
};

struct DetectorDefinition {
  std::string name = "PP-OCRv4";
  DetAlgorithm algorithm = DetAlgorithm::kDb;
  ColorOrder color_order = ColorOrder::kBgr;
  // mean/std in the model's colour order (colour_order).
  preprocess::NormalizeParams normalize;
  // Defaults of the size policy; limit side, type and max side may be
  // overridden per call, `multiple` (the stride) may not.
  preprocess::DetResizeParams resize;
  cv::Size fixed_size{0, 0};  // non-zero: every input is resized to exactly this
  std::vector<DetOutputSpec> outputs{DetOutputSpec{}};
  // Output map size / input size (1 for DB maps, 0.25 for PSE/PAN/EAST). FCE
  // levels use their own `scale` instead.
  double downsample_ratio = 1.0;
  // Post-processing defaults (DB's and the box type come from the call).
  detect::DbParams db;
  detect::PseParams pse;
  detect::PanParams pan;
  detect::EastParams east;
  detect::FceParams fce;
};

const char* AlgorithmName(DetAlgorithm algorithm);
const char* RoleName(DetOutputRole role);

}  // namespace ocr::pipeline
