#include "runtime/providers.h"

#include <algorithm>

#include "core/error.h"

namespace ocr::runtime {
namespace {

struct KeyValues {
  std::vector<const char*> keys;
  std::vector<const char*> values;
  explicit KeyValues(const std::vector<std::pair<std::string, std::string>>& options) {
    for (const auto& [key, value] : options) {
      keys.push_back(key.c_str());
      values.push_back(value.c_str());
    }
  }
};

// Turns an OrtStatus into an exception carrying ONNX Runtime's message.
void Check(OrtStatus* status, ProviderKind kind) {
  if (status == nullptr) return;
  std::string message = Ort::GetApi().GetErrorMessage(status);
  Ort::GetApi().ReleaseStatus(status);
  throw Error(ErrorCode::kProviderUnavailable,
              std::string("execution provider '") + ProviderName(kind) + "' is unavailable: " + message);
}

// The V2 option structs of CUDA, TensorRT and CANN share one life cycle:
// create, update from key/value strings, append, release.
template <typename Options, typename Create, typename Update, typename Append, typename Release>
void AppendWithOptions(OrtSessionOptions* so, const ProviderSpec& spec, Create create, Update update,
                       Append append, Release release) {
  const OrtApi& api = Ort::GetApi();
  Options* options = nullptr;
  Check((api.*create)(&options), spec.kind);
  KeyValues kv(spec.options);
  try {
    Check((api.*update)(options, kv.keys.data(), kv.values.data(), kv.keys.size()), spec.kind);
    Check((api.*append)(so, options), spec.kind);
  } catch (...) {
    (api.*release)(options);
    throw;
  }
  (api.*release)(options);
}

void AppendOne(OrtSessionOptions* so, const ProviderSpec& spec) {
  const OrtApi& api = Ort::GetApi();
  switch (spec.kind) {
    case ProviderKind::kCpu:
      return;
    case ProviderKind::kCuda:
      return AppendWithOptions<OrtCUDAProviderOptionsV2>(
          so, spec, &OrtApi::CreateCUDAProviderOptions, &OrtApi::UpdateCUDAProviderOptions,
          &OrtApi::SessionOptionsAppendExecutionProvider_CUDA_V2, &OrtApi::ReleaseCUDAProviderOptions);
    case ProviderKind::kTensorRt:
      return AppendWithOptions<OrtTensorRTProviderOptionsV2>(
          so, spec, &OrtApi::CreateTensorRTProviderOptions, &OrtApi::UpdateTensorRTProviderOptions,
          &OrtApi::SessionOptionsAppendExecutionProvider_TensorRT_V2,
          &OrtApi::ReleaseTensorRTProviderOptions);
    case ProviderKind::kCann:
      return AppendWithOptions<OrtCANNProviderOptions>(
          so, spec, &OrtApi::CreateCANNProviderOptions, &OrtApi::UpdateCANNProviderOptions,
          &OrtApi::SessionOptionsAppendExecutionProvider_CANN, &OrtApi::ReleaseCANNProviderOptions);
    case ProviderKind::kOpenVino: {
      KeyValues kv(spec.options);
      Check(api.SessionOptionsAppendExecutionProvider_OpenVINO_V2(so, kv.keys.data(), kv.values.data(),
                                                                   kv.keys.size()),
            spec.kind);
      return;
    }
  }
}

}  // namespace

const char* ProviderName(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::kCpu: return "cpu";
    case ProviderKind::kCuda: return "cuda";
    case ProviderKind::kTensorRt: return "tensorrt";
    case ProviderKind::kCann: return "cann";
    case ProviderKind::kOpenVino: return "openvino";
  }
  return "cpu";
}

bool AnyAcceleratorAvailable(const std::vector<ProviderSpec>& specs) {
  for (const ProviderSpec& spec : specs) {
    if (spec.kind == ProviderKind::kCpu) continue;
    Ort::SessionOptions scratch;
    try {
      AppendOne(scratch, spec);
      return true;
    } catch (const Error&) {
    }
  }
  return false;
}

bool CpuOnly(const std::vector<ProviderSpec>& specs) {
  return std::all_of(specs.begin(), specs.end(), [](const ProviderSpec& p) { return p.kind == ProviderKind::kCpu; });
}

std::vector<std::string> AppendProviders(Ort::SessionOptions& session_options,
                                         const std::vector<ProviderSpec>& specs,
                                         bool allow_cpu_fallback) {
  std::vector<std::string> used;
  for (const ProviderSpec& spec : specs) {
    if (spec.kind == ProviderKind::kCpu) continue;
    try {
      AppendOne(session_options, spec);
      used.emplace_back(ProviderName(spec.kind));
    } catch (const Error&) {
      if (!allow_cpu_fallback) throw;
    }
  }
  used.emplace_back("cpu");
  return used;
}

}  // namespace ocr::runtime
