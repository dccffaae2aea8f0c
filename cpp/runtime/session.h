// An inference session: immutable after load, Run is safe to call concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/cancel.h"
#include "runtime/providers.h"
#include "runtime/runtime.h"

namespace ocr::runtime {

struct SessionConfig {
  int intra_op_threads = 2;     // threads of one Run
  bool allow_spinning = false;  // busy-wait between ops: faster, burns CPU when idle
  bool cpu_memory_arena = true; // keep freed activation memory for reuse (faster, higher resident memory)
  std::vector<ProviderSpec> providers;  // in order of preference; CPU is implicit
  bool allow_cpu_fallback = false;      // skip unavailable providers instead of failing
  bool graph_rewrites = true;           // ocrkit's own rewrites (graph/rewrite.h) before loading; CPU only
};

struct TensorInfo {
  std::string name;
  ONNXTensorElementDataType type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED;
  std::vector<int64_t> shape;  // -1 (or other negatives) for dynamic dimensions
};

// One float output of a Run, owning its buffer.
struct Tensor {
  std::vector<int64_t> shape;
  Ort::Value value{nullptr};
  const float* data() const { return value.GetTensorData<float>(); }
  int64_t size() const;
};

// "[1,3,?,?]": a shape as messages show it, dynamic dimensions as "?".
std::string ShapeText(const std::vector<int64_t>& shape);

// "float", "uint8", "int64", ...: an element type as messages name it.
const char* ElementTypeName(ONNXTensorElementDataType type);

// Throws Error kModelLoad unless `path` names a regular file.
void CheckModelFile(const std::string& path);

// A model file as a session will load it: its bytes with ocrkit's graph
// rewrites applied (CPU sessions), or just its path. Made without a runtime,
// so it can be prepared while ONNX Runtime itself is still loading.
struct ModelSource {
  std::string path;
  std::optional<std::string> rewritten;  // nullopt: load the file as it is
  int rewrites = 0;

  // Never throws for a missing or unreadable file: the session reports it.
  static ModelSource Prepare(const std::string& path, const SessionConfig& config);
};

class Session {
 public:
  Session(std::shared_ptr<Runtime> runtime, const std::string& model_path,
          const SessionConfig& config);
  Session(std::shared_ptr<Runtime> runtime, ModelSource source, const SessionConfig& config);
  ~Session();  // writes ONNX Runtime's profile when OCRKIT_ORT_PROFILE asked for one
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::vector<TensorInfo>& inputs() const { return inputs_; }
  const std::vector<TensorInfo>& outputs() const { return outputs_; }
  const std::vector<std::string>& providers() const { return providers_; }
  // The graph rewrites ocrkit applied to the model before loading it (graph/rewrite.h).
  int graph_rewrites() const { return graph_rewrites_; }
  // The model's custom metadata value for `key` (ONNX metadata_props), or
  // nullptr when the model has none.
  const std::string* Metadata(const std::string& key) const;

  // Runs the model on one float input tensor and returns its first output.
  // A cancelled token terminates the run (Error kAborted).
  Tensor Run(const float* input, const std::vector<int64_t>& shape, CancelToken* cancel) const;

  // Runs the model once and returns the outputs at `output_indices` (indices
  // into outputs()), in that order. Each must be a float tensor (kModelShape).
  std::vector<Tensor> Run(const float* input, const std::vector<int64_t>& shape,
                          const std::vector<size_t>& output_indices, CancelToken* cancel) const;

 private:
  int graph_rewrites_ = 0;
  bool profiling_ = false;
  bool shrink_arena_ = false;  // hand back the shared arena's added regions after each Run
  std::shared_ptr<Runtime> runtime_;
  std::unique_ptr<Ort::Session> session_;
  std::vector<TensorInfo> inputs_;
  std::vector<TensorInfo> outputs_;
  std::vector<std::string> providers_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

// A model's load-time run (`run`, on an input of `shape`): ONNX Runtime refusing that input (its shape, its type:
// a recogniser given as the detector) is a mismatch of model and role, Error kModelShape "the <role> model rejected
// a [dims] input (<context>): <ONNX Runtime's message>", not a runtime fault.
template <class Run>
auto RunAtLoad(const std::string& role, const std::vector<int64_t>& shape, const std::string& context, Run&& run)
    -> decltype(run()) {
  try {
    return run();
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kRuntime) throw;
    throw Error(ErrorCode::kModelShape, "the " + role + " model rejected a " + ShapeText(shape) + " input (" + context +
                                            "): " + e.what());
  }
}

}  // namespace ocr::runtime
