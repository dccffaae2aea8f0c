#!/usr/bin/python3
"""Generate small fixed-weight ONNX recognisers and classifiers for ocrkit's tests.

Run from the repository root with Debian's Python (nothing from PyPI):

    apt-get install -y --no-install-recommends python3-onnx python3-numpy \
        python3-pil fonts-dejavu-core
    /usr/bin/python3 scripts/gen-rec-models.py

Then check every model on its images with onnxruntime-node:

    node scripts/check-rec-models.mjs

Writes test/fixtures/rec-models/ (it deletes and rewrites that folder):
  *.onnx         hand-built graphs (onnx.helper, opset 13, fixed weights, no
                 training) whose outputs depend on the input image in a known way;
  dict36.txt     "0-9a-z", one character per line (DICT36 order);
  dict10.txt     a custom 10-character set with upper-case letters;
  images/*.png   the test inputs (8-bit grey PNGs);
  models.json    for every model: file, input (name, shape, normalisation),
                 output (name, layout, probabilities or logits), the token
                 convention and its special indices, the dictionary, the class
                 table, the grey level of each class, and every test image with
                 its token sequence and the exact expected decoded string/label.
  README.md      the same rules in prose.

Recognisers: the "cell" encoding
  The input [N,3,H,W] is cut into T cells of `cell_width` pixels (T = W /
  cell_width). The graph averages each cell over its channels and pixels
  (AveragePool with kernel = stride = [H, cell_width], then ReduceMean over the
  channels), giving v_t, and scores class k by -scale * (v_t - level_k)^2
  (Sub, Mul, Mul): argmax over k is the class whose level is nearest to v_t.
  Softmax (axis -1) follows for the models that output probabilities.
  level_k is the normalised value of the grey level cell_gray[k] listed in
  models.json: a test image paints cell t in grey cell_gray[token_t] (all three
  channels equal, so BGR/RGB order does not matter). Grey 128 belongs to the
  model's "background" class (CTC blank, attention padding / start / end), so
  zero padding after normalisation ((x/255 - 0.5)/0.5 = 0 at grey 127.5) reads
  as background: padded columns decode to nothing. Other classes get grey
  levels 128 +- j * step, in class-index order (darkest first), at least 6 grey
  levels apart; `scale` makes neighbouring classes differ by 8 in logit
  (softmax max probability about 0.9993 at an exact grey level).

Classifiers
  line_cls  [N,3,48,192] -> [N,2] softmax, labels ["0", "180"]:
            logit_0 = 20 * (mean of the top 24 rows - mean of the bottom 24
            rows), logit_180 = -logit_0 (means over channels and width, after
            normalisation; zero padding adds equally to both halves). Dark ink
            lowers a half's mean, so an image whose ink mass sits in its
            bottom half reads "0": the fixtures are text lines with a dark
            bar across the bottom, upright (label 0) and rotated 180 degrees (label 180).
  doc_cls   [N,3,224,224] -> [N,4] softmax, labels ["0","90","180","270"]:
            logit_e = -4 * mean of the 32-pixel strip along edge e, for the
            edges top, right, bottom, left in label order: the darkest edge
            wins. The upright page (label 0) has a dark header band along its
            top edge; label L is the upright page rotated L degrees CLOCKWISE
            (the band then lies along the right edge for 90, the bottom for
            180, the left for 270); rotating the image L degrees counter-
            clockwise restores it (PaddleX's doc_preprocessor rotates by the
            predicted angle with scipy.ndimage.rotate, counter-clockwise).

Everything is deterministic (no randomness); re-running gives the same bytes
with the same Debian package versions (onnx, Pillow, zlib, the DejaVu font).
"""

import json
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "rec-models")
IMAGES = os.path.join(OUT, "images")
OPSET = 13
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

DICT36 = list("0123456789abcdefghijklmnopqrstuvwxyz")
DICT10 = list("0123abcABC")

# (x / 255 - 0.5) / 0.5: PaddleOCR's recogniser/classifier normalisation, and
# MMOCR's mean 127.5 / std 127.5.
NORM_HALF = {"scale": 1 / 255, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
             "formula": "(x / 255 - 0.5) / 0.5 per channel"}
NORM_IMAGENET = {"scale": 1 / 255, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                 "formula": "(x / 255 - mean[c]) / std[c]; mean/std in the channel order fed (fixtures are grey)"}

BACKGROUND_GREY = 128


