// JS values -> core parameter structs, and core results -> flat JS values.
// lib/ validates and defaults everything first; these readers still check
// types so that no value a caller can send crashes the process.
#pragma once

#include <optional>
#include <string>

#include <napi.h>

#include "detect/db.h"
#include "pipeline/detector.h"
#include "pipeline/detector_definition.h"
#include "pipeline/ocr.h"
#include "pipeline/recognizer_definition.h"
#include "preprocess/det_preprocess.h"
#include "runtime/session.h"

namespace ocrkit {

struct DetectorConfig {
  std::string model_path;
  ocr::pipeline::DetectorDefinition definition;  // resolved and validated by lib/
};

struct RecognizerConfig {
  std::string model_path;
  ocr::pipeline::RecognizerDefinition definition;  // resolved and validated by lib/
  ocr::pipeline::DictionarySource dictionary;
};

struct PageClassifierConfig {
  std::string model_path;
  ocr::pipeline::PageClassifierDefinition definition;
};

struct EngineConfig {
  std::string runtime_path;
  DetectorConfig detector;
  RecognizerConfig recognizer;
  std::string classifier_model_path;
  ocr::classify::ClsParams classifier;  // input policy and label order (the threshold comes with each call)
  bool classifier_at_create = false;    // load it with the engine (its default turns it on), else at first use
  std::optional<PageClassifierConfig> page_classifier;
  ocr::runtime::SessionConfig session;
  int recognition_parallelism = 1;  // > 1: the recogniser's session is single-threaded, its batches run in parallel;
                                    // 0: as on the CPU if every provider asked for falls back to it, else 1
};

struct CallParams {
  ocr::pipeline::OcrParams ocr;  // detection resize + DB params live in here too
  bool apply_exif_orientation = true;
  int64_t max_pixels = 0;
};

EngineConfig ReadEngineConfig(const Napi::Object& config);
CallParams ReadCallParams(const Napi::Object& params);

// {quads: Float32Array(8n), scores: Float32Array(n), polygons?, polygonOffsets?,
//  width, height, inputWidth, inputHeight, timings}
Napi::Object DetectionToJs(Napi::Env env, const ocr::pipeline::DetectionResult& result,
                           bool polygons);

// {width, height, quads, boxScores, texts, scores, angles, timings} or {error: {code, message}}
// With `characters`: also charOffsets, charTexts, charScores and charQuads (CTC).
Napi::Object OcrResultToJs(Napi::Env env, const ocr::pipeline::OcrImageResult& result, bool characters);

// {texts, scores, timings} for recognition alone; with `characters` also
// charOffsets, charTexts, charScores and charSpans (CTC).
// `angles`: the text-line classifier's turn of each crop, when it ran.
Napi::Object TextsToJs(Napi::Env env, const std::vector<ocr::recognize::DecodedText>& texts,
                       const ocr::pipeline::OcrTimes& times, bool characters, const std::vector<int>* angles);

}  // namespace ocrkit
