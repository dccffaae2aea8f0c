#include "runtime/runtime.h"

#include <dlfcn.h>

#include <climits>
#include <cstdlib>
#include <cstdio>
#include <mutex>

#include "core/error.h"

namespace ocr::runtime {
namespace {

// ONNX Runtime logs provider load failures in colour on stderr; the same text
// reaches the caller through the error it causes. OCRKIT_ORT_LOG=1 shows it.
void OrtLog(void*, OrtLoggingLevel, const char*, const char* logid, const char* code_location,
            const char* message) {
  static const bool enabled = [] {
    const char* value = std::getenv("OCRKIT_ORT_LOG");
    return value != nullptr && value[0] == '1';
  }();
  if (enabled) std::fprintf(stderr, "[onnxruntime %s %s] %s\n", logid, code_location, message);
}

const OrtApi* OpenLibrary(const std::string& path, std::string* version) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    throw Error(ErrorCode::kRuntimeLoad, "could not load the ONNX Runtime library '" + path +
                                             "': " + (why ? why : "unknown dlopen error"));
  }
  using GetApiBaseFn = const OrtApiBase* (*)();
  auto get_base = reinterpret_cast<GetApiBaseFn>(dlsym(handle, "OrtGetApiBase"));
  if (get_base == nullptr) {
    throw Error(ErrorCode::kRuntimeLoad,
                "'" + path + "' is not an ONNX Runtime library (no OrtGetApiBase symbol)");
  }
  const OrtApiBase* base = get_base();
  *version = base->GetVersionString();
  const OrtApi* api = base->GetApi(kMinApiVersion);
  if (api == nullptr) {
    throw Error(ErrorCode::kRuntimeLoad,
                "ONNX Runtime " + *version + " at '" + path + "' is too old: ocrkit needs API version " +
                    std::to_string(kMinApiVersion) + " (ONNX Runtime >= 1." +
                    std::to_string(kMinApiVersion) + ")");
  }
  return api;  // the handle stays open for the life of the process
}

}  // namespace

Runtime::Runtime(std::string library_path, std::string version)
    : library_path_(std::move(library_path)),
      version_(std::move(version)),
      env_(ORT_LOGGING_LEVEL_WARNING, "ocrkit", OrtLog, nullptr) {
  // One CPU arena for every session of the process (sessions opt in with
  // session.use_env_allocators): detector, recogniser and classifier reuse one
  // pool. Measured on the fixtures: peak RSS 350 MB against 460 MB with an
  // arena per session, 880 MB with no arena (malloc keeps freed blocks);
  // growing by what is asked (kSameAsRequested) fragmented it to 570 MB.
  // Its first region is 256 MB of address space, of which only the pages a
  // tensor has used become resident: growing from 1 MB by doubling regions
  // spread a detection's large tensors over several regions, and the bench's
  // peak RSS then moved between 282 and 305 MB with the order of the images
  // (five orders); with one large first region it stayed at 281-283 MB.
  constexpr int kFirstRegionBytes = 256 << 20;
  Ort::ArenaCfg arena(0 /*no cap*/, 0 /*kNextPowerOfTwo*/, kFirstRegionBytes, -1 /*default max dead bytes*/);
  env_.CreateAndRegisterAllocator(Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault), arena);
}

std::shared_ptr<Runtime> Runtime::Load(const std::string& requested_path) {
  // Compare libraries by their real path: two spellings of one file are one runtime.
  std::string library_path = requested_path;
  if (char* real = realpath(requested_path.c_str(), nullptr)) {
    library_path = real;
    std::free(real);
  }
  static std::mutex mutex;
  static std::shared_ptr<Runtime> instance;
  std::lock_guard<std::mutex> lock(mutex);
  if (instance) {
    if (instance->library_path() != library_path) {
      throw Error(ErrorCode::kRuntimeLoad,
                  "ONNX Runtime is already loaded from '" + instance->library_path() +
                      "'; a process holds one runtime, so '" + library_path + "' cannot be loaded");
    }
    return instance;
  }
  std::string version;
  const OrtApi* api = OpenLibrary(library_path, &version);
  Ort::InitApi(api);
  try {
    instance = std::make_shared<Runtime>(library_path, version);
  } catch (const Ort::Exception& e) {
    throw Error(ErrorCode::kRuntimeLoad, std::string("could not create the ONNX Runtime environment: ") + e.what());
  }
  return instance;
}

}  // namespace ocr::runtime