def normalise(grey, norm):
    """Mean over channels of the normalised value of a grey pixel (float64)."""
    x = grey * norm["scale"]
    return float(np.mean([(x - m) / s for m, s in zip(norm["mean"], norm["std"])]))


# ---------------------------------------------------------------- class tables

def attention_table(scheme, chars, omit_last_class=False):
    """Class table and special indices, as cpp/recognize/attention.cc builds them."""
    n = len(chars)
    t = {"start_index": -1, "end_index": -1, "padding_index": -1, "unknown_index": -1,
         "stop_at_end": True, "lowercase": False}
    if scheme == "kPaddleAttn":
        sym = ["sos"] + chars + ["eos"]
        t.update(start_index=0, end_index=n + 1, stop_at_end=False)
    elif scheme == "kPaddleSar":
        sym = chars + ["<UKN>", "<BOS/EOS>", "<PAD>"]
        t.update(unknown_index=n, start_index=n + 1, end_index=n + 1, padding_index=n + 2)
    elif scheme == "kPaddleNrtr":
        sym = ["blank", "<unk>", "<s>", "</s>"] + chars
        t.update(padding_index=0, unknown_index=1, start_index=2, end_index=3, lowercase=True)
    elif scheme == "kPaddleAbinet":
        sym = ["</s>"] + chars
        t.update(end_index=0, lowercase=True)
    elif scheme == "kMmocrDictionary":  # all flags set, same_start_end
        sym = chars + ["<BOS/EOS>", "<PAD>", "<UKN>"]
        t.update(start_index=n, end_index=n, padding_index=n + 1, unknown_index=n + 2)
    elif scheme == "kMmocr0Attn":
        sym = chars + ["<UKN>", "<BOS/EOS>", "<PAD>"]
        t.update(unknown_index=n, start_index=n + 1, end_index=n + 1, padding_index=n + 2)
    else:
        raise ValueError(scheme)
    if omit_last_class:
        last = len(sym) - 1
        sym = sym[:-1]
        for key in ("start_index", "end_index", "padding_index", "unknown_index"):
            if t[key] == last:
                t[key] = -1
    t["symbols"] = sym
    return t


def grey_levels(classes, background):
    """Grey level per class: background 128, others 128 +- j*step in index order."""
    others = classes - 1
    below = others // 2
    above = others - below
    step = min(16, 120 // max(below, above, 1))
    assert step >= 6, "too many classes for the grey-level encoding"
    ladder = [BACKGROUND_GREY + step * j for j in range(-below, above + 1) if j != 0]
    grey = [0] * classes
    it = iter(ladder)
    for k in range(classes):
        grey[k] = BACKGROUND_GREY if k == background else next(it)
    assert 0 <= min(grey) and max(grey) <= 255 and len(set(grey)) == classes
    return grey, step


# ---------------------------------------------------------------- graphs

def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def save_model(graph, path, doc):
    model = helper.make_model(graph, producer_name="ocrkit scripts/gen-rec-models.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 7  # opset 13 needs IR 7; keeps older runtimes happy
    model.doc_string = doc
    onnx.checker.check_model(model)
    onnx.save(model, path)
    size = os.path.getsize(path)
    assert size < 200 * 1024, (path, size)
    return size


def sequence_model(path, input_name, output_name, height, width, cell_width, levels, scale, softmax, doc):
    """[N,3,H,W] -> [N,T,C]: per-cell mean, radial-basis score per class level."""
    classes = len(levels)
    x = helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["N", 3, height, width])
    y = helper.make_tensor_value_info(output_name, TensorProto.FLOAT, ["N", "T", classes])
    nodes = [
        helper.make_node("AveragePool", [input_name], ["cells"], kernel_shape=[height, cell_width],
                         strides=[height, cell_width]),                      # [N,3,1,T]
        helper.make_node("ReduceMean", ["cells"], ["v"], axes=[1, 2], keepdims=0),  # [N,T]
        helper.make_node("Unsqueeze", ["v", "axis2"], ["v3"]),               # [N,T,1]
        helper.make_node("Sub", ["v3", "levels"], ["diff"]),                 # [N,T,C]
        helper.make_node("Mul", ["diff", "diff"], ["sq"]),
        helper.make_node("Mul", ["sq", "neg_scale"], ["logits" if softmax else output_name]),
    ]
    if softmax:
        nodes.append(helper.make_node("Softmax", ["logits"], [output_name], axis=-1))
    inits = [const("levels", levels), const("neg_scale", [-scale]),
             numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2")]
    graph = helper.make_graph(nodes, os.path.basename(path)[:-5], [x], [y], inits)
    return save_model(graph, path, doc)


def line_cls_model(path, k):
    w = np.zeros((48, 2), np.float32)
    w[:24, 0], w[24:, 0] = k / 24, -k / 24
    w[:, 1] = -w[:, 0]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 48, 192])
    y = helper.make_tensor_value_info("softmax_0.tmp_0", TensorProto.FLOAT, ["N", 2])
    nodes = [
        helper.make_node("ReduceMean", ["x"], ["rows"], axes=[1, 3], keepdims=0),  # [N,48]
        helper.make_node("MatMul", ["rows", "w"], ["logits"]),                    # [N,2]
        helper.make_node("Softmax", ["logits"], ["softmax_0.tmp_0"], axis=-1),
    ]
    graph = helper.make_graph(nodes, "line_cls", [x], [y], [const("w", w)])
    return save_model(graph, path, "text-line orientation 0/180: top-half vs bottom-half mean"), w


