// An image argument read on the main thread and decoded on a worker.
#pragma once

#include <cstdint>
#include <string>

#include <napi.h>
#include <opencv2/core.hpp>

#include "binding/convert.h"

namespace ocrkit {

struct ImageInput {
  enum class Kind { kPath, kEncoded, kPixels } kind = Kind::kPath;
  std::string path;
  // Borrowed bytes of a Uint8Array, kept alive by `pinned` until the worker
  // completes (released on the main thread). lib/input.ts hands over its own
  // copy of the caller's bytes, which nothing else can detach, resize or
  // change while the worker reads it.
  Napi::ObjectReference pinned;
  const uint8_t* data = nullptr;
  size_t size = 0;
  int width = 0, height = 0, channels = 0;
  size_t stride = 0;
  bool bgr = false;
};

// Reads {kind: 'path', path} | {kind: 'encoded', data} |
// {kind: 'pixels', data, width, height, channels, stride, colorOrder}.
void ReadImageInput(const Napi::Value& value, ImageInput& out);

// Runs off the main thread: file read / decode / pixel copy into 8-bit BGR.
cv::Mat LoadImage(const ImageInput& input, const CallParams& params);

}  // namespace ocrkit
