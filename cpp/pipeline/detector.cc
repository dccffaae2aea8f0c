#include "pipeline/detector.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/finite.h"
#include "core/stopwatch.h"

namespace ocr::pipeline {
namespace {

using runtime::ShapeText;

// The shape a definition output expects, for messages: [N,C,H,W] with C filled in.
std::string ExpectedShape(const DetOutputSpec& spec, const std::string& batch = "N", const std::string& h = "H",
                          const std::string& w = "W") {
  return "[" + batch + "," + std::to_string(spec.channels) + "," + h + "," + w + "]";
}

// Channel count a declared or produced shape holds (-1: unknown / not a map).
int64_t Channels(const std::vector<int64_t>& shape) {
  if (shape.size() == 4) return shape[1];
  if (shape.size() == 3) return 1;
  return -1;
}

// A view of channel `c` of a [1,C,H,W] (or [1,H,W]) float tensor: no copy.
cv::Mat Plane(const runtime::Tensor& t, int c) {
  const auto& s = t.shape;
  const int h = int(s[s.size() - 2]), w = int(s[s.size() - 1]);
  return cv::Mat(h, w, CV_32FC1, const_cast<float*>(t.data()) + size_t(c) * size_t(h) * size_t(w));
}

std::vector<cv::Mat> Planes(const runtime::Tensor& t, int first, int count) {
  std::vector<cv::Mat> planes;
  planes.reserve(size_t(count));
  for (int c = first; c < first + count; ++c) planes.push_back(Plane(t, c));
  return planes;
}

cv::Size MapSize(const runtime::Tensor& t) {
  const auto& s = t.shape;
  return {int(s[s.size() - 1]), int(s[s.size() - 2])};
}

}  // namespace

const char* AlgorithmName(DetAlgorithm algorithm) {
  switch (algorithm) {
    case DetAlgorithm::kDb: return "DB";
    case DetAlgorithm::kPse: return "PSE";
    case DetAlgorithm::kPan: return "PAN";
    case DetAlgorithm::kEast: return "EAST";
    case DetAlgorithm::kFce: return "FCE";
  }
  return "?";
}

const char* RoleName(DetOutputRole role) {
  switch (role) {
    case DetOutputRole::kProbability: return "probability";
    case DetOutputRole::kKernels: return "kernels";
    case DetOutputRole::kTextKernelEmbedding: return "text-kernel-embedding";
    case DetOutputRole::kScore: return "score";
    case DetOutputRole::kGeometry: return "geometry";
    case DetOutputRole::kClassification: return "classification";
    case DetOutputRole::kRegression: return "regression";
    case DetOutputRole::kClassificationRegression: return "classification-regression";
  }
  return "?";
}

// The binding reads whatever a caller sends: refuse a definition whose outputs
// do not fit its algorithm (lib/ validates the same with friendlier paths).
static void ValidateDefinition(const DetectorDefinition& d) {
  auto fail = [&d](const std::string& what) {
    throw Error(ErrorCode::kInvalidOption, "detector definition '" + d.name + "' (" + AlgorithmName(d.algorithm) +
                                               "): " + what);
  };
  if (!(d.downsample_ratio > 0) || !std::isfinite(d.downsample_ratio)) fail("downsampleRatio must be > 0");
  if (d.resize.multiple < 1) fail("size.stride must be >= 1");
  if (!(d.normalize.scale > 0)) fail("input.scale must be > 0");
  for (float s : d.normalize.std) {
    if (!(s > 0)) fail("input.std values must be > 0");
  }
  auto count = [&d](DetOutputRole role) {
    return std::count_if(d.outputs.begin(), d.outputs.end(), [role](const auto& o) { return o.role == role; });
  };
  auto single = [&](DetOutputRole role, int min_channels) {
    if (d.outputs.size() != 1 || d.outputs[0].role != role || d.outputs[0].channels < min_channels) {
      fail(std::string("expects one '") + RoleName(role) + "' output of >= " + std::to_string(min_channels) +
           " channels");
    }
  };
  switch (d.algorithm) {
    case DetAlgorithm::kDb: single(DetOutputRole::kProbability, 1); break;
    case DetAlgorithm::kPse: single(DetOutputRole::kKernels, 1); break;
    case DetAlgorithm::kPan: single(DetOutputRole::kTextKernelEmbedding, 3); break;
    case DetAlgorithm::kEast:
      if (d.outputs.size() != 2 || count(DetOutputRole::kScore) != 1 || count(DetOutputRole::kGeometry) != 1) {
        fail("expects a 'score' and a 'geometry' output");
      }
      for (const auto& o : d.outputs) {
        if (o.channels != (o.role == DetOutputRole::kScore ? 1 : 8)) fail("score has 1 channel, geometry 8");
      }
      break;
    case DetAlgorithm::kFce: {
      const int n = 2 * d.fce.fourier_degree + 1;
      if (d.fce.fourier_degree < 1) fail("fourierDegree must be >= 1");
      int levels = 0;
      for (const auto& o : d.outputs) {
        if (o.scale < 1) fail("every FCE output needs a scale >= 1");
        auto same = [&](DetOutputRole role) {
          return std::count_if(d.outputs.begin(), d.outputs.end(),
                               [&](const auto& x) { return x.role == role && x.scale == o.scale; });
        };
        if (o.role == DetOutputRole::kClassification) {
          ++levels;
          if (o.channels != 4 || same(DetOutputRole::kClassification) != 1 || same(DetOutputRole::kRegression) != 1 ||
              same(DetOutputRole::kClassificationRegression) != 0) {
            fail("each level needs one 4-channel 'classification' and one 'regression' output");
          }
        } else if (o.role == DetOutputRole::kRegression) {
          if (o.channels != 2 * n || same(DetOutputRole::kClassification) != 1) {
            fail("a 'regression' output has 2(2k+1) channels and a 'classification' output of its scale");
          }
        } else if (o.role == DetOutputRole::kClassificationRegression) {
          ++levels;
          if (o.channels != 4 + 2 * n || same(DetOutputRole::kClassificationRegression) != 1 ||
              same(DetOutputRole::kClassification) != 0) {
            fail("a 'classification-regression' output has 4 + 2(2k+1) channels, one per scale");
          }
        } else {
          fail(std::string("an FCE output cannot have the role '") + RoleName(o.role) + "'");
        }
      }
      if (levels == 0) fail("expects at least one level");
      break;
    }
  }
}

Detector::Detector(std::shared_ptr<const runtime::Session> session, DetectorDefinition definition)
    : session_(std::move(session)), definition_(std::move(definition)) {
  ValidateDefinition(definition_);
  CheckInput();
  MatchOutputs();
  CheckDeclaredOutputs();
  WarmUp();
}

void Detector::CheckInput() {
  const auto& inputs = session_->inputs();
  if (inputs.size() != 1) {
    throw Error(ErrorCode::kModelShape, "a detection model needs exactly 1 input; got " +
                                            std::to_string(inputs.size()) + " inputs");
  }
  const auto& in = inputs[0];
  if (in.type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT || in.shape.size() != 4 ||
      (in.shape[1] > 0 && in.shape[1] != 3) || in.shape[0] > 1) {
    throw Error(ErrorCode::kModelShape, "detection input '" + in.name + "': expected float [N,3,H,W], got " +
                                            runtime::ElementTypeName(in.type) + " " + ShapeText(in.shape));
  }
  const cv::Size model_fixed = in.shape[2] > 0 && in.shape[3] > 0 ? cv::Size(int(in.shape[3]), int(in.shape[2]))
                                                                  : cv::Size(0, 0);
  const cv::Size def_fixed = definition_.fixed_size;
  if (def_fixed.area() == 0 && (in.shape[2] > 0) != (in.shape[3] > 0)) {
    // Images are resized to sizes of their own (a multiple of the stride): one fixed side would fail every call.
    throw Error(ErrorCode::kModelShape, "detection input '" + in.name + "' " + ShapeText(in.shape) + " fixes its " +
                                            (in.shape[2] > 0 ? "height" : "width") +
                                            " only: export it with both sides dynamic, or both fixed (or give the "
                                            "definition a size.fixed)");
  }
  if (def_fixed.area() > 0) {
    const bool h_ok = in.shape[2] <= 0 || in.shape[2] == def_fixed.height;
    const bool w_ok = in.shape[3] <= 0 || in.shape[3] == def_fixed.width;
    if (!h_ok || !w_ok) {
      throw Error(ErrorCode::kModelShape, "detection input '" + in.name + "': expected [N,3," +
                                              std::to_string(def_fixed.height) + "," +
                                              std::to_string(def_fixed.width) + "] (size.fixed), got " +
                                              ShapeText(in.shape));
    }
    fixed_input_ = def_fixed;
  } else {
    fixed_input_ = model_fixed;  // a model with fixed spatial dims gets exactly those
  }
}

// Named definition outputs are found by name; the others take, in order, the
// first unclaimed model output whose declared channel count equals theirs, else
// the first whose channel count is not declared, else the first unclaimed one
// (which then fails the shape check with a clear message).
void Detector::MatchOutputs() {
  const auto& outputs = session_->outputs();
  std::vector<bool> claimed(outputs.size(), false);
  output_indices_.assign(definition_.outputs.size(), outputs.size());
  auto names = [&outputs] {
    std::string s;
    for (const auto& o : outputs) s += (s.empty() ? "'" : ", '") + o.name + "' " + ShapeText(o.shape);
    return s;
  };
  for (size_t i = 0; i < definition_.outputs.size(); ++i) {
    const auto& spec = definition_.outputs[i];
    if (spec.name.empty()) continue;
    auto it = std::find_if(outputs.begin(), outputs.end(), [&](const auto& o) { return o.name == spec.name; });
    if (it == outputs.end()) {
      throw Error(ErrorCode::kModelShape, "detection output '" + spec.name + "' (" + RoleName(spec.role) +
                                              ") not found; the model's outputs: " + names());
    }
    const size_t index = size_t(it - outputs.begin());
    if (claimed[index]) {
      throw Error(ErrorCode::kInvalidOption, "detector definition names output '" + spec.name + "' twice");
    }
    claimed[index] = true;
    output_indices_[i] = index;
  }
  for (size_t i = 0; i < definition_.outputs.size(); ++i) {
    const auto& spec = definition_.outputs[i];
    if (!spec.name.empty()) continue;
    size_t pick = outputs.size();
    for (int pass = 0; pass < 3 && pick == outputs.size(); ++pass) {
      for (size_t k = 0; k < outputs.size(); ++k) {
        if (claimed[k]) continue;
        const int64_t c = Channels(outputs[k].shape);
        if ((pass == 0 && c == spec.channels) || (pass == 1 && c < 0) || pass == 2) {
          pick = k;
          break;
        }
      }
    }
    if (pick == outputs.size()) {
      throw Error(ErrorCode::kModelShape, "the " + std::string(AlgorithmName(definition_.algorithm)) +
                                              " definition expects " + std::to_string(definition_.outputs.size()) +
                                              " outputs; the model has " + std::to_string(outputs.size()) + ": " +
                                              names());
    }
    claimed[pick] = true;
    output_indices_[i] = pick;
  }
}

void Detector::CheckDeclaredOutputs() const {
  const auto& outputs = session_->outputs();
  for (size_t i = 0; i < definition_.outputs.size(); ++i) {
    const auto& spec = definition_.outputs[i];
    const auto& out = outputs[output_indices_[i]];
    const auto& s = out.shape;
    // No rank declared (some exports, or shapes ONNX Runtime cannot infer after a rewrite): the warm-up's
    // output decides.
    if (s.empty() && out.type == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) continue;
    const bool rank_ok = s.size() == 4 || (s.size() == 3 && spec.channels == 1);
    const bool ok = out.type == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT && rank_ok && s[0] <= 1 &&
                    (s.size() == 3 || s[1] < 0 || s[1] == spec.channels);
    if (!ok) {
      throw Error(ErrorCode::kModelShape, "detection output '" + out.name + "' (" + RoleName(spec.role) + "): expected " +
                                              std::string(out.type == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT ? "" : "float ") +
                                              ExpectedShape(spec) + ", got " +
                                              (out.type == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT ? "" : "a non-float ") +
                                              ShapeText(s));
    }
  }
}

// Checks what a run produced against the definition. `check_ratio`: also the
// map size against the input size (downsample ratio, FCE level scale; +-1).
void Detector::CheckProduced(const std::vector<runtime::Tensor>& out, cv::Size input_size, bool check_ratio) const {
  const auto& outputs = session_->outputs();
  for (size_t i = 0; i < out.size(); ++i) {
    const auto& spec = definition_.outputs[i];
    const auto& s = out[i].shape;
    const std::string& name = outputs[output_indices_[i]].name;
    const bool ok = ((s.size() == 4 && s[1] == spec.channels) || (s.size() == 3 && spec.channels == 1)) &&
                    s[0] == 1 && s[s.size() - 1] > 0 && s[s.size() - 2] > 0;
    bool size_ok = true;
    std::string h = "H", w = "W";
    if (ok && check_ratio) {
      const double ratio = definition_.algorithm == DetAlgorithm::kFce ? 1.0 / spec.scale : definition_.downsample_ratio;
      const double eh = input_size.height * ratio, ew = input_size.width * ratio;
      const cv::Size got = MapSize(out[i]);
      size_ok = std::abs(got.height - eh) <= 1.0 && std::abs(got.width - ew) <= 1.0;
      h = std::to_string(int(std::lround(eh)));
      w = std::to_string(int(std::lround(ew)));
    }
    if (!ok || !size_ok) {
      std::string message = "detection output '" + name + "' (" + RoleName(spec.role) + "): expected " +
                            ExpectedShape(spec, "1", h, w) + ", got " + ShapeText(s);
      if (!size_ok) {
        message += " for a " + std::to_string(input_size.height) + "x" + std::to_string(input_size.width) +
                   " input (" + (definition_.algorithm == DetAlgorithm::kFce ? "scale " + std::to_string(spec.scale)
                                                                             : "downsampleRatio " +
                                                                                   std::to_string(definition_.downsample_ratio)) +
                   ")";
      }
      throw Error(ErrorCode::kModelShape, message);
    }
  }
  // Maps post-processed together must have one size.
  auto same_size = [&](int a, int b) {
    if (a < 0 || b < 0 || MapSize(out[size_t(a)]) == MapSize(out[size_t(b)])) return;
    throw Error(ErrorCode::kModelShape, "detection outputs '" + outputs[output_indices_[size_t(a)]].name + "' " +
                                            ShapeText(out[size_t(a)].shape) + " and '" +
                                            outputs[output_indices_[size_t(b)]].name + "' " +
                                            ShapeText(out[size_t(b)].shape) + " must have the same height and width");
  };
  if (definition_.algorithm == DetAlgorithm::kEast) {
    same_size(SpecIndex(DetOutputRole::kScore), SpecIndex(DetOutputRole::kGeometry));
  } else if (definition_.algorithm == DetAlgorithm::kFce) {
    for (const auto& spec : definition_.outputs) {
      same_size(SpecIndex(DetOutputRole::kClassification, spec.scale), SpecIndex(DetOutputRole::kRegression, spec.scale));
    }
  }
}

void Detector::WarmUp() const {
  // Declared shapes can be wrong in old exports: check what the model produces.
  const cv::Size size = fixed_input_.area() > 0 ? fixed_input_ : cv::Size(64, 64);
  std::vector<float> input(3 * size_t(size.area()), 0.0f);
  const std::vector<int64_t> shape = {1, 3, size.height, size.width};
  const auto out = runtime::RunAtLoad("detection", shape, definition_.name + " definition",
                                      [&] { return session_->Run(input.data(), shape, output_indices_, nullptr); });
  CheckProduced(out, size, true);
  CheckFinite(out, true);
}

void Detector::CheckFinite(const std::vector<runtime::Tensor>& out, bool at_load) const {
  for (size_t i = 0; i < out.size(); ++i) {
    if (AllFinite(out[i].data(), out[i].size())) continue;
    const std::string& name = session_->outputs()[output_indices_[i]].name;
    if (at_load) throw Error(ErrorCode::kModelLoad, NonFiniteMessage("detection", name, "for a blank input", "the model is broken"));
    throw Error(ErrorCode::kRuntime,
                NonFiniteMessage("detection", name, "for this image", "the model failed on it (no boxes can be read)"));
  }
}

int Detector::SpecIndex(DetOutputRole role, int scale) const {
  for (size_t i = 0; i < definition_.outputs.size(); ++i) {
    const auto& spec = definition_.outputs[i];
    if (spec.role == role && (scale == 0 || spec.scale == scale)) return int(i);
  }
  return -1;
}

cv::Size Detector::InputSize(cv::Size image, const preprocess::DetResizeParams& resize) const {
  if (fixed_input_.area() > 0) return fixed_input_;
  preprocess::DetResizeParams params = resize;
  params.multiple = definition_.resize.multiple;
  return preprocess::DetInputSize(image, params);
}

void Detector::Preprocess(const cv::Mat& bgr, cv::Size input_size, std::vector<float>& out) const {
  if (definition_.color_order == ColorOrder::kBgr) {
    preprocess::DetPreprocess(bgr, input_size, definition_.normalize, out);
    return;
  }
  // RGB: normalise the BGR planes with the mean/std reversed, then swap planes
  // 0 and 2 (no copy of the image).
  preprocess::NormalizeParams reversed = definition_.normalize;
  std::reverse(reversed.mean.begin(), reversed.mean.end());
  std::reverse(reversed.std.begin(), reversed.std.end());
  preprocess::DetPreprocess(bgr, input_size, reversed, out);
  const size_t plane = size_t(input_size.area());
  std::swap_ranges(out.begin(), out.begin() + std::ptrdiff_t(plane), out.begin() + std::ptrdiff_t(2 * plane));
}

std::vector<TextRegion> Detector::Postprocess(const std::vector<runtime::Tensor>& out, const detect::DbParams& db,
                                              cv::Size input_size, cv::Size image_size, CancelToken* cancel) const {
  const DetectorDefinition& d = definition_;
  switch (d.algorithm) {
    case DetAlgorithm::kDb:
      return detect::DbPostprocess(Plane(out[0], 0), db, image_size);
    case DetAlgorithm::kPse: {
      detect::PseParams params = d.pse;
      params.box_type = db.box_type;
      return detect::PsePostprocess(Planes(out[0], 0, d.outputs[0].channels), params, image_size);
    }
    case DetAlgorithm::kPan: {
      detect::PanParams params = d.pan;
      params.box_type = db.box_type;
      return detect::PanPostprocess(Planes(out[0], 0, d.outputs[0].channels), params, image_size);
    }
    case DetAlgorithm::kEast: {
      const auto& score = out[size_t(SpecIndex(DetOutputRole::kScore))];
      const auto& geometry = out[size_t(SpecIndex(DetOutputRole::kGeometry))];
      return detect::EastPostprocess(Plane(score, 0), Planes(geometry, 0, 8), d.east, input_size, image_size, cancel);
    }
    case DetAlgorithm::kFce: {
      detect::FceParams params = d.fce;
      params.box_type = db.box_type;
      const int n = 2 * params.fourier_degree + 1;
      std::vector<detect::FceLevel> levels;
      for (size_t i = 0; i < d.outputs.size(); ++i) {
        const auto& spec = d.outputs[i];
        int cls = -1, reg = -1, first_reg = 0;
        if (spec.role == DetOutputRole::kClassificationRegression) {
          cls = reg = int(i);
          first_reg = 4;
        } else if (spec.role == DetOutputRole::kClassification) {
          cls = int(i);
          reg = SpecIndex(DetOutputRole::kRegression, spec.scale);
        } else {
          continue;
        }
        detect::FceLevel level;
        level.scale = spec.scale;
        const auto& c = out[size_t(cls)];
        const auto& r = out[size_t(reg)];
        level.text_region = {Plane(c, 0), Plane(c, 1)};
        level.center_region = {Plane(c, 2), Plane(c, 3)};
        level.fourier_x = Planes(r, first_reg, n);
        level.fourier_y = Planes(r, first_reg + n, n);
        levels.push_back(std::move(level));
      }
      return detect::FcePostprocess(levels, params, input_size, image_size, cancel);
    }
  }
  throw Error(ErrorCode::kInternal, "unknown detection algorithm");
}

DetectionResult Detector::Detect(const cv::Mat& bgr, const preprocess::DetResizeParams& resize,
                                 const detect::DbParams& db, CancelToken* cancel) const {
  DetectionResult result;
  result.image_size = bgr.size();
  auto start = Clock::now();
  result.input_size = InputSize(bgr.size(), resize);
  std::vector<float> input;
  Preprocess(bgr, result.input_size, input);
  result.times.preprocess_ms = MsSince(start);
  if (cancel) cancel->ThrowIfCancelled();

  start = Clock::now();
  const auto out = session_->Run(input.data(), {1, 3, result.input_size.height, result.input_size.width},
                                 output_indices_, cancel);
  result.times.inference_ms = MsSince(start);
  if (cancel) cancel->ThrowIfCancelled();

  start = Clock::now();
  // The size too: a model whose map is transposed, or always one size, passes a square warm-up.
  CheckProduced(out, result.input_size, true);
  CheckFinite(out, false);
  result.regions = Postprocess(out, db, result.input_size, bgr.size(), cancel);
  result.times.postprocess_ms = MsSince(start);
  return result;
}

}  // namespace ocr::pipeline