def doc_cls_model(path, k, strip):
    n = 224
    w = np.zeros((2 * n, 4), np.float32)  # rows 0..223: row means; 224..447: column means
    w[:strip, 0] = -k / strip                 # top edge    -> "0"
    w[n + n - strip:, 1] = -k / strip         # right edge  -> "90"
    w[n - strip:n, 2] = -k / strip            # bottom edge -> "180"
    w[n:n + strip, 3] = -k / strip            # left edge   -> "270"
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, n, n])
    y = helper.make_tensor_value_info("fetch_name_0", TensorProto.FLOAT, ["N", 4])
    nodes = [
        helper.make_node("ReduceMean", ["x"], ["grey"], axes=[1], keepdims=0),      # [N,224,224]
        helper.make_node("ReduceMean", ["grey"], ["row_means"], axes=[2], keepdims=0),  # [N,224]
        helper.make_node("ReduceMean", ["grey"], ["col_means"], axes=[1], keepdims=0),  # [N,224]
        helper.make_node("Concat", ["row_means", "col_means"], ["edges"], axis=1),   # [N,448]
        helper.make_node("MatMul", ["edges", "w"], ["logits"]),                      # [N,4]
        helper.make_node("Softmax", ["logits"], ["fetch_name_0"], axis=-1),
    ]
    graph = helper.make_graph(nodes, "doc_cls", [x], [y], [const("w", w)])
    return save_model(graph, path, "document orientation 0/90/180/270: darkest edge strip"), w


# ---------------------------------------------------------------- images

def save_png(array, name):
    path = os.path.join(IMAGES, name)
    Image.fromarray(np.asarray(array, np.uint8), "L").save(path, optimize=True)
    size = os.path.getsize(path)
    assert size < 20 * 1024, (path, size)
    return "images/" + name


def cell_image(tokens, grey, height, cell_width):
    row = np.repeat(np.array([grey[t] for t in tokens], np.uint8), cell_width)
    return np.tile(row, (height, 1))


def ctc_decode(tokens, symbols, blank):
    out, prev = [], -1
    for t in tokens:
        if t != blank and t != prev:
            out.append(symbols[t])
        prev = t
    return "".join(out)


def attention_decode(tokens, table, stop_at_end=None, unknown="symbol"):
    """attention.h AttentionGreedyDecode on exact tokens (kSymbol/kSkip policies)."""
    stop = table["stop_at_end"] if stop_at_end is None else stop_at_end
    out = []
    for t in tokens:
        if t == table["end_index"]:
            if stop:
                break
            continue
        if t in (table["start_index"], table["padding_index"]):
            continue
        if t == table["unknown_index"] and unknown == "skip":
            continue
        out.append(table["symbols"][t])
    text = "".join(out)
    return text.lower() if table["lowercase"] else text  # fixtures are ASCII


# ---------------------------------------------------------------- recognisers

def tokens_from(spec, table, steps, fill):
    """spec: list of characters or special names START/END/PAD/UNK/BLANK."""
    special = {"START": "start_index", "END": "end_index", "PAD": "padding_index", "UNK": "unknown_index"}
    out = []
    for item in spec:
        if item in special:
            index = table[special[item]]
            assert index >= 0, (item, "not in this scheme")
        else:
            index = table["symbols"].index(item)
        out.append(index)
    assert len(out) <= steps, (spec, steps)
    return out + [fill] * (steps - len(out))


def seq(text, *tail, head=()):
    return list(head) + list(text) + list(tail)


