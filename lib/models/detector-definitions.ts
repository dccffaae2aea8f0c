// Detection model definitions: what a detector's input wants, what its outputs hold and which
// post-processing turns them into regions. Built-in definitions name the project, version and
// file every default comes from; custom ones are validated field by field.
import { OcrError } from '../errors.js';
import { bool, clone, deepFreeze, fail, keys, num, obj, oneOf, own, readNameAndSource, show, str, triple } from '../validate.js';

/**
 * The largest side-length limit (and `maxSideLength`) a detector may be given: every detector input then fits in
 * 4096 x 4096. A DB detector needs ~150 bytes of activations per input pixel (4000 x 3008: 1.8 GB peak RSS), which
 * ONNX Runtime's arena keeps for the process; 8192 x 6144 took 7.9 GB and 30 s, and 16384 could not fit in memory.
 * PaddleX caps the detector's longer side at 4000 (max_side_limit).
 */
export const MAX_DETECTOR_SIDE = 4096;

export type DetectorAlgorithm = 'DB' | 'PSE' | 'PAN' | 'EAST' | 'FCE';
export const DETECTOR_ALGORITHMS: readonly DetectorAlgorithm[] = ['DB', 'PSE', 'PAN', 'EAST', 'FCE'];

/**
 * What one output tensor holds:
 * - 'probability' (DB): channel 0 is the text probability map (further channels, e.g. threshold maps, are ignored).
 * - 'kernels' (PSE): C logit maps, full text first, smallest kernel last.
 * - 'text-kernel-embedding' (PAN): text logits, kernel logits, then the similarity embedding (4 channels in PANet).
 * - 'score' (EAST, 1 channel) and 'geometry' (EAST QUAD, 8 channels: corner offsets in input pixels).
 * - 'classification' (FCE level, 4 logits: text region bg/fg, center region bg/fg) and 'regression' (FCE level,
 *   2(2k+1) channels: real parts of c_-k..c_k, then imaginary parts), or both in one 'classification-regression'
 *   tensor (4 + 2(2k+1) channels). Each FCE output names its level's `scale`.
 */
export type DetectorOutputRole =
  | 'probability'
  | 'kernels'
  | 'text-kernel-embedding'
  | 'score'
  | 'geometry'
  | 'classification'
  | 'regression'
  | 'classification-regression';
const ROLES: readonly DetectorOutputRole[] = [
  'probability',
  'kernels',
  'text-kernel-embedding',
  'score',
  'geometry',
  'classification',
  'regression',
  'classification-regression',
];

export interface DetectorSource {
  /** Project the defaults follow, e.g. 'PaddleOCR'. */
  project: string;
  /** Branch, release or commit, e.g. 'release/2.7'. */
  version: string;
  /** File(s) the values were read from. */
  file: string;
}

export interface DetectorInput {
  /** Channel order the network expects (images are decoded as BGR; 'rgb' swaps the planes). */
  colorOrder: 'bgr' | 'rgb';
  /** Per-channel mean, in colorOrder, after `scale`: x = (v * scale - mean) / std. */
  mean: [number, number, number];
  /** Per-channel std (> 0), in colorOrder. */
  std: [number, number, number];
  /** Pixel scale applied first (1/255 for mean/std in [0,1], 1 for mean/std on 0-255). */
  scale: number;
}

export interface DetectorSize {
  /** Default side-length limit (per-call `limitSideLength` overrides it). */
  limitSideLength: number;
  /** 'max': the longer side at most the limit (never enlarged); 'min': the shorter side at least the limit. */
  limitType: 'max' | 'min';
  /** With 'min', the longer side never exceeds this. Default 4000. */
  maxSideLength?: number;
  /** Each side is rounded to a multiple of this. */
  stride: number;
  /** Every input is resized to exactly [height, width] (size limits ignored). */
  fixed?: [number, number];
}

export interface DetectorOutput {
  /** Output tensor name; without it, outputs are matched by order and declared channel count. */
  name?: string;
  /** Only 'NCHW' ([N,H,W] counts as one channel). */
  layout: 'NCHW';
  channels: number;
  role: DetectorOutputRole;
  /** FCE only: input pixels per map pixel of this level (8, 16, 32). */
  scale?: number;
}

