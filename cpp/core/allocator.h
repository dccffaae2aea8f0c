// Process allocator tuning for long-running OCR (glibc only).
#pragma once

namespace ocr {

// glibc raises its mmap threshold every time a large mmap'd block is freed
// (up to 32 MB on 64-bit), after which image, tensor and crop buffers of a few
// MB come from the per-thread malloc arenas and stay there: with calls landing
// on different libuv threads each arena keeps its own peak. Fixing the
// threshold at 1 MB (mallopt M_MMAP_THRESHOLD, which also stops the dynamic
// adjustment) gives such buffers back to the system when freed. Measured on
// bench/results/images (16 images, one engine): peak RSS 324 MB -> 277 MB,
// same results, no measurable time cost (bench/README.md).
//
// Applied once per process; the environment variable OCRKIT_MALLOC_TUNING=0
// turns it off (the host keeps glibc's defaults). Returns whether the
// threshold is set (false: turned off, not glibc, or mallopt refused).
bool TuneAllocator();

}  // namespace ocr