ATTENTION_MODELS = [
    # name, scheme, dictionary, omit_last_class, H, W, T, softmax, input, output, background, cases
    dict(name="paddle_attn", scheme="kPaddleAttn", scheme_name="PaddleOCR AttnLabelDecode",
         dictionary="dict36.txt", omit_last_class=False, height=32, width=100, steps=25, softmax=True,
         input="x", output="save_infer_model/scale_0.tmp_0", background="start_index",
         note="eos is skipped, not a stop (PaddleOCR 2.x AttnLabelDecode tests its ignored tokens first): "
              "characters after it are kept; expected_stop_at_end gives the text with stop_at_end = true",
         cases=[
             ("word", seq("hello", "END"), "hello"),
             ("repeat", seq("aa", "END"), "aa"),
             ("empty", ["END"], ""),
             ("max_length", seq("abcdefghijklmnopqrstuvwxy"), "abcdefghijklmnopqrstuvwxy"),
             ("start_skipped", seq("ab", "END", head=["START"]), "ab"),
             ("after_end", seq("ab", "END", "c", "END"), "abc"),
         ]),
    dict(name="paddle_sar", scheme="kPaddleSar", scheme_name="PaddleOCR SARLabelDecode",
         dictionary="dict10.txt", omit_last_class=False, height=48, width=160, steps=40, softmax=False,
         input="x", output="save_infer_model/scale_0.tmp_1", background="padding_index",
         cases=[
             ("word", seq("Cab1", "END"), "Cab1"),
             ("repeat", seq("aa", "END"), "aa"),
             ("empty", ["END"], ""),
             ("max_length", list(("0123abcABC" * 4)[:40]), ("0123abcABC" * 4)[:40]),
             ("padding_skipped", ["a", "PAD", "b", "PAD", "PAD", "c", "END"], "abc"),
             ("unknown", ["a", "UNK", "b", "END"], "a<UKN>b"),
             ("after_end", seq("ab", "END", "c", "END"), "ab"),
         ]),
    dict(name="paddle_nrtr", scheme="kPaddleNrtr", scheme_name="PaddleOCR NRTRLabelDecode",
         dictionary="dict10.txt", omit_last_class=False, height=32, width=100, steps=25, softmax=True,
         input="x", output="save_infer_model/scale_0.tmp_0", background="padding_index",
         note="NRTR lower-cases the text; padding is 'blank' (index 0); start '<s>' is skipped",
         cases=[
             ("word_lowercased", seq("AbC", "END", head=["START"]), "abc"),
             ("repeat", seq("aa", "END"), "aa"),
             ("empty", ["END"], ""),
             ("max_length", list(("0123abcABC" * 3)[:25]), ("0123abcABC" * 3)[:25].lower()),
             ("padding_skipped", ["1", "PAD", "2", "END"], "12"),
             ("unknown", ["a", "UNK", "b", "END"], "a<unk>b"),
         ]),
    dict(name="paddle_abinet", scheme="kPaddleAbinet", scheme_name="PaddleOCR ABINetLabelDecode",
         dictionary="dict36.txt", omit_last_class=False, height=32, width=256, steps=32, softmax=False,
         input="x", output="save_infer_model/scale_0.tmp_1", background="end_index",
         note="classes [</s>] + chars: no start, padding or unknown token; </s> (0) stops",
         cases=[
             ("word", seq("street", "END"), "street"),
             ("repeat", seq("aa", "END"), "aa"),
             ("empty", ["END"], ""),
             ("max_length", list("0123456789abcdefghijklmnopqrstuv"), "0123456789abcdefghijklmnopqrstuv"),
             ("after_end", seq("ab", "END", "c", "END"), "ab"),
         ]),
    dict(name="mmocr_dictionary", scheme="kMmocrDictionary", scheme_name="MMOCR 1.x Dictionary",
         dictionary="dict36.txt", omit_last_class=False, height=32, width=160, steps=40, softmax=True,
         input="input", output="output", background="padding_index",
         note="flags with_start, with_end, same_start_end, with_padding, with_unknown (the defaults)",
         cases=[
             ("word", seq("mmocr", "END"), "mmocr"),
             ("repeat", seq("aa", "END"), "aa"),
             ("empty", ["END"], ""),
             ("max_length", list(("0123456789abcdefghijklmnopqrstuvwxyz0123")[:40]),
              "0123456789abcdefghijklmnopqrstuvwxyz0123"),
             ("padding_skipped", ["x", "PAD", "y", "END"], "xy"),
             ("unknown", ["a", "UNK", "b", "END"], "a<UKN>b"),
             ("after_end", seq("ab", "END", "c", "END"), "ab"),
         ]),
    dict(name="mmocr0_sar", scheme="kMmocr0Attn", scheme_name="MMOCR 0.x AttnConvertor",
         dictionary="dict36.txt", omit_last_class=True, height=48, width=160, steps=40, softmax=True,
         input="input", output="output", background="end_index",
         note="SAR-style export: the model predicts every class but the last (<PAD> dropped; "
              "AttentionCharsetOptions::omit_last_class), so there is no padding token",
         cases=[
             ("word", seq("sar", "END"), "sar"),
             ("repeat", seq("aa", "END"), "aa"),
             ("empty", ["END"], ""),
             ("max_length", list(("zyxwvutsrqponmlkjihgfedcba9876543210zyxw")[:40]),
              "zyxwvutsrqponmlkjihgfedcba9876543210zyxw"),
             ("unknown", ["a", "UNK", "b", "END"], "a<UKN>b"),
             ("after_end", seq("ab", "END", "c", "END"), "ab"),
         ]),
]

