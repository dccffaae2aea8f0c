#include "binding/convert.h"

#include <cmath>

#include "binding/errors.h"

namespace ocrkit {
namespace {

Napi::Value Field(const Napi::Object& obj, const char* key, const char* path) {
  Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) ThrowInvalid(obj.Env(), std::string(path) + "." + key + " is required");
  return v;
}

double Number(const Napi::Object& obj, const char* key, const char* path) {
  Napi::Value v = Field(obj, key, path);
  if (!v.IsNumber() || !std::isfinite(v.As<Napi::Number>().DoubleValue())) {
    ThrowInvalid(obj.Env(), std::string(path) + "." + key + " must be a finite number");
  }
  return v.As<Napi::Number>().DoubleValue();
}

int Int(const Napi::Object& obj, const char* key, const char* path, int min, int max) {
  double d = Number(obj, key, path);
  if (d != std::floor(d) || d < min || d > max) {
    ThrowInvalid(obj.Env(), std::string(path) + "." + key + " must be an integer in [" + std::to_string(min) +
                                ", " + std::to_string(max) + "]");
  }
  return static_cast<int>(d);
}

bool Bool(const Napi::Object& obj, const char* key, const char* path) {
  Napi::Value v = Field(obj, key, path);
  if (!v.IsBoolean()) ThrowInvalid(obj.Env(), std::string(path) + "." + key + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

std::string String(const Napi::Object& obj, const char* key, const char* path) {
  Napi::Value v = Field(obj, key, path);
  if (!v.IsString()) ThrowInvalid(obj.Env(), std::string(path) + "." + key + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

Napi::Object Object(const Napi::Object& obj, const char* key, const char* path) {
  Napi::Value v = Field(obj, key, path);
  if (!v.IsObject()) ThrowInvalid(obj.Env(), std::string(path) + "." + key + " must be an object");
  return v.As<Napi::Object>();
}

std::array<float, 3> Triple(const Napi::Object& obj, const char* key, const char* path) {
  Napi::Value v = Field(obj, key, path);
  if (!v.IsArray() || v.As<Napi::Array>().Length() != 3) {
    ThrowInvalid(obj.Env(), std::string(path) + "." + key + " must be an array of 3 numbers");
  }
  Napi::Array a = v.As<Napi::Array>();
  std::array<float, 3> out{};
  for (uint32_t i = 0; i < 3; ++i) {
    Napi::Value e = a.Get(i);
    if (!e.IsNumber()) ThrowInvalid(obj.Env(), std::string(path) + "." + key + " must be an array of 3 numbers");
    out[i] = e.As<Napi::Number>().FloatValue();
  }
  return out;
}

ocr::runtime::ProviderKind ProviderKindOf(Napi::Env env, const std::string& name) {
  using ocr::runtime::ProviderKind;
  if (name == "cpu") return ProviderKind::kCpu;
  if (name == "cuda") return ProviderKind::kCuda;
  if (name == "tensorrt") return ProviderKind::kTensorRt;
  if (name == "cann") return ProviderKind::kCann;
  if (name == "openvino") return ProviderKind::kOpenVino;
  ThrowInvalid(env, "unknown execution provider '" + name + "'");
}

ocr::runtime::SessionConfig ReadSession(const Napi::Object& s) {
  ocr::runtime::SessionConfig config;
  config.intra_op_threads = Int(s, "intraOpThreads", "session", 0, 1024);
  config.allow_spinning = Bool(s, "allowSpinning", "session");
  config.graph_rewrites = Bool(s, "graphRewrites", "session");
  config.allow_cpu_fallback = Bool(s, "allowCpuFallback", "session");
  config.cpu_memory_arena = Bool(s, "memoryArena", "session");
  Napi::Value list = Field(s, "providers", "session");
  if (!list.IsArray()) ThrowInvalid(s.Env(), "session.providers must be an array");
  Napi::Array providers = list.As<Napi::Array>();
  for (uint32_t i = 0; i < providers.Length(); ++i) {
    Napi::Value entry = providers.Get(i);
    if (!entry.IsObject()) ThrowInvalid(s.Env(), "session.providers[" + std::to_string(i) + "] must be an object");
    Napi::Object p = entry.As<Napi::Object>();
    ocr::runtime::ProviderSpec spec;
    spec.kind = ProviderKindOf(s.Env(), String(p, "name", "session.providers[]"));
    Napi::Object options = Object(p, "options", "session.providers[]");
    Napi::Array keys = options.GetPropertyNames();
    for (uint32_t k = 0; k < keys.Length(); ++k) {
      std::string key = keys.Get(k).ToString().Utf8Value();
      spec.options.emplace_back(key, options.Get(key).ToString().Utf8Value());
    }
    config.providers.push_back(std::move(spec));
  }
  return config;
}


Napi::Array ArrayField(const Napi::Object& obj, const char* key, const std::string& path) {
  Napi::Value v = obj.Get(key);
  if (!v.IsArray()) ThrowInvalid(obj.Env(), path + "." + key + " must be an array");
  return v.As<Napi::Array>();
}

ocr::detect::BoxType BoxTypeOf(const Napi::Object& p, const std::string& path) {
  const std::string box = String(p, "boxType", path.c_str());
  if (box != "quad" && box != "polygon") ThrowInvalid(p.Env(), path + ".boxType must be 'quad' or 'polygon'");
  return box == "quad" ? ocr::detect::BoxType::kQuad : ocr::detect::BoxType::kPolygon;
}

ocr::pipeline::DetOutputRole RoleOf(Napi::Env env, const std::string& role, const std::string& path) {
  using ocr::pipeline::DetOutputRole;
  for (DetOutputRole r : {DetOutputRole::kProbability, DetOutputRole::kKernels, DetOutputRole::kTextKernelEmbedding,
                          DetOutputRole::kScore, DetOutputRole::kGeometry, DetOutputRole::kClassification,
                          DetOutputRole::kRegression, DetOutputRole::kClassificationRegression}) {
    if (role == ocr::pipeline::RoleName(r)) return r;
  }
  ThrowInvalid(env, path + ".role: unknown role '" + role + "'");
}

void ReadPostprocessParams(const Napi::Object& p, const std::string& path, ocr::pipeline::DetectorDefinition& d) {
  using ocr::pipeline::DetAlgorithm;
  const char* at = path.c_str();
  switch (d.algorithm) {
    case DetAlgorithm::kDb:
      d.db.box_type = BoxTypeOf(p, path);  // the rest comes with each call
      break;
    case DetAlgorithm::kPse:
      d.pse.apply_sigmoid = Bool(p, "applySigmoid", at);
      d.pse.min_kernel_confidence = static_cast<float>(Number(p, "minKernelConfidence", at));
      d.pse.score_threshold = static_cast<float>(Number(p, "scoreThreshold", at));
      d.pse.min_kernel_area = Int(p, "minKernelArea", at, 0, 1 << 30);
      d.pse.min_text_area = Int(p, "minTextArea", at, 0, 1 << 30);
      d.pse.epsilon_ratio = static_cast<float>(Number(p, "epsilonRatio", at));
      d.pse.box_type = BoxTypeOf(p, path);
      break;
    case DetAlgorithm::kPan:
      d.pan.apply_sigmoid = Bool(p, "applySigmoid", at);
      d.pan.min_text_confidence = static_cast<float>(Number(p, "minTextConfidence", at));
      d.pan.min_kernel_confidence = static_cast<float>(Number(p, "minKernelConfidence", at));
      d.pan.distance_threshold = static_cast<float>(Number(p, "distanceThreshold", at));
      d.pan.min_kernel_area = Int(p, "minKernelArea", at, 0, 1 << 30);
      d.pan.score_threshold = static_cast<float>(Number(p, "scoreThreshold", at));
      d.pan.min_text_area = Int(p, "minTextArea", at, 0, 1 << 30);
      d.pan.epsilon_ratio = static_cast<float>(Number(p, "epsilonRatio", at));
      d.pan.box_type = BoxTypeOf(p, path);
      break;
    case DetAlgorithm::kEast:
      d.east.score_threshold = static_cast<float>(Number(p, "scoreThreshold", at));
      d.east.cover_threshold = static_cast<float>(Number(p, "coverThreshold", at));
      d.east.nms_threshold = static_cast<float>(Number(p, "nmsThreshold", at));
      d.east.stride = Int(p, "stride", at, 1, 1024);
      d.east.min_edge = static_cast<float>(Number(p, "minEdge", at));
      break;
    case DetAlgorithm::kFce:
      d.fce.fourier_degree = Int(p, "fourierDegree", at, 1, 64);
      d.fce.num_points = Int(p, "numPoints", at, 3, 100000);
      d.fce.score_threshold = static_cast<float>(Number(p, "scoreThreshold", at));
      d.fce.nms_threshold = static_cast<float>(Number(p, "nmsThreshold", at));
      d.fce.alpha = static_cast<float>(Number(p, "alpha", at));
      d.fce.beta = static_cast<float>(Number(p, "beta", at));
      d.fce.box_type = BoxTypeOf(p, path);
      break;
  }
}

// The resolved definition lib/models/detector-definitions.ts produces.
ocr::pipeline::DetectorDefinition ReadDetectorDefinition(const Napi::Object& o) {
  using ocr::pipeline::DetAlgorithm;
  Napi::Env env = o.Env();
  const std::string path = "detector.definition";
  ocr::pipeline::DetectorDefinition d;
  d.name = String(o, "name", path.c_str());
  Napi::Object post = Object(o, "postprocess", path.c_str());
  const std::string algorithm = String(post, "algorithm", (path + ".postprocess").c_str());
  if (algorithm == "DB") d.algorithm = DetAlgorithm::kDb;
  else if (algorithm == "PSE") d.algorithm = DetAlgorithm::kPse;
  else if (algorithm == "PAN") d.algorithm = DetAlgorithm::kPan;
  else if (algorithm == "EAST") d.algorithm = DetAlgorithm::kEast;
  else if (algorithm == "FCE") d.algorithm = DetAlgorithm::kFce;
  else ThrowInvalid(env, path + ".postprocess.algorithm: unknown algorithm '" + algorithm + "'");
  ReadPostprocessParams(Object(post, "params", (path + ".postprocess").c_str()), path + ".postprocess.params", d);

  const std::string in_path = path + ".input";
  Napi::Object input = Object(o, "input", path.c_str());
  const std::string order = String(input, "colorOrder", in_path.c_str());
  if (order != "bgr" && order != "rgb") ThrowInvalid(env, in_path + ".colorOrder must be 'bgr' or 'rgb'");
  d.color_order = order == "bgr" ? ocr::pipeline::ColorOrder::kBgr : ocr::pipeline::ColorOrder::kRgb;
  d.normalize.mean = Triple(input, "mean", in_path.c_str());
  d.normalize.std = Triple(input, "std", in_path.c_str());
  d.normalize.scale = static_cast<float>(Number(input, "scale", in_path.c_str()));

  const std::string size_path = path + ".size";
  Napi::Object size = Object(o, "size", path.c_str());
  d.resize.limit_side_length = Int(size, "limitSideLength", size_path.c_str(), 32, 16384);
  const std::string limit_type = String(size, "limitType", size_path.c_str());
  if (limit_type != "max" && limit_type != "min") ThrowInvalid(env, size_path + ".limitType must be 'max' or 'min'");
  d.resize.limit_type = limit_type == "max" ? ocr::preprocess::LimitType::kMax : ocr::preprocess::LimitType::kMin;
  d.resize.max_side_length = Int(size, "maxSideLength", size_path.c_str(), 32, 16384);
  d.resize.multiple = Int(size, "stride", size_path.c_str(), 1, 1024);
  if (!size.Get("fixed").IsUndefined()) {
    Napi::Array fixed = ArrayField(size, "fixed", size_path);
    if (fixed.Length() != 2 || !fixed.Get(0u).IsNumber() || !fixed.Get(1u).IsNumber()) {
      ThrowInvalid(env, size_path + ".fixed must be [height, width]");
    }
    const int h = fixed.Get(0u).As<Napi::Number>().Int32Value(), w = fixed.Get(1u).As<Napi::Number>().Int32Value();
    if (h < 1 || w < 1 || h > 16384 || w > 16384) ThrowInvalid(env, size_path + ".fixed must hold sides in [1, 16384]");
    d.fixed_size = cv::Size(w, h);
  }

  d.outputs.clear();
  Napi::Array outputs = ArrayField(o, "outputs", path);
  for (uint32_t i = 0; i < outputs.Length(); ++i) {
    const std::string out_path = path + ".outputs[" + std::to_string(i) + "]";
    if (!outputs.Get(i).IsObject()) ThrowInvalid(env, out_path + " must be an object");
    Napi::Object out = outputs.Get(i).As<Napi::Object>();
    ocr::pipeline::DetOutputSpec spec;
    if (!out.Get("name").IsUndefined()) spec.name = String(out, "name", out_path.c_str());
    if (String(out, "layout", out_path.c_str()) != "NCHW") ThrowInvalid(env, out_path + ".layout must be 'NCHW'");
    spec.role = RoleOf(env, String(out, "role", out_path.c_str()), out_path);
    spec.channels = Int(out, "channels", out_path.c_str(), 1, 4096);
    if (!out.Get("scale").IsUndefined()) spec.scale = Int(out, "scale", out_path.c_str(), 1, 1024);
    d.outputs.push_back(std::move(spec));
  }
  d.downsample_ratio = Number(o, "downsampleRatio", path.c_str());
  return d;
}
// One of `names` (whose index is returned) at `path`.
int Choice(const Napi::Object& o, const char* key, const std::string& path, std::initializer_list<const char*> names) {
  const std::string value = String(o, key, path.c_str());
  int i = 0;
  std::string known;
  for (const char* name : names) {
    if (value == name) return i;
    known += std::string(i ? ", " : "") + "'" + name + "'";
    ++i;
  }
  ThrowInvalid(o.Env(), path + "." + key + " must be one of " + known);
}

// The resolved definition lib/models/recognizer-definitions.ts produces.
ocr::pipeline::RecognizerDefinition ReadRecognizerDefinition(const Napi::Object& o) {
  using ocr::pipeline::RecDecoderKind;
  using ocr::preprocess::RecSizeMode;
  const std::string path = "recognizer.definition";
  ocr::pipeline::RecognizerDefinition d;
  d.name = String(o, "name", path.c_str());

  const std::string in_path = path + ".input";
  Napi::Object input = Object(o, "input", path.c_str());
  auto& p = d.input;
  p.rgb = Choice(input, "colorOrder", in_path, {"bgr", "rgb"}) == 1;
  p.channels = Int(input, "channels", in_path.c_str(), 1, 3);
  p.mean = Triple(input, "mean", in_path.c_str());
  p.std = Triple(input, "std", in_path.c_str());
  p.scale = Number(input, "scale", in_path.c_str());
  if (!input.Get("padPixel").IsUndefined()) p.pad_pixel = static_cast<float>(Number(input, "padPixel", in_path.c_str()));

  const std::string size_path = path + ".size";
  Napi::Object size = Object(o, "size", path.c_str());
  p.mode = static_cast<RecSizeMode>(Choice(size, "mode", size_path, {"dynamic", "pad", "stretch"}));
  p.height = Int(size, "height", size_path.c_str(), 1, 4096);
  p.nominal_width = Int(size, "width", size_path.c_str(), 1, 16384);
  p.max_width = Int(size, "maxWidth", size_path.c_str(), 1, 65536);
  p.min_width = Int(size, "minWidth", size_path.c_str(), 1, 16384);
  p.width_divisor = Int(size, "widthDivisor", size_path.c_str(), 1, 1024);

  const std::string out_path = path + ".output";
  Napi::Object output = Object(o, "output", path.c_str());
  d.time_major = Choice(output, "layout", out_path, {"NTC", "TNC"}) == 1;
  d.logits = Choice(output, "values", out_path, {"probabilities", "logits"}) == 1;

  const std::string dec_path = path + ".decoder";
  Napi::Object decoder = Object(o, "decoder", path.c_str());
  const char* dp = dec_path.c_str();
  if (Choice(decoder, "type", dec_path, {"ctc", "attention"}) == 0) {
    d.decoder = RecDecoderKind::kCtc;
    d.ctc_blank_last = Choice(decoder, "blank", dec_path, {"first", "last"}) == 1;
    d.mask_padding = Bool(decoder, "maskPadding", dp);
  } else {
    using ocr::recognize::AttentionScheme;
    d.decoder = RecDecoderKind::kAttention;
    static constexpr AttentionScheme kSchemes[] = {
        AttentionScheme::kPaddleAttn,      AttentionScheme::kPaddleSar,   AttentionScheme::kPaddleNrtr,
        AttentionScheme::kPaddleAbinet,    AttentionScheme::kMmocrDictionary, AttentionScheme::kMmocr0Attn,
        AttentionScheme::kMindocrAttn,     AttentionScheme::kMindocrMaster};
    d.scheme = kSchemes[Choice(decoder, "scheme", dec_path,
                               {"paddle-attn", "paddle-sar", "paddle-nrtr", "paddle-abinet", "mmocr-dictionary",
                                "mmocr0-attn", "mindocr-attn", "mindocr-master"})];
    auto& c = d.charset_options;
    c.with_start = Bool(decoder, "withStart", dp);
    c.with_end = Bool(decoder, "withEnd", dp);
    c.same_start_end = Bool(decoder, "sameStartEnd", dp);
    c.with_padding = Bool(decoder, "withPadding", dp);
    c.with_unknown = Bool(decoder, "withUnknown", dp);
    c.omit_last_class = Bool(decoder, "omitLastClass", dp);
    if (!decoder.Get("stopAtEnd").IsUndefined()) d.stop_at_end = Bool(decoder, "stopAtEnd", dp) ? 1 : 0;
    d.unknown = Choice(decoder, "unknown", dec_path, {"symbol", "skip"}) == 0 ? ocr::recognize::UnknownPolicy::kSymbol
                                                                              : ocr::recognize::UnknownPolicy::kSkip;
  }
  d.lowercase = Bool(o, "lowercase", path.c_str());
  return d;
}

}  // namespace

EngineConfig ReadEngineConfig(const Napi::Object& config) {
  EngineConfig out;
  out.runtime_path = String(config, "runtimePath", "config");
  Napi::Object det = Object(config, "detector", "config");
  out.detector.model_path = String(det, "modelPath", "detector");
  out.detector.definition = ReadDetectorDefinition(Object(det, "definition", "detector"));
  Napi::Object rec = Object(config, "recognizer", "config");
  out.recognizer.model_path = String(rec, "modelPath", "recognizer");
  out.recognizer.definition = ReadRecognizerDefinition(Object(rec, "definition", "recognizer"));
  Napi::Object dict = Object(rec, "dictionary", "recognizer");
  using Kind = ocr::pipeline::DictionarySource::Kind;
  static constexpr Kind kKinds[] = {Kind::kFile, Kind::kBuiltin, Kind::kMetadata, Kind::kText};
  out.recognizer.dictionary.kind =
      kKinds[Choice(dict, "kind", "recognizer.dictionary", {"file", "builtin", "metadata", "text"})];
  out.recognizer.dictionary.value = String(dict, "value", "recognizer.dictionary");
  if (!dict.Get("preferMetadata").IsUndefined()) {
    out.recognizer.dictionary.prefer_metadata = String(dict, "preferMetadata", "recognizer.dictionary");
  }
  out.recognizer.dictionary.use_space_char = Bool(rec, "useSpaceChar", "recognizer");
  // 0: decided at creation (the providers asked for may fall back to the CPU).
  out.recognition_parallelism = Int(config, "recognitionParallelism", "config", 0, 64);
  {
    const std::string path = "classifier";
    const char* at = path.c_str();
    Napi::Object cls = Object(config, "classifier", "config");
    out.classifier_model_path = String(cls, "modelPath", at);
    auto& c = out.classifier;
    c.stretch = Choice(cls, "resize", path, {"pad", "stretch"}) == 1;
    Napi::Array size = ArrayField(cls, "size", path);
    if (size.Length() != 2 || !size.Get(0u).IsNumber() || !size.Get(1u).IsNumber()) {
      ThrowInvalid(config.Env(), path + ".size must be [height, width]");
    }
    c.height = size.Get(0u).As<Napi::Number>().Int32Value();
    c.width = size.Get(1u).As<Napi::Number>().Int32Value();
    if (c.height < 1 || c.width < 1 || c.height > 4096 || c.width > 4096) ThrowInvalid(config.Env(), path + ".size out of range");
    c.rgb = Choice(cls, "colorOrder", path, {"bgr", "rgb"}) == 1;
    c.mean = Triple(cls, "mean", at);
    c.std = Triple(cls, "std", at);
    c.scale = Number(cls, "scale", at);
    Napi::Array labels = ArrayField(cls, "labels", path);
    if (labels.Length() != 2 || !labels.Get(0u).IsNumber() || !labels.Get(1u).IsNumber()) {
      ThrowInvalid(config.Env(), path + ".labels must be [0, 180] or [180, 0]");
    }
    const int first = labels.Get(0u).As<Napi::Number>().Int32Value(), second = labels.Get(1u).As<Napi::Number>().Int32Value();
    if (!((first == 0 && second == 180) || (first == 180 && second == 0))) {
      ThrowInvalid(config.Env(), path + ".labels must be [0, 180] or [180, 0]");
    }
    c.label_180 = first == 180 ? 0 : 1;
    out.classifier_at_create = Bool(cls, "loadAtCreate", at);
  }
  if (!config.Get("documentOrientation").IsUndefined()) {
    const std::string path = "documentOrientation";
    const char* at = path.c_str();
    Napi::Object doc = Object(config, "documentOrientation", "config");
    PageClassifierConfig page;
    page.model_path = String(doc, "modelPath", at);
    auto& d = page.definition;
    d.angles.clear();
    Napi::Array labels = ArrayField(doc, "labels", path);
    for (uint32_t i = 0; i < labels.Length(); ++i) {
      if (!labels.Get(i).IsNumber()) ThrowInvalid(config.Env(), path + ".labels must hold numbers");
      d.angles.push_back(labels.Get(i).As<Napi::Number>().Int32Value());
    }
    d.input.resize = Choice(doc, "resize", path, {"short-then-crop", "stretch"}) == 0
                         ? ocr::classify::PageClsParams::Resize::kShortThenCrop
                         : ocr::classify::PageClsParams::Resize::kStretch;
    d.input.resize_short = Int(doc, "resizeShort", at, 1, 8192);
    Napi::Array size = ArrayField(doc, "size", path);
    if (size.Length() != 2 || !size.Get(0u).IsNumber() || !size.Get(1u).IsNumber()) {
      ThrowInvalid(config.Env(), path + ".size must be [height, width]");
    }
    d.input.size = cv::Size(size.Get(1u).As<Napi::Number>().Int32Value(), size.Get(0u).As<Napi::Number>().Int32Value());
    d.input.rgb = Choice(doc, "colorOrder", path, {"bgr", "rgb"}) == 1;
    d.input.mean = Triple(doc, "mean", at);
    d.input.std = Triple(doc, "std", at);
    d.input.scale = static_cast<float>(Number(doc, "scale", at));
    d.logits = Choice(doc, "values", path, {"probabilities", "logits"}) == 1;
    out.page_classifier = std::move(page);
  }
  out.session = ReadSession(Object(config, "session", "config"));
  return out;
}

CallParams ReadCallParams(const Napi::Object& p) {
  CallParams out;
  const char* path = "options";
  out.ocr.resize.limit_side_length = Int(p, "limitSideLength", path, 32, 16384);
  const std::string limit_type = String(p, "limitType", path);
  if (limit_type != "max" && limit_type != "min") ThrowInvalid(p.Env(), "options.limitType must be 'max' or 'min'");
  out.ocr.resize.limit_type = limit_type == "max" ? ocr::preprocess::LimitType::kMax : ocr::preprocess::LimitType::kMin;
  out.ocr.resize.max_side_length = Int(p, "maxSideLength", path, 32, 16384);
  out.ocr.db.threshold = static_cast<float>(Number(p, "threshold", path));
  out.ocr.db.box_threshold = static_cast<float>(Number(p, "boxThreshold", path));
  out.ocr.db.unclip_ratio = static_cast<float>(Number(p, "unclipRatio", path));
  out.ocr.db.end_padding = static_cast<float>(Number(p, "boxEndPadding", path));
  out.ocr.db.merge_gap = static_cast<float>(Number(p, "mergeGap", path));
  out.ocr.db.max_candidates = Int(p, "maxCandidates", path, 1, 1000000);
  out.ocr.db.min_size = static_cast<float>(Number(p, "minSize", path));
  out.ocr.db.use_dilation = Bool(p, "useDilation", path);
  const std::string score = String(p, "scoreMode", path);
  if (score != "fast" && score != "slow") ThrowInvalid(p.Env(), "options.scoreMode must be 'fast' or 'slow'");
  out.ocr.db.score_mode = score == "fast" ? ocr::detect::ScoreMode::kFast : ocr::detect::ScoreMode::kSlow;
  const std::string box = String(p, "boxType", path);
  if (box != "quad" && box != "polygon") ThrowInvalid(p.Env(), "options.boxType must be 'quad' or 'polygon'");
  out.ocr.db.box_type = box == "quad" ? ocr::detect::BoxType::kQuad : ocr::detect::BoxType::kPolygon;
  out.ocr.use_line_classifier = Bool(p, "textLineOrientation", path);
  out.ocr.use_page_classifier = Bool(p, "documentOrientation", path);
  out.ocr.character_boxes = Bool(p, "characters", path);
  out.ocr.page_threshold = static_cast<float>(Number(p, "documentOrientationThreshold", path));
  out.ocr.line_classifier.threshold = static_cast<float>(Number(p, "textLineOrientationThreshold", path));
  out.ocr.line_classifier.batch_size = Int(p, "classifierBatchSize", path, 1, 1024);
  const std::string orientation_mode = String(p, "textLineOrientationMode", path);
  if (orientation_mode != "paddle" && orientation_mode != "windows") {
    ThrowInvalid(p.Env(), "options.textLineOrientationMode must be 'paddle' or 'windows'");
  }
  out.ocr.line_classifier.windows = orientation_mode == "windows";
  out.ocr.recognize.batch_size = Int(p, "recognitionBatchSize", path, 1, 1024);
  out.ocr.recognize.max_run_columns = Int(p, "recognitionMaxRunWidth", path, 0, 1000000);
  out.ocr.recognize.mask_padding = Bool(p, "maskPadding", path);
  out.ocr.recognize.space_threshold = static_cast<float>(Number(p, "spaceThreshold", path));
  if (out.ocr.recognize.space_threshold < 0 || out.ocr.recognize.space_threshold > 1) {
    ThrowInvalid(p.Env(), "options.spaceThreshold must be in [0, 1]");
  }
  out.ocr.text_score_threshold = static_cast<float>(Number(p, "textScoreThreshold", path));
  out.ocr.row_tolerance = static_cast<float>(Number(p, "rowTolerance", path));
  out.apply_exif_orientation = Bool(p, "applyExifOrientation", path);
  double max_pixels = Number(p, "maxPixels", path);
  if (max_pixels < 1) ThrowInvalid(p.Env(), "options.maxPixels must be >= 1");
  out.max_pixels = static_cast<int64_t>(max_pixels);
  return out;
}

Napi::Object DetectionToJs(Napi::Env env, const ocr::pipeline::DetectionResult& result, bool polygons) {
  const size_t n = result.regions.size();
  Napi::Float32Array quads = Napi::Float32Array::New(env, n * 8);
  Napi::Float32Array scores = Napi::Float32Array::New(env, n);
  size_t polygon_points = 0;
  for (const auto& r : result.regions) polygon_points += r.polygon.size();
  for (size_t i = 0; i < n; ++i) {
    const auto& r = result.regions[i];
    for (int k = 0; k < 4; ++k) {
      quads[i * 8 + 2 * k] = r.quad[k].x;
      quads[i * 8 + 2 * k + 1] = r.quad[k].y;
    }
    scores[i] = r.score;
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("quads", quads);
  out.Set("scores", scores);
  if (polygons) {
    Napi::Float32Array points = Napi::Float32Array::New(env, polygon_points * 2);
    Napi::Uint32Array offsets = Napi::Uint32Array::New(env, n + 1);
    size_t at = 0;
    for (size_t i = 0; i < n; ++i) {
      offsets[i] = static_cast<uint32_t>(at);
      for (const auto& p : result.regions[i].polygon) {
        points[2 * at] = p.x;
        points[2 * at + 1] = p.y;
        ++at;
      }
    }
    offsets[n] = static_cast<uint32_t>(at);
    out.Set("polygons", points);
    out.Set("polygonOffsets", offsets);
  }
  out.Set("width", result.image_size.width);
  out.Set("height", result.image_size.height);
  out.Set("inputWidth", result.input_size.width);
  out.Set("inputHeight", result.input_size.height);
  Napi::Object timings = Napi::Object::New(env);
  timings.Set("decodeMs", result.times.decode_ms);
  timings.Set("preprocessMs", result.times.preprocess_ms);
  timings.Set("inferenceMs", result.times.inference_ms);
  timings.Set("postprocessMs", result.times.postprocess_ms);
  out.Set("timings", timings);
  return out;
}

namespace {

Napi::Object TimingsToJs(Napi::Env env, const ocr::pipeline::OcrTimes& t) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("decodeMs", t.detection.decode_ms);
  o.Set("detectionPreprocessMs", t.detection.preprocess_ms);
  o.Set("detectionInferenceMs", t.detection.inference_ms);
  o.Set("detectionPostprocessMs", t.detection.postprocess_ms);
  o.Set("cropMs", t.crop_ms);
  o.Set("pageClassifierMs", t.page_classifier_ms);
  o.Set("classifierMs", t.classifier_ms);
  o.Set("recognitionPreprocessMs", t.recognition.preprocess_ms);
  o.Set("recognitionInferenceMs", t.recognition.inference_ms);
  o.Set("recognitionDecodeMs", t.recognition.decode_ms);
  return o;
}

Napi::Object WorkToJs(Napi::Env env, const ocr::pipeline::OcrWork& w) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("detectionPixels", static_cast<double>(w.detection_pixels));
  o.Set("recognitionCrops", static_cast<double>(w.recognition_crops));
  o.Set("recognitionColumns", static_cast<double>(w.recognition_columns));
  o.Set("recognitionTextColumns", static_cast<double>(w.recognition_text_columns));
  return o;
}

// Per-character results, flat: charOffsets (n + 1), charTexts, charScores, and
// charQuads (8 per character, from `lines`) or charSpans (2 per character,
// fractions of the crop's width). Only when characters were asked for (the
// caller passes `lines` with char_quads, or spans exist).
void SetCharacters(Napi::Env env, Napi::Object& out, const std::vector<ocr::recognize::DecodedText>& texts,
                   const std::vector<ocr::pipeline::OcrLine>* lines) {
  size_t total = 0, spans = 0;
  for (const auto& t : texts) {
    total += t.char_texts.size();
    spans += t.char_spans.size();
  }
  Napi::Uint32Array offsets = Napi::Uint32Array::New(env, texts.size() + 1);
  Napi::Array chars = Napi::Array::New(env, total);
  Napi::Float32Array scores = Napi::Float32Array::New(env, total);
  size_t at = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    offsets[i] = static_cast<uint32_t>(at);
    for (size_t c = 0; c < texts[i].char_texts.size(); ++c, ++at) {
      chars.Set(uint32_t(at), Napi::String::New(env, texts[i].char_texts[c]));
      scores[at] = texts[i].char_scores[c];
    }
  }
  offsets[texts.size()] = static_cast<uint32_t>(at);
  out.Set("charOffsets", offsets);
  out.Set("charTexts", chars);
  out.Set("charScores", scores);
  if (lines) {
    size_t quads = 0;
    for (const auto& line : *lines) quads += line.char_quads.size();
    if (quads == total && total > 0) {
      Napi::Float32Array q = Napi::Float32Array::New(env, quads * 8);
      size_t k = 0;
      for (const auto& line : *lines) {
        for (const auto& quad : line.char_quads) {
          for (int p = 0; p < 4; ++p, k += 2) {
            q[k] = quad[p].x;
            q[k + 1] = quad[p].y;
          }
        }
      }
      out.Set("charQuads", q);
    }
  } else if (spans == total && total > 0) {
    Napi::Float32Array s = Napi::Float32Array::New(env, spans * 2);
    size_t k = 0;
    for (const auto& t : texts) {
      for (const auto& [b, e] : t.char_spans) {
        s[k++] = b;
        s[k++] = e;
      }
    }
    out.Set("charSpans", s);
  }
}

Napi::Array StringsToJs(Napi::Env env, const std::vector<ocr::recognize::DecodedText>& texts) {
  Napi::Array out = Napi::Array::New(env, texts.size());
  for (size_t i = 0; i < texts.size(); ++i) out.Set(uint32_t(i), Napi::String::New(env, texts[i].text));
  return out;
}

}  // namespace

Napi::Object OcrResultToJs(Napi::Env env, const ocr::pipeline::OcrImageResult& result, bool characters) {
  Napi::Object out = Napi::Object::New(env);
  if (result.error) {
    Napi::Object error = Napi::Object::New(env);
    error.Set("code", ocr::ErrorCodeName(result.error->code()));
    error.Set("message", result.error->what());
    out.Set("error", error);
    return out;
  }
  const size_t n = result.lines.size();
  Napi::Float32Array quads = Napi::Float32Array::New(env, n * 8);
  Napi::Float32Array box_scores = Napi::Float32Array::New(env, n);
  Napi::Float32Array scores = Napi::Float32Array::New(env, n);
  Napi::Int32Array angles = Napi::Int32Array::New(env, n);
  Napi::Uint8Array rotated = Napi::Uint8Array::New(env, n);
  std::vector<ocr::recognize::DecodedText> texts;
  texts.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const auto& line = result.lines[i];
    rotated[i] = line.rotated ? 1 : 0;
    for (int k = 0; k < 4; ++k) {
      quads[i * 8 + 2 * k] = line.quad[k].x;
      quads[i * 8 + 2 * k + 1] = line.quad[k].y;
    }
    box_scores[i] = line.box_score;
    scores[i] = line.text.score;
    angles[i] = line.angle;
    texts.push_back(line.text);
  }
  out.Set("width", result.image_size.width);
  out.Set("height", result.image_size.height);
  out.Set("quads", quads);
  out.Set("boxScores", box_scores);
  out.Set("texts", StringsToJs(env, texts));
  out.Set("scores", scores);
  out.Set("angles", angles);
  out.Set("rotated", rotated);
  if (characters) SetCharacters(env, out, texts, &result.lines);
  if (result.page.score > 0 || result.times.page_classifier_ms > 0) {
    Napi::Object page = Napi::Object::New(env);
    page.Set("angle", result.page.angle);
    page.Set("score", result.page.score);
    out.Set("page", page);
  }
  out.Set("timings", TimingsToJs(env, result.times));
  out.Set("work", WorkToJs(env, result.times.work));
  return out;
}

Napi::Object TextsToJs(Napi::Env env, const std::vector<ocr::recognize::DecodedText>& texts,
                       const ocr::pipeline::OcrTimes& times, bool characters, const std::vector<int>* angles) {
  Napi::Object out = Napi::Object::New(env);
  if (angles && angles->size() == texts.size()) {
    Napi::Int32Array a = Napi::Int32Array::New(env, angles->size());
    for (size_t i = 0; i < angles->size(); ++i) a[i] = (*angles)[i];
    out.Set("angles", a);
  }
  if (characters) SetCharacters(env, out, texts, nullptr);
  Napi::Float32Array scores = Napi::Float32Array::New(env, texts.size());
  for (size_t i = 0; i < texts.size(); ++i) scores[i] = texts[i].score;
  out.Set("texts", StringsToJs(env, texts));
  out.Set("scores", scores);
  out.Set("timings", TimingsToJs(env, times));
  out.Set("work", WorkToJs(env, times.work));
  return out;
}

}  // namespace ocrkit
