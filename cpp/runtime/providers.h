// Execution providers: appended to a session's options in order of preference.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/ort_api.h"

namespace ocr::runtime {

enum class ProviderKind { kCpu, kCuda, kTensorRt, kCann, kOpenVino };

struct ProviderSpec {
  ProviderKind kind = ProviderKind::kCpu;
  // Provider options as ONNX Runtime names them (e.g. device_id,
  // cudnn_conv_algo_search, trt_engine_cache_enable).
  std::vector<std::pair<std::string, std::string>> options;
};

const char* ProviderName(ProviderKind kind);  // "cpu", "cuda", ...

// Appends every provider in `specs` to `session_options`. A provider that
// cannot be appended throws Error(kProviderUnavailable) with ONNX Runtime's
// message, unless `allow_cpu_fallback`, in which case it is skipped.
// Returns the names of the providers in use, CPU always last.
std::vector<std::string> AppendProviders(Ort::SessionOptions& session_options,
                                         const std::vector<ProviderSpec>& specs,
                                         bool allow_cpu_fallback);

// True when one of `specs`' providers other than the CPU can be appended to a
// session (ONNX Runtime must be loaded): false when every one would fall back
// to the CPU (allow_cpu_fallback). Loads each provider's library as appending
// it to a session would.
bool AnyAcceleratorAvailable(const std::vector<ProviderSpec>& specs);

// True when `specs` asks for the CPU only.
bool CpuOnly(const std::vector<ProviderSpec>& specs);

}  // namespace ocr::runtime
