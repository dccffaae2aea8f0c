// Text detection stage: image -> network input -> output maps -> regions, for
// any detector a DetectorDefinition describes (DB, PSE, PAN, EAST, FCE).
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "core/cancel.h"
#include "core/types.h"
#include "detect/db.h"
#include "pipeline/detector_definition.h"
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
  // Matches the definition's outputs to the model's (by name where the
  // definition names them, else by order and declared channel count), checks
  // the input and those outputs (rank, element type, fixed dimensions) and
  // runs the model once on a small image to check what it really produces.
  // A mismatch throws Error kModelShape naming the tensor, the expected and
  // the actual shape.
  Detector(std::shared_ptr<const runtime::Session> session, DetectorDefinition definition);

  // `resize`: the call's size policy (its `multiple` is ignored: the
  // definition's stride applies; a fixed-size definition or model ignores it).
  // `db`: the call's DB parameters; its box_type also applies to PSE, PAN and
  // FCE (the other algorithms take their parameters from the definition).
  DetectionResult Detect(const cv::Mat& bgr, const preprocess::DetResizeParams& resize,
                         const detect::DbParams& db, CancelToken* cancel) const;

  const runtime::Session& session() const { return *session_; }
  const DetectorDefinition& definition() const { return definition_; }

 private:
  void CheckInput();
  void MatchOutputs();
  void CheckDeclaredOutputs() const;
  void CheckProduced(const std::vector<runtime::Tensor>& out, cv::Size input_size, bool check_ratio) const;
  // NaN or infinity in an output: at load (a blank input) the model is broken; on a call, it is broken for that
  // image, which must fail rather than give no boxes (NaN passes no threshold).
  void CheckFinite(const std::vector<runtime::Tensor>& out, bool at_load) const;
  void WarmUp() const;
  cv::Size InputSize(cv::Size image, const preprocess::DetResizeParams& resize) const;
  void Preprocess(const cv::Mat& bgr, cv::Size input_size, std::vector<float>& out) const;
  // `cancel` reaches the post-processors whose NMS is quadratic in the proposals (EAST, FCE).
  std::vector<TextRegion> Postprocess(const std::vector<runtime::Tensor>& out, const detect::DbParams& db,
                                      cv::Size input_size, cv::Size image_size, CancelToken* cancel) const;
  int SpecIndex(DetOutputRole role, int scale = 0) const;  // -1 when absent

  std::shared_ptr<const runtime::Session> session_;
  DetectorDefinition definition_;
  std::vector<size_t> output_indices_;  // model output index of each definition output
  cv::Size fixed_input_{0, 0};          // non-zero when every input has this size
};

}  // namespace ocr::pipeline