export interface DbDefinitionParams {
  binaryThreshold: number;
  boxThreshold: number;
  unclipRatio: number;
  maxCandidates: number;
  minSize: number;
  useDilation: boolean;
  scoreMode: 'fast' | 'slow';
  boxType: 'quad' | 'polygon';
}

export interface PseDefinitionParams {
  /** The maps are logits: apply a sigmoid first. */
  applySigmoid: boolean;
  /** Every map is binarised at probability > this. */
  minKernelConfidence: number;
  /** Instances whose mean text probability is lower are dropped. */
  scoreThreshold: number;
  /** Smallest-kernel components with fewer pixels seed nothing. */
  minKernelArea: number;
  /** Instances with fewer pixels (map scale) are dropped. */
  minTextArea: number;
  /** Polygon simplification (approxPolyDP epsilon = ratio * perimeter); 0: none. */
  epsilonRatio: number;
  boxType: 'quad' | 'polygon';
}

export interface PanDefinitionParams {
  applySigmoid: boolean;
  minTextConfidence: number;
  minKernelConfidence: number;
  /** A text pixel joins a kernel whose mean embedding is closer than this. */
  distanceThreshold: number;
  minKernelArea: number;
  scoreThreshold: number;
  minTextArea: number;
  epsilonRatio: number;
  boxType: 'quad' | 'polygon';
}

export interface EastDefinitionParams {
  scoreThreshold: number;
  coverThreshold: number;
  nmsThreshold: number;
  /** Input pixels per map pixel (1 / downsampleRatio). */
  stride: number;
  /** Quads with an edge shorter than this (image pixels) are dropped. */
  minEdge: number;
  boxType: 'quad' | 'polygon';
}

export interface FceDefinitionParams {
  /** Level scales; every one needs its outputs. */
  scales: number[];
  fourierDegree: number;
  numPoints: number;
  scoreThreshold: number;
  nmsThreshold: number;
  alpha: number;
  beta: number;
  boxType: 'quad' | 'polygon';
}

export type DetectorPostprocess =
  | { algorithm: 'DB'; params: DbDefinitionParams }
  | { algorithm: 'PSE'; params: PseDefinitionParams }
  | { algorithm: 'PAN'; params: PanDefinitionParams }
  | { algorithm: 'EAST'; params: EastDefinitionParams }
  | { algorithm: 'FCE'; params: FceDefinitionParams };

/** A complete, validated detector definition. */
export interface DetectorDefinition {
  name: string;
  source: DetectorSource;
  input: DetectorInput;
  size: DetectorSize;
  outputs: DetectorOutput[];
  /** Output map size / input size: 1 for DB maps at input resolution, 0.25 for PSE/PAN/EAST (FCE: per-level scale). */
  downsampleRatio: number;
  postprocess: DetectorPostprocess;
}

/**
 * A custom definition as createOcr accepts it: every field of DetectorDefinition, or `extends` a built-in name
 * and give only what differs (input, size and params are merged field by field; outputs replace the base's).
 * Params left out take the defaults of the built-in definition named like the algorithm ('DB', 'PSE', ...).
 */
export interface DetectorDefinitionInput {
  extends?: string;
  name?: string;
  source?: Partial<DetectorSource>;
  input?: Partial<DetectorInput>;
  size?: Partial<DetectorSize>;
  outputs?: DetectorOutput[];
  downsampleRatio?: number;
  postprocess?: { algorithm?: DetectorAlgorithm; params?: Record<string, unknown> };
}

// ImageNet statistics, as PaddleOCR (on 0-1) and MMOCR / MindOCR (on 0-255) write them.
const IMAGENET_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_STD: [number, number, number] = [0.229, 0.224, 0.225];
const IMAGENET_MEAN_255: [number, number, number] = [123.675, 116.28, 103.53];
const IMAGENET_STD_255: [number, number, number] = [58.395, 57.12, 57.375];

