// Text detection stage: image -> network input -> probability map -> regions.
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "core/cancel.h"
#include "core/types.h"
#include "detect/db.h"
#include "preprocess/det_preprocess.h"
#include "runtime/session.h"

namespace ocr::pipeline {

struct StageTimes {
  double decode_ms = 0;
  double preprocess_ms = 0;
  double inference_ms = 0;
  double postprocess_ms = 0;
};

struct DetectionResult {
  std::vector<TextRegion> regions;
  cv::Size image_size;   // the (oriented) image the regions refer to
  cv::Size input_size;   // network input size used
  StageTimes times;
};

class Detector {
 public:
  // Checks the model's inputs and outputs (rank, element type, fixed
  // dimensions) and runs it once on a small image to check what it produces.
  Detector(std::shared_ptr<const runtime::Session> session, preprocess::NormalizeParams normalize);

  DetectionResult Detect(const cv::Mat& bgr, const preprocess::DetResizeParams& resize,
                         const detect::DbParams& db, CancelToken* cancel) const;

  const runtime::Session& session() const { return *session_; }

 private:
  cv::Mat ProbabilityMap(const runtime::Tensor& output) const;
  void CheckModel() const;
  void WarmUp() const;

  std::shared_ptr<const runtime::Session> session_;
  preprocess::NormalizeParams normalize_;
  cv::Size fixed_input_{0, 0};  // non-zero when the model's spatial dims are fixed
};

}  // namespace ocr::pipeline
