// Document orientation stage: classifies a whole page as turned 0/90/180/270
// degrees (a generic image classifier whose labels are angles).
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "classify/page_orientation.h"
#include "core/cancel.h"
#include "runtime/session.h"

namespace ocr::pipeline {

struct PageOrientation {
  int angle = 0;       // the page as given is the upright page turned this many degrees clockwise
  float score = 0.0f;  // the winning class's probability
};

struct PageClassifierDefinition {
  classify::PageClsParams input;
  std::vector<int> angles{0, 90, 180, 270};  // one per output class, in order
  bool logits = false;                       // the output is raw scores: softmax first
};

class PageClassifier {
 public:
  // Checks the model (one float [N,3,H,W] input; fixed H and W override the
  // definition's size) and its [N, classes] output with one warm-up run.
  PageClassifier(std::shared_ptr<const runtime::Session> session, PageClassifierDefinition definition);

  PageOrientation Classify(const cv::Mat& page, CancelToken* cancel, double* inference_ms) const;

 private:
  std::shared_ptr<const runtime::Session> session_;
  PageClassifierDefinition definition_;
};

}  // namespace ocr::pipeline