// MindOCR tools/infer/text (master, 2024; commit 02c01938): the same pre- and post-processing for
// every DB network its --det_algorithm names (config.py choices DB, DB++, DB_MV3, DB_PPOCRv3, PSE).
function mindocrDb(name: string, network: string): DetectorDefinition {
  return {
    name,
    source: {
      project: 'MindOCR',
      version: 'master (tools/infer/text, commit 02c01938)',
      file: `tools/infer/text/{config,preprocess,postprocess}.py; network ${network}`,
    },
    input: {
      colorOrder: 'rgb', // preprocess.py: DecodeImage img_mode "RGB", NormalizeImage bgr_to_rgb False
      mean: IMAGENET_MEAN_255, // preprocess.py: IMAGENET_DEFAULT_MEAN = [0.485*255, 0.456*255, 0.406*255]
      std: IMAGENET_STD_255, // preprocess.py: IMAGENET_DEFAULT_STD = [0.229*255, 0.224*255, 0.225*255]
      scale: 1, // to_float32 False: normalised on 0-255
    },
    size: {
      limitSideLength: 960, // config.py --det_limit_side_len 960
      limitType: 'max', // config.py --det_limit_type "max"
      maxSideLength: 4000, // ocrkit's cap for 'min' (MindOCR has none)
      stride: 32, // DetResize force_divisable, divisor 32
    },
    outputs: [{ layout: 'NCHW', channels: 1, role: 'probability' }],
    downsampleRatio: 1, // DBHead upsamples to the input resolution
    postprocess: {
      algorithm: 'DB',
      params: {
        binaryThreshold: 0.3, // postprocess.py DBPostprocess binary_thresh 0.3
        boxThreshold: 0.6, // postprocess.py box_thresh 0.6 (0.7 only for DB_PPOCRv3)
        unclipRatio: 1.5, // postprocess.py expand_ratio 1.5
        maxCandidates: 1000, // postprocess.py max_candidates 1000
        minSize: 3, // ocrkit / PaddleOCR db_postprocess.py min_size 3
        useDilation: false, // config.py --use_dilation False
        scoreMode: 'fast', // config.py --det_db_score_mode "fast"
        boxType: 'quad', // postprocess.py box_type "quad"
      },
    },
  };
}

