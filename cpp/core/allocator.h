// Process allocator tuning for long-running OCR (glibc only).
#pragma once

namespace ocr {

// glibc gives every thread that contends for malloc its own arena (up to 8 per
// core). ocrkit's calls run on whichever libuv pool thread is free and ONNX
// Runtime adds its own threads, so each arena ends up holding the freed image,
// tensor and crop buffers of the largest call it ever served. What helps, as
// measured on bench/results/images (16 images, one engine, results identical):
//   - nothing:                                   peak RSS 324 MB, outside Run 2-3%
//   - mallopt(M_ARENA_MAX, 1) at load (default):  313 MB, no time cost. glibc
//     fixes its arena limit the first time a second arena is needed, often
//     before ocrkit loads, so this catches only part of what
//   - MALLOC_ARENA_MAX=1 in the environment gets: 283 MB, no time cost (the
//     best setting: start Node with it);
//   - OCRKIT_MALLOC_TUNING=lean adds M_MMAP_THRESHOLD = 1 MB: 277 MB, but every
//     multi-MB buffer is then a fresh mmap and its page faults cost ~9% of the
//     wall time.
// Applied once per process; OCRKIT_MALLOC_TUNING=0 turns it off (the host keeps
// glibc's defaults). Returns whether a setting was applied (false: turned off,
// not glibc, or mallopt refused).
bool TuneAllocator();

// Returns the free memory of every malloc arena to the system (glibc's
// malloc_trim), unless OCRKIT_MALLOC_TUNING=0. For after one-off work with
// large temporary allocations, such as loading models (parsing, graph
// optimisation: 30-50 MB freed afterwards in the loading threads' arenas,
// which only those threads would reuse).
void ReleaseFreeMemory();

}  // namespace ocr
