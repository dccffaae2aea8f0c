// PANet post-processing (pixel aggregation): text, kernel and embedding maps -> text regions.
// Reference: MMOCR 1.x mmocr/models/textdet/postprocessors/pan_postprocessor.py
// (1.x branch, 2022) with mmcv ops/csrc/pytorch/cpu/pixel_group.cpp (pixel_group,
// from WenmuZhou/PAN.pytorch). Deliberate differences are listed below.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "core/types.h"
#include "detect/db.h"  // BoxType

namespace ocr::detect {

struct PanParams {
  // Maps 0 (text) and 1 (kernel) are logits (MMOCR exports): apply a sigmoid
  // to them first. The embedding maps are used as they are.
  bool apply_sigmoid = true;
  float min_text_confidence = 0.5f;    // text = p0 > this
  float min_kernel_confidence = 0.5f;  // kernel = p1 > this AND text
  // A text pixel joins a kernel when the Euclidean distance between its
  // embedding and the kernel's mean embedding is < this (strictly, as mmcv).
  float distance_threshold = 3.0f;
  // Kernels (4-connected components) with fewer pixels grow nothing; their
  // pixels stay text pixels that other kernels may take. MMOCR has no such
  // filter, hence 0.
  int min_kernel_area = 0;
  // An instance is dropped when its mean text probability is <= this or its
  // area (pixels at map scale) is < min_text_area (MMOCR 1.x: 0.3 and 16;
  // MMOCR 0.x min_text_avg_confidence 0.85).
  float score_threshold = 0.3f;
  int min_text_area = 16;
  // kQuad: min-area quad of the instance. kPolygon: its outer contour (MMOCR
  // "poly", the MMOCR default); epsilon_ratio > 0 simplifies it by
  // approxPolyDP with epsilon = ratio * perimeter (MMOCR does not: 0).
  BoxType box_type = BoxType::kQuad;
  float epsilon_ratio = 0.0f;
};

// `maps`: the network's C >= 3 maps of one image, each CV_32FC1 (H x W) at
// the output resolution: maps[0] text, maps[1] kernel, maps[2..C-1] the
// embedding (4 channels in PANet; views into an NCHW tensor need no copy).
// `dest_size`: the image the regions are reported in; coordinates are scaled
// per axis by dest/map, rounded half to even and clamped to [0, dest - 1]
// (ScaleAndClamp, as DB).
//
// Algorithm (mmcv pixel_group): the 4-connected components of the kernel
// mask are the instances; each has the mean embedding of its pixels. From
// every kernel pixel (raster order), a breadth-first search through
// 4-neighbours takes each unlabelled text pixel whose embedding lies within
// distance_threshold of the mean embedding of the kernel it grows from; the
// first kernel to reach a pixel keeps it. A text pixel far from every kernel
// it touches stays unassigned. Each instance's score is the mean of p0 over
// its pixels (kernel and aggregated).
//
// Differences from MMOCR: a non-finite value in maps 0-1 counts as 0
// (background), and a pixel with a non-finite embedding value is background
// (it would poison a kernel mean or never compare); min_kernel_area exists.
//
// Regions come in kernel order (raster order of a kernel's first pixel);
// `quad` is the min-area quad (TL, TR, BR, BL), `polygon` repeats it (kQuad)
// or is the outline (kPolygon; outlines of fewer than 4 points, i.e.
// one-pixel-wide lines, are dropped as in MMOCR). An empty map (0 rows or
// columns) gives no regions.
// Throws ocr::Error: kInternal for maps that are not a valid network output
// (fewer than 3 maps, a type other than CV_32FC1, maps of different sizes:
// pipeline bugs); kInvalidOption for non-finite thresholds or epsilon_ratio,
// distance_threshold or epsilon_ratio < 0, negative areas or a non-positive
// dest_size.
std::vector<TextRegion> PanPostprocess(const std::vector<cv::Mat>& maps, const PanParams& params,
                                       cv::Size dest_size);

}  // namespace ocr::detect