const BUILT_IN: readonly DetectorDefinition[] = [
  {
    name: 'PP-OCRv4',
    source: {
      project: 'PaddleOCR',
      version: 'release/2.7',
      file: 'tools/infer/utility.py, tools/infer/predict_det.py, ppocr/postprocess/db_postprocess.py',
    },
    input: {
      colorOrder: 'bgr', // predict_det.py: the image as cv2 reads it, never converted to RGB
      mean: IMAGENET_MEAN, // predict_det.py NormalizeImage mean [0.485, 0.456, 0.406]
      std: IMAGENET_STD, // predict_det.py NormalizeImage std [0.229, 0.224, 0.225]
      scale: 1 / 255, // predict_det.py NormalizeImage scale 1./255.
    },
    size: {
      limitSideLength: 960, // utility.py --det_limit_side_len 960
      limitType: 'max', // utility.py --det_limit_type "max"
      maxSideLength: 4000, // PaddleX max_side_limit 4000 (applies to 'min')
      stride: 32, // DetResizeForTest resize_image_type0: multiples of 32
    },
    outputs: [{ layout: 'NCHW', channels: 1, role: 'probability' }], // [N,1,H,W] sigmoid map
    downsampleRatio: 1,
    postprocess: {
      algorithm: 'DB',
      params: {
        binaryThreshold: 0.3, // utility.py --det_db_thresh 0.3
        boxThreshold: 0.6, // utility.py --det_db_box_thresh 0.6
        unclipRatio: 1.5, // utility.py --det_db_unclip_ratio 1.5
        maxCandidates: 1000, // predict_det.py max_candidates 1000
        minSize: 3, // db_postprocess.py min_size 3
        useDilation: false, // utility.py --use_dilation False
        scoreMode: 'fast', // utility.py --det_db_score_mode "fast"
        boxType: 'quad', // utility.py --det_box_type "quad"
      },
    },
  },
  mindocrDb('DB', 'dbnet_resnet50 (configs/det/dbnet/db_r50_icdar15.yaml)'),
  // PaddleOCR's own DB++ differs: BGR, mean [0.48109378, 0.45752457, 0.40787054], std [1, 1, 1] on 0-1.
  mindocrDb('DB++', 'dbnetpp_resnet50 (configs/det/dbnet/db++_r50_icdar15.yaml)'),
  mindocrDb('DB_MV3', 'dbnet_mobilenetv3 (configs/det/dbnet/db_mobilenetv3_icdar15.yaml)'),
  {
    name: 'PSE',
    source: {
      project: 'MMOCR',
      version: '1.x (main, 2022-2023)',
      file:
        'configs/textdet/psenet/_base_psenet_resnet50_fpnf.py, psenet_resnet50_fpnf_600e_icdar2015.py, ' +
        'mmocr/models/textdet/postprocessors/pse_postprocessor.py',
    },
    input: {
      colorOrder: 'rgb', // TextDetDataPreprocessor bgr_to_rgb=True
      mean: IMAGENET_MEAN_255, // TextDetDataPreprocessor mean [123.675, 116.28, 103.53]
      std: IMAGENET_STD_255, // TextDetDataPreprocessor std [58.395, 57.12, 57.375]
      scale: 1,
    },
    size: {
      limitSideLength: 2240, // test_pipeline Resize scale (2240, 2240) keep_ratio (MMOCR also enlarges; ocrkit's 'max' does not)
      limitType: 'max',
      maxSideLength: 4000, // ocrkit
      stride: 32, // pad_size_divisor 32 (ocrkit rounds the size instead of padding)
    },
    outputs: [{ layout: 'NCHW', channels: 7, role: 'kernels' }], // PSEHead out_channel 7, logits
    downsampleRatio: 0.25, // PSEPostprocessor downsample_ratio 0.25
    postprocess: {
      algorithm: 'PSE',
      params: {
        applySigmoid: true, // pse_postprocessor.py: sigmoid on every map
        minKernelConfidence: 0.5, // pse_postprocessor.py min_kernel_confidence 0.5
        scoreThreshold: 0.3, // pse_postprocessor.py score_threshold 0.3 (0.x: min_text_avg_confidence 0.85)
        minKernelArea: 0, // pse_postprocessor.py min_kernel_area 0
        minTextArea: 16, // pse_postprocessor.py min_text_area 16
        epsilonRatio: 0, // no simplification of outlines
        boxType: 'quad', // psenet_resnet50_fpnf_600e_icdar2015.py text_repr_type 'quad'
      },
    },
  },
  {
    name: 'PAN',
    source: {
      project: 'MMOCR',
      version: '1.x (main, 2022-2023)',
      file:
        'configs/textdet/panet/_base_panet_resnet18_fpem-ffm.py, ' +
        'mmocr/models/textdet/postprocessors/pan_postprocessor.py',
    },
    input: {
      colorOrder: 'rgb', // TextDetDataPreprocessor bgr_to_rgb=True
      mean: IMAGENET_MEAN_255, // TextDetDataPreprocessor mean [123.675, 116.28, 103.53]
      std: IMAGENET_STD_255, // TextDetDataPreprocessor std [58.395, 57.12, 57.375]
      scale: 1,
    },
    size: {
      limitSideLength: 736, // test_pipeline ShortScaleAspectJitter short_size 736
      limitType: 'min',
      maxSideLength: 4000, // ocrkit's cap (MMOCR has none)
      stride: 32, // pad_size_divisor 32 (ocrkit rounds instead of padding)
    },
    outputs: [{ layout: 'NCHW', channels: 6, role: 'text-kernel-embedding' }], // PANHead out_channel 6
    downsampleRatio: 0.25, // PANPostprocessor downsample_ratio 0.25
    postprocess: {
      algorithm: 'PAN',
      params: {
        applySigmoid: true, // pan_postprocessor.py: sigmoid on channels 0-1
        minTextConfidence: 0.5, // pan_postprocessor.py min_text_confidence 0.5
        minKernelConfidence: 0.5, // pan_postprocessor.py min_kernel_confidence 0.5
        distanceThreshold: 3.0, // pan_postprocessor.py distance_threshold 3.0
        minKernelArea: 0, // MMOCR has no kernel-area filter
        scoreThreshold: 0.3, // pan_postprocessor.py score_threshold 0.3 (0.x: min_text_avg_confidence 0.85)
        minTextArea: 16, // pan_postprocessor.py min_text_area 16
        epsilonRatio: 0, // no simplification of outlines
        boxType: 'quad', // _base_panet_resnet18_fpem-ffm.py PANPostprocessor text_repr_type 'quad'
      },
    },
  },
  {
    name: 'EAST',
    source: {
      project: 'PaddleOCR',
      version: 'release/2.7',
      file: 'tools/infer/utility.py, tools/infer/predict_det.py, ppocr/postprocess/east_postprocess.py',
    },
    input: {
      colorOrder: 'bgr', // predict_det.py: as cv2 reads it
      mean: IMAGENET_MEAN, // predict_det.py NormalizeImage (EAST keeps the default operators)
      std: IMAGENET_STD,
      scale: 1 / 255,
    },
    size: {
      limitSideLength: 960, // utility.py --det_limit_side_len 960
      limitType: 'max', // utility.py --det_limit_type "max"
      maxSideLength: 4000,
      stride: 32,
    },
    // Unnamed: matched by channel count, so PaddleOCR's order (f_geo, f_score) works too.
    outputs: [
      { layout: 'NCHW', channels: 1, role: 'score' },
      { layout: 'NCHW', channels: 8, role: 'geometry' },
    ],
    downsampleRatio: 0.25, // east_postprocess.py: maps at 1/4 of the input
    postprocess: {
      algorithm: 'EAST',
      params: {
        scoreThreshold: 0.8, // utility.py --det_east_score_thresh 0.8
        coverThreshold: 0.1, // utility.py --det_east_cover_thresh 0.1
        nmsThreshold: 0.2, // utility.py --det_east_nms_thresh 0.2
        stride: 4, // east_postprocess.py restore_rectangle_quad: origin * 4
        minEdge: 5, // east_postprocess.py: boxes with an edge < 5 px are dropped
        boxType: 'quad',
      },
    },
  },
  {
    name: 'FCE',
    source: {
      project: 'PaddleOCR',
      version: 'release/2.7',
      file: 'tools/infer/utility.py, tools/infer/predict_det.py, ppocr/postprocess/fce_postprocess.py',
    },
    input: {
      colorOrder: 'bgr', // predict_det.py: as cv2 reads it
      mean: IMAGENET_MEAN, // predict_det.py NormalizeImage
      std: IMAGENET_STD,
      scale: 1 / 255,
    },
    size: {
      limitSideLength: 736, // predict_det.py FCE: DetResizeForTest rescale_img [1080, 736]
      limitType: 'min', // rescale_img: the shorter side to 736 ...
      maxSideLength: 1080, // ... unless the longer side would exceed 1080
      stride: 32,
    },
    // MMOCR / MMDeploy layout: per level a logits tensor and a Fourier tensor (k = 5: 22 channels).
    outputs: [
      { layout: 'NCHW', channels: 4, role: 'classification', scale: 8 },
      { layout: 'NCHW', channels: 22, role: 'regression', scale: 8 },
      { layout: 'NCHW', channels: 4, role: 'classification', scale: 16 },
      { layout: 'NCHW', channels: 22, role: 'regression', scale: 16 },
      { layout: 'NCHW', channels: 4, role: 'classification', scale: 32 },
      { layout: 'NCHW', channels: 22, role: 'regression', scale: 32 },
    ],
    downsampleRatio: 0.125, // the finest level; each output's own scale is what counts
    postprocess: {
      algorithm: 'FCE',
      params: {
        scales: [8, 16, 32], // utility.py --scales [8, 16, 32]
        fourierDegree: 5, // utility.py --fourier_degree 5
        numPoints: 50, // fce_postprocess.py num_reconstr_points 50
        scoreThreshold: 0.3, // fce_postprocess.py score_thr 0.3
        nmsThreshold: 0.1, // fce_postprocess.py nms_thr 0.1
        alpha: 1.0, // utility.py --alpha 1.0
        beta: 1.0, // utility.py --beta 1.0 (MMOCR 1.x: 2.0)
        boxType: 'polygon', // utility.py --det_fce_box_type "poly"
      },
    },
  },
];

