// Text recognition stage: crops -> batches sorted by aspect ratio -> CTC text.
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "core/cancel.h"
#include "preprocess/rec_preprocess.h"
#include "recognize/charset.h"
#include "recognize/ctc.h"
#include "runtime/session.h"

namespace ocr::pipeline {

struct RecognizeTimes {
  double preprocess_ms = 0;
  double inference_ms = 0;
  double decode_ms = 0;
};

struct RecognizeOptions {
  int batch_size = 6;          // crops per session run (PaddleOCR rec_batch_num)
  bool mask_padding = false;   // decode only the steps covering the crop (MMOCR); PaddleOCR decodes all
  // Most input columns (crops x padded batch width) in one session run. A
  // batch wider than this runs in several runs of fewer crops at the SAME
  // padded width, so every crop sees exactly the input PaddleOCR gives it;
  // only the peak activation memory of very wide batches drops. 0: no limit.
  int max_run_columns = 0;
};

class Recognizer {
 public:
  // Checks the model ([N,3,H,W] in, [N,T,C] out) and that C matches the
  // charset, with one warm-up run.
  Recognizer(std::shared_ptr<const runtime::Session> session, recognize::Charset charset,
             preprocess::RecResizeParams resize, recognize::CtcParams ctc);

  // Recognises BGR crops; results in input order. Crops are sorted by aspect
  // ratio and run in batches (PaddleOCR's TextRecognizer order).
  std::vector<recognize::DecodedText> Recognize(const std::vector<cv::Mat>& crops,
                                                const RecognizeOptions& options, CancelToken* cancel,
                                                RecognizeTimes* times) const;

  const recognize::Charset& charset() const { return charset_; }

 private:
  void CheckModel() const;
  void CheckOutput(const runtime::Tensor& out, int batch) const;

  std::shared_ptr<const runtime::Session> session_;
  recognize::Charset charset_;
  preprocess::RecResizeParams resize_;
  recognize::CtcParams ctc_;
};

}  // namespace ocr::pipeline
