// FCENet post-processing: per-level classification + Fourier maps -> text polygons.
// Reference: MMOCR 1.x mmocr/models/textdet/postprocessors/fce_postprocessor.py
// FCEPostprocessor (v1.0, 2023) and PaddleOCR ppocr/postprocess/fce_postprocess.py
// FCEPostProcess (release 2.7, 2023; itself a port of MMOCR 0.3).
#pragma once

#include <array>
#include <vector>

#include <opencv2/core.hpp>

#include "core/cancel.h"
#include "core/types.h"
#include "detect/db.h"  // BoxType

namespace ocr::detect {

// One feature level of the FCENet head, as CV_32FC1 planes of one size
// (the head's [1, 4 + 2(2k+1), H, W] output split by channel).
struct FceLevel {
  int scale = 8;                          // input pixels per map pixel (8, 16, 32)
  std::array<cv::Mat, 2> text_region;     // logits: background, text region
  std::array<cv::Mat, 2> center_region;   // logits: background, text center region
  std::vector<cv::Mat> fourier_x;         // 2k+1 planes: real parts of c_-k .. c_k
  std::vector<cv::Mat> fourier_y;         // 2k+1 planes: imaginary parts of c_-k .. c_k
};

struct FceParams {
  int fourier_degree = 5;         // k
  int num_points = 50;            // polygon points reconstructed per candidate
  float score_threshold = 0.3f;   // text mask = score > this
  float nms_threshold = 0.1f;     // polygons are suppressed when their IoU is > this
  float alpha = 1.0f;             // score = p(text)^alpha * p(center)^beta
  float beta = 1.0f;              // PaddleOCR's default; MMOCR 1.x uses 2.0
  BoxType box_type = BoxType::kPolygon;
};

// Per level: p = 2-class softmax of each logit pair, score = p_text^alpha *
// p_center^beta; mask = score > score_threshold with its holes filled (any
// background not 4-connected to the border). Each 8-connected component of
// the mask is one instance (MMOCR's RETR_TREE contours of the filled mask);
// every pixel of it with score > 0 proposes the polygon
//   z_j = scale * ((col + i row) + sum_{m=-k..k} c_m e^{2 pi i m j / n}),
// j = 0..n-1, c_m = fourier_x[m+k] + i fourier_y[m+k], coordinates truncated
// toward zero (numpy astype int32) in input pixels. Polygon NMS runs per
// instance, per level and over all levels (as in the references).
//
// Regions come best score first, scored by the proposing pixel. `polygon`
// holds the n points (kPolygon) or the quad's corners (kQuad); `quad` is
// MinAreaQuad of the polygon. All points are scaled per axis by
// dest/input_size, rounded half to even and clamped to [0, dest - 1]
// (ScaleAndClamp; the references neither round nor clamp).
//
// Non-finite logits give a score of 0; a pixel whose coefficients are
// non-finite or put a point beyond +-2^24 px proposes nothing. No levels, or
// a level whose maps are all empty, gives nothing from it. Throws ocr::Error:
// kInternal for a plane that is not CV_32FC1 (a pipeline bug); kModelShape for
// planes of different sizes in one level, a missing plane, or fourier_x /
// fourier_y not holding 2k+1 planes; kInvalidOption for fourier_degree < 1,
// num_points < 2k+1, non-finite thresholds, nms_threshold outside [0, 1],
// alpha or beta non-finite or < 0, a level scale < 1, or a non-positive
// input_size or dest_size; kAborted when `cancel` (optional) is cancelled
// during its NMS (quadratic in the proposals).
std::vector<TextRegion> FcePostprocess(const std::vector<FceLevel>& levels, const FceParams& params,
                                       cv::Size input_size, cv::Size dest_size,
                                       const CancelToken* cancel = nullptr);

}  // namespace ocr::detect