export const DETECTOR_DEFINITION_NAMES: readonly string[] = BUILT_IN.map((d) => d.name);

export const DETECTOR_DEFINITIONS: Readonly<Record<string, DetectorDefinition>> = deepFreeze(
  Object.fromEntries(BUILT_IN.map((d) => [d.name, d])),
);

// Built-in whose params fill a custom definition's missing ones.
const ALGORITHM_DEFAULTS: Record<DetectorAlgorithm, string> = { DB: 'DB', PSE: 'PSE', PAN: 'PAN', EAST: 'EAST', FCE: 'FCE' };

// ---- validation -------------------------------------------------------------------------------

const unit = (value: unknown, path: string) => num(value, path, 0, 1);
const area = (value: unknown, path: string) => num(value, path, 0, 1 << 30, { integer: true });
const boxType = (value: unknown, path: string) => oneOf(value, path, ['quad', 'polygon'] as const);

type ParamReaders = Record<string, (value: unknown, path: string) => unknown>;

const PARAM_READERS: Record<DetectorAlgorithm, ParamReaders> = {
  DB: {
    binaryThreshold: unit,
    boxThreshold: unit,
    unclipRatio: (v, p) => num(v, p, 0, 100, { above: true }),
    maxCandidates: (v, p) => num(v, p, 1, 1_000_000, { integer: true }),
    minSize: (v, p) => num(v, p, 0, 10_000),
    useDilation: bool,
    scoreMode: (v, p) => oneOf(v, p, ['fast', 'slow'] as const),
    boxType,
  },
  PSE: {
    applySigmoid: bool,
    minKernelConfidence: unit,
    scoreThreshold: unit,
    minKernelArea: area,
    minTextArea: area,
    epsilonRatio: unit,
    boxType,
  },
  PAN: {
    applySigmoid: bool,
    minTextConfidence: unit,
    minKernelConfidence: unit,
    distanceThreshold: (v, p) => num(v, p, 0, 1e6),
    minKernelArea: area,
    scoreThreshold: unit,
    minTextArea: area,
    epsilonRatio: unit,
    boxType,
  },
  EAST: {
    scoreThreshold: unit,
    coverThreshold: unit,
    nmsThreshold: unit,
    stride: (v, p) => num(v, p, 1, 1024, { integer: true }),
    minEdge: (v, p) => num(v, p, 0, 1e6),
    boxType,
  },
  FCE: {
    scales: (v, p) => {
      if (!Array.isArray(v) || v.length === 0) fail(p, 'a non-empty array of integers', v);
      return Array.from(v, (s: unknown, i) => num(s, `${p}[${i}]`, 1, 1024, { integer: true }));
    },
    fourierDegree: (v, p) => num(v, p, 1, 64, { integer: true }),
    numPoints: (v, p) => num(v, p, 3, 100_000, { integer: true }),
    scoreThreshold: unit,
    nmsThreshold: unit,
    alpha: (v, p) => num(v, p, 0, 100),
    beta: (v, p) => num(v, p, 0, 100),
    boxType,
  },
};

