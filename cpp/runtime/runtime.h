// The ONNX Runtime shared library, opened once per process with dlopen.
#pragma once

#include <memory>
#include <string>

#include "runtime/ort_api.h"

namespace ocr::runtime {

// Oldest ONNX Runtime API version ocrkit is compiled against (headers 1.21).
inline constexpr uint32_t kMinApiVersion = ORT_API_VERSION;

class Runtime {
 public:
  // Opens `library_path` (a libonnxruntime.so.1) the first time it is called
  // and returns the process-wide runtime. A later call naming another path
  // throws Error(kRuntimeLoad): a process holds exactly one runtime.
  static std::shared_ptr<Runtime> Load(const std::string& library_path);

  const std::string& library_path() const { return library_path_; }
  const std::string& version() const { return version_; }
  Ort::Env& env() { return env_; }

  Runtime(std::string library_path, std::string version);
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

 private:
  std::string library_path_;
  std::string version_;
  Ort::Env env_;
};

}  // namespace ocr::runtime
