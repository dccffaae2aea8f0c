#include "runtime/session.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>

#include "core/error.h"
#include "graph/rewrite.h"

namespace ocr::runtime {
namespace {

TensorInfo Describe(const std::string& name, const Ort::TypeInfo& type_info) {
  TensorInfo info;
  info.name = name;
  if (type_info.GetONNXType() != ONNX_TYPE_TENSOR) return info;
  auto tensor = type_info.GetTensorTypeAndShapeInfo();
  info.type = tensor.GetElementType();
  info.shape = tensor.GetShape();
  return info;
}

Ort::SessionOptions MakeOptions(const SessionConfig& config, std::vector<std::string>* providers) {
  Ort::SessionOptions options;
  options.SetIntraOpNumThreads(config.intra_op_threads);
  options.SetInterOpNumThreads(1);
  options.SetExecutionMode(ORT_SEQUENTIAL);
  options.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
  // Input shapes change with every image: a memory pattern per shape would be
  // planned, cached and kept, which grows a long-running service's memory.
  options.DisableMemPattern();
  if (config.cpu_memory_arena) {
    options.AddConfigEntry("session.use_env_allocators", "1");  // the runtime's shared arena
  } else {
    options.DisableCpuMemArena();
  }
  options.AddConfigEntry("session.intra_op.allow_spinning", config.allow_spinning ? "1" : "0");
  // Spin only while a Run is in progress: a pool spinning on after its Run takes a core from the next stage.
  if (config.allow_spinning) options.AddConfigEntry("session.force_spinning_stop", "1");
  *providers = AppendProviders(options, config.providers, config.allow_cpu_fallback);
  return options;
}

// The model's bytes with ocrkit's graph rewrites applied, or nullopt to load
// the file as it is (nothing to rewrite, unreadable here, or too large to
// hold twice in memory: ONNX Runtime then reports what is wrong with it).
std::optional<std::string> RewrittenModel(const std::string& path, int* rewrites) {
  constexpr std::streamoff kMaxBytes = std::streamoff(1) << 30;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return std::nullopt;
  const std::streamoff size = in.tellg();
  if (size <= 0 || size > kMaxBytes) return std::nullopt;
  std::unique_ptr<char[]> bytes(new char[static_cast<size_t>(size)]);  // not zeroed first: read() fills it
  in.seekg(0);
  if (!in.read(bytes.get(), size)) return std::nullopt;
  graph::RewriteCounts counts;
  auto rewritten = graph::RewriteModel(std::string_view(bytes.get(), static_cast<size_t>(size)), &counts);
  *rewrites = counts.total();
  return rewritten;
}

// For developers: OCRKIT_ORT_PROFILE=<prefix> has every session record ONNX Runtime's profile (each node's time
// in each Run) and write it when the session closes, to <prefix>-<model file name>_<date and time>.json;
// bench/profile-ops.mjs sums it by operator and by node. Nothing is recorded without the variable.
const char* ProfilePrefix() {
  const char* prefix = std::getenv("OCRKIT_ORT_PROFILE");
  return prefix != nullptr && prefix[0] != '\0' ? prefix : nullptr;
}

}  // namespace

std::string ShapeText(const std::vector<int64_t>& shape) {
  std::string text;
  for (int64_t d : shape) text += (text.empty() ? "" : ",") + (d < 0 ? std::string("?") : std::to_string(d));
  return "[" + text + "]";
}

const char* ElementTypeName(ONNXTensorElementDataType type) {
  switch (type) {
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT: return "float";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8: return "uint8";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8: return "int8";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16: return "uint16";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16: return "int16";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32: return "int32";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: return "int64";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING: return "string";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL: return "bool";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16: return "float16";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE: return "double";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32: return "uint32";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64: return "uint64";
    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16: return "bfloat16";
    default: return "non-tensor or unknown-type";
  }
}

void CheckModelFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    throw Error(ErrorCode::kModelLoad, "model file not found: '" + path + "'");
  }
  if (!S_ISREG(st.st_mode)) {
    throw Error(ErrorCode::kModelLoad, "model path is not a regular file: '" + path + "'");
  }
}

int64_t Tensor::size() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

ModelSource ModelSource::Prepare(const std::string& path, const SessionConfig& config) {
  ModelSource source{path, std::nullopt, 0};
  CheckModelFile(path);  // Before reading it: opening a FIFO would wait for a writer for ever.
  // CPU sessions only: GPU providers fuse these element-wise chains themselves, and some (TensorRT's engine
  // cache) key what they store on the model's path, which a model loaded from memory does not have.
  // (Asked for other providers that then fall back to the CPU, the session rewrites it when it knows: see Session.)
  if (config.graph_rewrites && CpuOnly(config.providers)) source.rewritten = RewrittenModel(path, &source.rewrites);
  return source;
}

Session::Session(std::shared_ptr<Runtime> runtime, const std::string& model_path, const SessionConfig& config)
    : Session(std::move(runtime), ModelSource::Prepare(model_path, config), config) {}