const ALGORITHM_ROLES: Record<DetectorAlgorithm, readonly DetectorOutputRole[]> = {
  DB: ['probability'],
  PSE: ['kernels'],
  PAN: ['text-kernel-embedding'],
  EAST: ['score', 'geometry'],
  FCE: ['classification', 'regression', 'classification-regression'],
};

function readOutput(value: unknown, path: string, algorithm: DetectorAlgorithm): DetectorOutput {
  const o = obj(value, path);
  keys(o, ['name', 'layout', 'channels', 'role', 'scale'], path);
  const out: DetectorOutput = {
    layout: oneOf(o['layout'] ?? 'NCHW', `${path}.layout`, ['NCHW'] as const),
    channels: num(o['channels'], `${path}.channels`, 1, 4096, { integer: true }),
    role: oneOf(o['role'], `${path}.role`, ALGORITHM_ROLES[algorithm]),
  };
  if (o['name'] !== undefined) out.name = str(o['name'], `${path}.name`);
  if (algorithm === 'FCE') out.scale = num(o['scale'], `${path}.scale`, 1, 1024, { integer: true });
  else if (o['scale'] !== undefined) fail(`${path}.scale`, 'no scale (FCE outputs only)', o['scale']);
  return out;
}

// Output structure per algorithm, channel counts included.
function checkOutputs(d: DetectorDefinition, path: string): void {
  const outs = d.outputs;
  const at = (i: number) => `${path}.outputs[${i}]`;
  const need = (i: number, ok: boolean, expected: string) => {
    if (!ok) fail(`${at(i)}.channels`, expected, outs[i]!.channels);
  };
  const { postprocess: pp } = d;
  switch (pp.algorithm) {
    case 'DB':
    case 'PSE':
    case 'PAN':
      if (outs.length !== 1) fail(`${path}.outputs`, `exactly one output for ${pp.algorithm}`, outs);
      if (pp.algorithm === 'PAN') need(0, outs[0]!.channels >= 3, '>= 3 (text, kernel, embedding)');
      break;
    case 'EAST': {
      const roles = outs.map((o) => o.role).sort();
      if (outs.length !== 2 || roles[0] !== 'geometry' || roles[1] !== 'score') {
        fail(`${path}.outputs`, "one 'score' and one 'geometry' output", outs);
      }
      outs.forEach((o, i) => need(i, o.channels === (o.role === 'score' ? 1 : 8), o.role === 'score' ? '1' : '8 (QUAD)'));
      if (Math.abs(pp.params.stride * d.downsampleRatio - 1) > 1e-9) {
        fail(`${path}.postprocess.params.stride`, `1 / downsampleRatio (${1 / d.downsampleRatio})`, pp.params.stride);
      }
      break;
    }
    case 'FCE': {
      const n = 2 * pp.params.fourierDegree + 1;
      if (pp.params.numPoints < n) fail(`${path}.postprocess.params.numPoints`, `>= 2 * fourierDegree + 1 (${n})`, pp.params.numPoints);
      outs.forEach((o, i) => {
        if (!pp.params.scales.includes(o.scale!)) fail(`${at(i)}.scale`, `one of postprocess.params.scales ${show(pp.params.scales)}`, o.scale);
        if (o.role === 'classification') need(i, o.channels === 4, '4 (text and center logits)');
        if (o.role === 'regression') need(i, o.channels === 2 * n, `${2 * n} (2(2k+1), k = fourierDegree)`);
        if (o.role === 'classification-regression') need(i, o.channels === 4 + 2 * n, `${4 + 2 * n} (4 + 2(2k+1))`);
      });
      for (const scale of pp.params.scales) {
        const level = outs.filter((o) => o.scale === scale).map((o) => o.role).sort().join(',');
        if (level !== 'classification,regression' && level !== 'classification-regression') {
          fail(`${path}.outputs`, `for scale ${scale} one 'classification' and one 'regression' output, or one 'classification-regression' output`, level || 'none');
        }
      }
      break;
    }
  }
  const names = outs.map((o) => o.name).filter((x) => x !== undefined);
  if (new Set(names).size !== names.length) fail(`${path}.outputs`, 'distinct output names', names);
}

