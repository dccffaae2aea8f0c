// Text-line orientation stage: flips crops classified as upside down.
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "classify/line_orientation.h"
#include "core/cancel.h"
#include "runtime/session.h"

namespace ocr::pipeline {

class LineClassifier {
 public:
  // Checks the model ([N,3,48,192] in, [N,2] out) with one warm-up run.
  LineClassifier(std::shared_ptr<const runtime::Session> session, classify::ClsParams params);

  // Classifies `crops` in batches of `batch_size`; rotates by 180 degrees, in
  // place, each crop whose "180" score exceeds `threshold`. Returns the angle
  // (0 or 180) applied to each crop.
  std::vector<int> Apply(std::vector<cv::Mat>& crops, int batch_size, float threshold, CancelToken* cancel,
                         double* inference_ms) const;

 private:
  std::shared_ptr<const runtime::Session> session_;
  classify::ClsParams params_;
};

}  // namespace ocr::pipeline