CTC_MODELS = [
    # Cells: one character per cell; "~" paints the blank.
    dict(name="paddle_ctc", convention="ctc_blank_first", dictionary="dict36.txt", use_space_char=True,
         height=48, cell_width=8, softmax=True, input="x", output="softmax_0.tmp_0", pad_to_width=320,
         note="PaddleOCR CTCLabelDecode: classes ['blank'] + dictionary + [' '], blank 0; T = W / 8",
         cases=[
             ("word", "~~hhe~l~lo~~", "hello"),
             ("repeat_blank", "~a~a~", "aa"),
             ("repeat_collapse", "~aa~", "a"),
             ("repeat_collapse_no_blank", "aaaa", "a"),
             ("space", "ab~ ~cd", "ab cd"),
             ("empty", "~~~~~~", ""),
             ("digits", "2~0~22~4", "2024"),
         ]),
    dict(name="mmocr_ctc", convention="ctc_blank_last", dictionary="dict36.txt", use_space_char=False,
         height=32, cell_width=4, softmax=False, input="input", output="output", pad_to_width=256,
         note="MMOCR 1.x CRNN-like: Dictionary(DICT36, with_padding) = chars + ['<PAD>'], the padding "
              "token is the CTC blank (last, index 36); raw logits; T = W / 4",
         cases=[
             ("word", "~~ccrrnn~~", "crn"),
             ("repeat_blank", "a~a", "aa"),
             ("repeat_collapse", "aa", "a"),
             ("mixed", "~o~oo~k~", "ook"),
             ("empty", "~~~~", ""),
             ("long", "0123456789abcdefghijklmnopqrstuvwxyz", "0123456789abcdefghijklmnopqrstuvwxyz"),
         ]),
]


def build_attention(spec, manifest):
    chars = DICT36 if spec["dictionary"] == "dict36.txt" else DICT10
    table = attention_table(spec["scheme"], chars, spec["omit_last_class"])
    symbols = table["symbols"]
    classes = len(symbols)
    background = table[spec["background"]]
    grey, step = grey_levels(classes, background)
    levels = [normalise(g, NORM_HALF) for g in grey]
    d = step / 127.5
    scale = 8.0 / (d * d)
    cell = spec["width"] // spec["steps"]
    assert cell * spec["steps"] == spec["width"]
    file = spec["name"] + ".onnx"
    size = sequence_model(os.path.join(OUT, file), spec["input"], spec["output"], spec["height"], spec["width"],
                          cell, levels, scale, spec["softmax"],
                          f"{spec['scheme_name']} token convention; cell encoding (see models.json)")
    cases = []
    for case_name, token_spec, expected in spec["cases"]:
        tokens = tokens_from(token_spec, table, spec["steps"], background)
        got = attention_decode(tokens, table)
        assert got == expected, (spec["name"], case_name, got, expected)
        image = save_png(cell_image(tokens, grey, spec["height"], cell), f"{spec['name']}_{case_name}.png")
        case = {"name": case_name, "image": image, "tokens": tokens, "expected": expected}
        if not table["stop_at_end"] and table["end_index"] in tokens:
            case["expected_stop_at_end"] = attention_decode(tokens, table, stop_at_end=True)
        if table["unknown_index"] in tokens:
            case["expected_unknown_skip"] = attention_decode(tokens, table, unknown="skip")
        cases.append(case)
    manifest.append({
        "name": spec["name"], "file": file, "bytes": size, "task": "recognition", "decoder": "attention",
        "input": {"name": spec["input"], "shape": ["N", 3, spec["height"], spec["width"]], "dtype": "float32",
                  "normalization": NORM_HALF, "pad_value": 0.0},
        "output": {"name": spec["output"], "layout": "[N,T,C]", "shape": ["N", spec["steps"], classes],
                   "values": "probabilities" if spec["softmax"] else "logits"},
        "steps": spec["steps"], "cell_width": cell,
        "scheme": spec["scheme"], "scheme_name": spec["scheme_name"],
        "charset_options": {"omit_last_class": spec["omit_last_class"]},
        "dictionary": spec["dictionary"], "use_space_char": False,
        "classes": classes, "symbols": symbols,
        "start_index": table["start_index"], "end_index": table["end_index"],
        "padding_index": table["padding_index"], "unknown_index": table["unknown_index"],
        "stop_at_end": table["stop_at_end"], "lowercase": table["lowercase"],
        "background_index": background, "cell_grey": grey, "grey_step": step, "score_scale": scale,
        "note": spec.get("note", ""),
        "cases": cases,
    })


