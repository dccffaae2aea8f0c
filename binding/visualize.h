// visualize(input, lines, options) -> Promise<Buffer>: the OCR result drawn
// over the image beside a text panel (cpp/render/visualize.h), encoded.
#pragma once

#include <napi.h>

namespace ocrkit {

// input: as the engine's (path | encoded | pixels), decoded the same way.
// lines: {points: Float32Array (x, y pairs), offsets: Uint32Array (n + 1,
//         point offsets), texts: string[n]}.
// options: {fontPaths: string[] (tried in order per character), format:
//           'png' | 'jpg', applyExifOrientation: boolean, maxPixels: number}.
Napi::Value Visualize(const Napi::CallbackInfo& info);

}  // namespace ocrkit