Session::Session(std::shared_ptr<Runtime> runtime, ModelSource source, const SessionConfig& config)
    : shrink_arena_(config.cpu_memory_arena), runtime_(std::move(runtime)) {
  const std::string& model_path = source.path;
  CheckModelFile(model_path);
  Ort::SessionOptions options = MakeOptions(config, &providers_);
  if (!source.rewritten && config.graph_rewrites && !CpuOnly(config.providers) && providers_.size() == 1) {
    // Every provider asked for fell back (allow_cpu_fallback): the session runs on the CPU and gets its rewrites
    // (without them it ran 2-3.7x slower than one asking for the CPU).
    source.rewritten = RewrittenModel(model_path, &source.rewrites);
  }
  if (const char* prefix = ProfilePrefix()) {
    const size_t slash = model_path.find_last_of('/');
    const std::string file = std::string(prefix) + "-" + model_path.substr(slash == std::string::npos ? 0 : slash + 1);
    options.EnableProfiling(file.c_str());
    profiling_ = true;
  }
  try {
    if (source.rewritten) {
      try {
        session_ = std::make_unique<Ort::Session>(runtime_->env(), source.rewritten->data(), source.rewritten->size(),
                                                  options);
        graph_rewrites_ = source.rewrites;
      } catch (const Ort::Exception&) {
        // Never expected (each rewrite is a checked, local pattern); the model as given still loads.
      }
      source.rewritten.reset();  // ONNX Runtime holds what it needs
    }
    if (!session_) session_ = std::make_unique<Ort::Session>(runtime_->env(), model_path.c_str(), options);
  } catch (const Ort::Exception& e) {
    throw Error(ErrorCode::kModelLoad, "could not load model '" + model_path + "': " + e.what());
  }
  Ort::AllocatorWithDefaultOptions allocator;
  for (size_t i = 0; i < session_->GetInputCount(); ++i) {
    inputs_.push_back(Describe(session_->GetInputNameAllocated(i, allocator).get(),
                               session_->GetInputTypeInfo(i)));
  }
  for (size_t i = 0; i < session_->GetOutputCount(); ++i) {
    outputs_.push_back(Describe(session_->GetOutputNameAllocated(i, allocator).get(),
                                session_->GetOutputTypeInfo(i)));
  }
  try {
    Ort::ModelMetadata metadata = session_->GetModelMetadata();
    for (auto& key : metadata.GetCustomMetadataMapKeysAllocated(allocator)) {
      auto value = metadata.LookupCustomMetadataMapAllocated(key.get(), allocator);
      if (value) metadata_.emplace_back(key.get(), value.get());
    }
  } catch (const Ort::Exception& e) {
    throw Error(ErrorCode::kModelLoad, "could not read the metadata of model '" + model_path + "': " + e.what());
  }
}

Session::~Session() {
  if (!profiling_ || !session_) return;
  try {
    Ort::AllocatorWithDefaultOptions allocator;
    session_->EndProfilingAllocated(allocator);  // writes the file; its name is not needed here
  } catch (...) {
    // A profile that cannot be written is not worth failing a dispose for.
  }
}

const std::string* Session::Metadata(const std::string& key) const {
  for (const auto& [k, v] : metadata_) {
    if (k == key) return &v;
  }
  return nullptr;
}

Tensor Session::Run(const float* input, const std::vector<int64_t>& shape, CancelToken* cancel) const {
  return std::move(Run(input, shape, std::vector<size_t>{0}, cancel)[0]);
}

std::vector<Tensor> Session::Run(const float* input, const std::vector<int64_t>& shape,
                                 const std::vector<size_t>& output_indices, CancelToken* cancel) const {
  if (cancel) cancel->ThrowIfCancelled();
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  auto memory = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  // ONNX Runtime does not write to inputs; its API takes a non-const pointer.
  Ort::Value in = Ort::Value::CreateTensor<float>(memory, const_cast<float*>(input),
                                                  static_cast<size_t>(count), shape.data(), shape.size());
  const char* in_name = inputs_[0].name.c_str();
  std::vector<const char*> out_names;
  for (size_t index : output_indices) {
    if (index >= outputs_.size()) throw Error(ErrorCode::kInternal, "output index out of range");
    out_names.push_back(outputs_[index].name.c_str());
  }
  Ort::RunOptions run_options;
  // The shared arena keeps its first region (256 MB of address space, runtime.cc); regions it added for a larger
  // Run are handed back when the Run ends. Without this, one 4096-side image left the process at 1.65 GB for good
  // (and after dispose: the arena is the process's); usual images never leave the first region, so nothing changes
  // for them.
  if (shrink_arena_) run_options.AddConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
  int hook = -1;
  if (cancel) hook = cancel->AddHook([&run_options] { run_options.SetTerminate(); });
  std::vector<Ort::Value> out;
  try {
    out = session_->Run(run_options, &in_name, &in, 1, out_names.data(), out_names.size());
  } catch (const Ort::Exception& e) {
    if (cancel) cancel->RemoveHook(hook);
    if (cancel && cancel->cancelled()) throw Error(ErrorCode::kAborted, "the operation was aborted");
    throw Error(ErrorCode::kRuntime, std::string("inference failed: ") + e.what());
  }
  if (cancel) cancel->RemoveHook(hook);
  std::vector<Tensor> results(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    auto info = out[i].GetTensorTypeAndShapeInfo();
    if (info.GetElementType() != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
      throw Error(ErrorCode::kModelShape, "output '" + outputs_[output_indices[i]].name + "' is not a float tensor");
    }
    results[i].shape = info.GetShape();
    results[i].value = std::move(out[i]);
  }
  return results;
}

}  // namespace ocr::runtime