function unknownName(name: string, path: string): never {
  throw new OcrError(
    'ERR_OCR_INVALID_OPTION',
    `${path}: unknown detector definition ${show(name)} (known: ${DETECTOR_DEFINITION_NAMES.join(', ')})`,
  );
}


/**
 * Resolves a built-in definition name or validates a custom definition object, returning a complete definition
 * (a fresh copy). Throws OcrError ERR_OCR_INVALID_OPTION naming the field's path.
 */
export function resolveDetectorDefinition(value: unknown, path = 'detector.definition'): DetectorDefinition {
  if (typeof value === 'string') {
    const found = own(DETECTOR_DEFINITIONS, value);
    if (!found) unknownName(value, path);
    return clone(found);
  }
  const o = obj(value, path);
  keys(o, ['extends', 'name', 'source', 'input', 'size', 'outputs', 'downsampleRatio', 'postprocess'], path);
  let base: DetectorDefinition | undefined;
  if (o['extends'] !== undefined) {
    if (typeof o['extends'] !== 'string') fail(`${path}.extends`, 'a built-in definition name', o['extends']);
    base = own(DETECTOR_DEFINITIONS, o['extends']);
    if (!base) unknownName(o['extends'], `${path}.extends`);
  }
  const post = o['postprocess'] === undefined ? {} : obj(o['postprocess'], `${path}.postprocess`);
  keys(post, ['algorithm', 'params'], `${path}.postprocess`);
  const algorithmValue = post['algorithm'] ?? base?.postprocess.algorithm;
  if (typeof algorithmValue !== 'string' || !(DETECTOR_ALGORITHMS as readonly string[]).includes(algorithmValue)) {
    throw new OcrError(
      'ERR_OCR_INVALID_OPTION',
      `${path}.postprocess.algorithm: unknown algorithm ${show(algorithmValue)} (known: ${DETECTOR_ALGORITHMS.join(', ')})`,
    );
  }
  const algorithm = algorithmValue as DetectorAlgorithm;
  const sameAlgorithmBase = base && base.postprocess.algorithm === algorithm ? base : undefined;
  const paramBase = (sameAlgorithmBase ?? DETECTOR_DEFINITIONS[ALGORITHM_DEFAULTS[algorithm]]!).postprocess.params as unknown as Record<
    string,
    unknown
  >;

  // Params: base values, then the caller's, each validated.
  const readers = PARAM_READERS[algorithm];
  const given = post['params'] === undefined ? {} : obj(post['params'], `${path}.postprocess.params`);
  keys(given, Object.keys(readers), `${path}.postprocess.params`);
  const params: Record<string, unknown> = {};
  for (const [key, read] of Object.entries(readers)) {
    params[key] = read(given[key] ?? paramBase[key], `${path}.postprocess.params.${key}`);
  }

  // Input.
  const input = o['input'] === undefined ? {} : obj(o['input'], `${path}.input`);
  keys(input, ['colorOrder', 'mean', 'std', 'scale'], `${path}.input`);
  const pick = (group: Record<string, unknown>, key: string, fallback: unknown, what: string) => {
    const v = group[key] ?? fallback;
    if (v === undefined) fail(`${path}.${what}.${key}`, 'a value (no base definition to take it from)', v);
    return v;
  };
  const resolvedInput: DetectorInput = {
    colorOrder: oneOf(pick(input, 'colorOrder', base?.input.colorOrder, 'input'), `${path}.input.colorOrder`, ['bgr', 'rgb'] as const),
    mean: triple(pick(input, 'mean', base?.input.mean, 'input'), `${path}.input.mean`, false),
    std: triple(pick(input, 'std', base?.input.std, 'input'), `${path}.input.std`, true),
    scale: num(pick(input, 'scale', base?.input.scale, 'input'), `${path}.input.scale`, 0, 1e6, { above: true }),
  };

  // Size.
  const size = o['size'] === undefined ? {} : obj(o['size'], `${path}.size`);
  keys(size, ['limitSideLength', 'limitType', 'maxSideLength', 'stride', 'fixed'], `${path}.size`);
  const resolvedSize: DetectorSize = {
    limitSideLength: num(size['limitSideLength'] ?? base?.size.limitSideLength ?? 960, `${path}.size.limitSideLength`, 32, MAX_DETECTOR_SIDE, {
      integer: true,
    }),
    limitType: oneOf(size['limitType'] ?? base?.size.limitType ?? 'max', `${path}.size.limitType`, ['max', 'min'] as const),
    maxSideLength: num(size['maxSideLength'] ?? base?.size.maxSideLength ?? 4000, `${path}.size.maxSideLength`, 32, MAX_DETECTOR_SIDE, {
      integer: true,
    }),
    stride: num(size['stride'] ?? base?.size.stride ?? 32, `${path}.size.stride`, 1, 1024, { integer: true }),
  };
  const fixed = size['fixed'] ?? base?.size.fixed;
  if (fixed !== undefined) {
    if (!Array.isArray(fixed) || fixed.length !== 2) fail(`${path}.size.fixed`, '[height, width]', fixed);
    resolvedSize.fixed = [
      num(fixed[0], `${path}.size.fixed[0]`, 1, MAX_DETECTOR_SIDE, { integer: true }),
      num(fixed[1], `${path}.size.fixed[1]`, 1, MAX_DETECTOR_SIDE, { integer: true }),
    ];
  }

  // Outputs: the caller's, or the base's when it has the same algorithm.
  const outputsValue = o['outputs'] ?? sameAlgorithmBase?.outputs;
  if (!Array.isArray(outputsValue) || outputsValue.length === 0) {
    fail(`${path}.outputs`, 'a non-empty array of outputs', outputsValue);
  }
  // Array.from: a sparse array's holes read as undefined (map would skip them and leave holes).
  const outputs = Array.from(outputsValue as unknown[], (v, i) => readOutput(v, `${path}.outputs[${i}]`, algorithm));

  const ratioValue =
    o['downsampleRatio'] ?? sameAlgorithmBase?.downsampleRatio ?? DETECTOR_DEFINITIONS[ALGORITHM_DEFAULTS[algorithm]]!.downsampleRatio;
  const downsampleRatio = num(ratioValue, `${path}.downsampleRatio`, 0, 16, { above: true });

  const definition: DetectorDefinition = {
    ...readNameAndSource(o, base, path),
    input: resolvedInput,
    size: resolvedSize,
    outputs,
    downsampleRatio,
    postprocess: { algorithm, params } as unknown as DetectorPostprocess,
  };
  checkOutputs(definition, path);
  return clone(definition);
}