def build_ctc(spec, manifest):
    chars = list(DICT36) + ([" "] if spec["use_space_char"] else [])
    if spec["convention"] == "ctc_blank_first":
        symbols = [""] + chars
        blank = 0
    else:
        symbols = chars + ["<PAD>"]
        blank = len(symbols) - 1
    classes = len(symbols)
    grey, step = grey_levels(classes, blank)
    levels = [normalise(g, NORM_HALF) for g in grey]
    d = step / 127.5
    scale = 8.0 / (d * d)
    file = spec["name"] + ".onnx"
    size = sequence_model(os.path.join(OUT, file), spec["input"], spec["output"], spec["height"], "W",
                          spec["cell_width"], levels, scale, spec["softmax"],
                          f"CTC {spec['convention']}; cell encoding (see models.json)")
    cases = []
    for case_name, cells, expected in spec["cases"]:
        tokens = [blank if c == "~" else symbols.index(c) for c in cells]
        got = ctc_decode(tokens, symbols, blank)
        assert got == expected, (spec["name"], case_name, got, expected)
        image = save_png(cell_image(tokens, grey, spec["height"], spec["cell_width"]),
                         f"{spec['name']}_{case_name}.png")
        cases.append({"name": case_name, "image": image, "width": len(tokens) * spec["cell_width"],
                      "cells": cells, "tokens": tokens, "expected": expected})
    manifest.append({
        "name": spec["name"], "file": file, "bytes": size, "task": "recognition", "decoder": "ctc",
        "input": {"name": spec["input"], "shape": ["N", 3, spec["height"], "W"], "dtype": "float32",
                  "normalization": NORM_HALF, "pad_value": 0.0},
        "output": {"name": spec["output"], "layout": "[N,T,C]", "shape": ["N", "W/%d" % spec["cell_width"], classes],
                   "values": "probabilities" if spec["softmax"] else "logits"},
        "steps": "floor(W / %d)" % spec["cell_width"], "cell_width": spec["cell_width"],
        "convention": spec["convention"], "blank_index": blank,
        "dictionary": spec["dictionary"], "use_space_char": spec["use_space_char"],
        "classes": classes, "symbols": symbols,
        "background_index": blank, "cell_grey": grey, "grey_step": step, "score_scale": scale,
        "pad_to_width": spec["pad_to_width"],
        "note": spec["note"] + "; zero padding (normalised) on the right decodes as blank: the expected "
                "strings hold at the image's own width and padded to pad_to_width",
        "cases": cases,
    })


# ---------------------------------------------------------------- classifiers

def softmax(z):
    z = np.asarray(z, np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


def normalised_input(grey_image, norm, width=None):
    """[3,H,W] float64 as a test feeds it: normalised, zero padded on the right to `width`."""
    g = np.asarray(grey_image, np.float64) * norm["scale"]
    planes = [(g - m) / s for m, s in zip(norm["mean"], norm["std"])]
    x = np.stack(planes)
    if width is not None and x.shape[2] < width:
        x = np.concatenate([x, np.zeros((3, x.shape[1], width - x.shape[2]))], axis=2)
    return x


def text_line(text, width, bar=True):
    """Black text on white, 48 px high, with a dark bar (rows 40-45) across the bottom."""
    font = ImageFont.truetype(FONT, 26)
    img = Image.new("L", (width, 48), 255)
    draw = ImageDraw.Draw(img)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x0 = 6
    draw.text((x0 - left, 6 - top), text, font=font, fill=0)
    if bar:
        draw.rectangle([2, 40, width - 3, 45], fill=0)  # across the whole crop
    return img


def build_line_cls(manifest):
    k = 20.0
    file = "line_cls.onnx"
    size, w = line_cls_model(os.path.join(OUT, file), k)
    cases = []
    specs = [("upright_full", "Exit only 42", 192, 0), ("upside_down_full", "Exit only 42", 192, 180),
             ("upright_padded", "hello", 120, 0), ("upside_down_padded", "hello", 120, 180),
             ("upright_caps", "OCRKIT TEST", 192, 0), ("upside_down_caps", "OCRKIT TEST", 192, 180)]
    for name, text, width, angle in specs:
        img = text_line(text, width)
        if angle == 180:
            img = img.rotate(180)
        arr = np.asarray(img)
        x = normalised_input(arr, NORM_HALF, 192)
        p = softmax(x.mean(axis=(0, 2)) @ w.astype(np.float64))
        label = int(np.argmax(p))
        assert ["0", "180"][label] == str(angle) and p[label] > 0.99, (name, p)
        print("  line_cls %-20s p=%s" % (name, np.round(p, 5)))
        cases.append({"name": name, "image": save_png(arr, f"line_cls_{name}.png"), "text": text,
                      "expected_label": str(angle), "expected_index": label, "min_score": 0.99})
    blank = np.full((48, 160), 255, np.uint8)
    cases.append({"name": "blank_tie", "image": save_png(blank, "line_cls_blank_tie.png"),
                  "expected_label": None, "expected_index": None, "expected_scores": [0.5, 0.5],
                  "note": "no ink: both halves equal, probabilities 0.5/0.5 (a tie; below any threshold)"})
    manifest.append({
        "name": "line_cls", "file": file, "bytes": size, "task": "line_orientation",
        "input": {"name": "x", "shape": ["N", 3, 48, 192], "dtype": "float32", "normalization": NORM_HALF,
                  "pad_value": 0.0, "preprocess": "PaddleOCR cls: resize to height 48, width min(192, "
                                                  "ceil(48*w/h)), normalise, zero pad right to 192"},
        "output": {"name": "softmax_0.tmp_0", "layout": "[N,C]", "shape": ["N", 2], "values": "probabilities"},
        "labels": ["0", "180"],
        "rule": "logit_0 = %g * (mean(top 24 rows) - mean(bottom 24 rows)), logit_180 = -logit_0; means over "
                "channels and the full 192-px width of the normalised input. Ink lowers a half's mean: ink "
                "mass in the bottom half -> '0', in the top half -> '180'. Fixtures: a text line with a dark "
                "bar across its bottom (rows 40-45) reads '0'; the same image rotated 180 degrees reads '180'." % k,
        "cases": cases,
    })


def document_page():
    img = Image.new("L", (224, 224), 255)
    draw = ImageDraw.Draw(img)
    draw.rectangle([8, 4, 215, 27], fill=0)            # header band along the top edge
    for i, y in enumerate(range(56, 180, 16)):          # grey "text lines" away from the edges
        draw.rectangle([40, y, 184 - (i % 3) * 24, y + 7], fill=96)
    return img


def build_doc_cls(manifest):
    k, strip = 4.0, 32
    file = "doc_cls.onnx"
    size, w = doc_cls_model(os.path.join(OUT, file), k, strip)
    page = document_page()
    cases = []
    labels = ["0", "90", "180", "270"]
    for index, label in enumerate(labels):
        img = page.rotate(-int(label)) if label != "0" else page  # PIL rotates counter-clockwise
        arr = np.asarray(img)
        x = normalised_input(arr, NORM_IMAGENET)
        g = x.mean(axis=0)
        p = softmax(np.concatenate([g.mean(axis=1), g.mean(axis=0)]) @ w.astype(np.float64))
        assert int(np.argmax(p)) == index and p[index] > 0.99, (label, p)
        cases.append({"name": "rot" + label, "image": save_png(arr, f"doc_cls_rot{label}.png"),
                      "expected_label": label, "expected_index": index, "min_score": 0.99})
    manifest.append({
        "name": "doc_cls", "file": file, "bytes": size, "task": "document_orientation",
        "input": {"name": "x", "shape": ["N", 3, 224, 224], "dtype": "float32", "normalization": NORM_IMAGENET,
                  "preprocess": "fixtures are 224x224: feed as is (normalise only)"},
        "output": {"name": "fetch_name_0", "layout": "[N,C]", "shape": ["N", 4], "values": "probabilities"},
        "labels": labels,
        "rule": "logit_e = -%g * mean of the %d-px strip along edge e of the normalised input (channels "
                "averaged), edges in label order top ('0'), right ('90'), bottom ('180'), left ('270'): the "
                "darkest edge wins. The upright page has a dark header band along its top edge; label L is the "
                "upright page rotated L degrees clockwise (rotate it L degrees counter-clockwise to restore)."
                % (k, strip),
        "cases": cases,
    })


# ---------------------------------------------------------------- main

README = """# Fixed-weight test models

Made by `scripts/gen-rec-models.py` (Debian python3-onnx, python3-numpy, python3-pil,
fonts-dejavu-core; run `/usr/bin/python3 scripts/gen-rec-models.py`) and checked by
`node scripts/check-rec-models.mjs`. Do not edit by hand: `models.json` describes every
model (input, output, convention, class table, special indices) and every image with its
token sequence and expected text or label.

## Recognisers: the cell encoding

The input `[N,3,H,W]` is cut into `T = W / cell_width` cells. The graph averages each
cell (AveragePool + ReduceMean over channels) to one value `v_t` and scores class `k` by
`-score_scale * (v_t - level_k)^2`, then Softmax for the probability models. `level_k` is
the normalised value of grey `cell_grey[k]`: paint cell `t` in grey `cell_grey[token_t]`
(all channels equal) and step `t` decodes to `token_t`. Grey 128 is the background class
(CTC blank; attention padding, start or end), so zero padding after normalisation decodes
to nothing.

| model | input | output [N,T,C] | values | convention |
|---|---|---|---|---|
%s

## Classifiers

%s
"""


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(IMAGES)
    with open(os.path.join(OUT, "dict36.txt"), "w", newline="\n") as f:
        f.write("\n".join(DICT36) + "\n")
    with open(os.path.join(OUT, "dict10.txt"), "w", newline="\n") as f:
        f.write("\n".join(DICT10) + "\n")
    manifest = []
    for spec in CTC_MODELS:
        build_ctc(spec, manifest)
    for spec in ATTENTION_MODELS:
        build_attention(spec, manifest)
    build_line_cls(manifest)
    build_doc_cls(manifest)
    doc = {
        "generator": "scripts/gen-rec-models.py",
        "checker": "scripts/check-rec-models.mjs",
        "opset": OPSET,
        "dictionaries": {"dict36.txt": "".join(DICT36), "dict10.txt": "".join(DICT10)},
        "encoding": "recognisers: T = W / cell_width cells; cell t painted in grey cell_grey[token_t] (all channels) "
                    "decodes to token_t (argmax of -score_scale * (v_t - level_k)^2, level_k = normalised "
                    "cell_grey[k]); grey 128 is background_index, so zero padding decodes as background",
        "models": manifest,
    }
    with open(os.path.join(OUT, "models.json"), "w", newline="\n") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    rows = []
    for m in manifest:
        if m["task"] != "recognition":
            continue
        conv = m.get("scheme") or m["convention"]
        if m["decoder"] == "ctc":
            conv += " (blank %d)" % m["blank_index"]
        rows.append("| %s | %s %s | %s | %s | %s |" % (
            m["name"], m["input"]["name"], m["input"]["shape"], m["output"]["shape"], m["output"]["values"], conv))
    cls = "\n\n".join("- `%s` (%s %s -> %s, labels %s): %s" % (
        m["name"], m["input"]["name"], m["input"]["shape"], m["output"]["shape"], m["labels"], m["rule"])
        for m in manifest if m["task"] != "recognition")
    with open(os.path.join(OUT, "README.md"), "w", newline="\n") as f:
        f.write(README % ("\n".join(rows), cls))
    total = 0
    print("%-22s %8s  %s" % ("file", "bytes", "cases"))
    for m in manifest:
        total += m["bytes"]
        print("%-22s %8d  %d" % (m["file"], m["bytes"], len(m["cases"])))
    images = sorted(os.listdir(IMAGES))
    isz = [os.path.getsize(os.path.join(IMAGES, n)) for n in images]
    print("%d images, %d bytes in all, largest %d" % (len(images), sum(isz), max(isz)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
