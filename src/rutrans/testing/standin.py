"""Build a stand-in ``.argosmodel``: the real Argos ru→en package layout, random weights.

The real Argos ru→en package cannot be downloaded on the machines this project is built
and tested on.  The stand-in lets every code path run for real — argostranslate's
``install_from_path``, a CTranslate2 ``Translator`` on ``model/``, SentencePiece on
``sentencepiece.model`` — and lets benchmarks measure a model of the real shape.

**Its output is noise, never a translation.**  Nothing it writes may be shown or
committed as one; ``metadata.json`` carries a ``rutrans_standin`` key so that rutrans can
say so whenever it runs on one.

How the weights end a sentence at a realistic length
-----------------------------------------------------
Random weights almost never pick ``</s>``, so every sentence would run to CTranslate2's
256-token cap — a benchmark of that would measure nothing real.  The stand-in instead
stops after about ``LENGTH_RATIO`` × the source length, *by its weights alone*, so that
argostranslate's path and rutrans's path (which pass different decoding options) decode
the same lengths:

* A few model dimensions (``_Reserved``) are left out of every random weight: nothing
  random reads them or writes them.
* Row 0 of both position tables puts a large marker (+M, −M) on two reserved dimensions.
  It dominates the layer norm at position 0, so after any layer norm the pair reads
  ±sqrt(d/2) whatever the random part is — a constant we can count with.
* In the last decoder layer one head of the self-attention and one of the
  cross-attention have zero queries, so they attend uniformly.  Their values read the
  marker, which exists only at position 0: the self-attention head yields
  ``v/(step+1)`` and the cross-attention head ``v/source_length``.  Their output
  projections write these to reserved residual dimensions as (+x, −x) pairs, so that the
  final layer norm's mean cancels out of their difference.
* The ``</s>`` row of the output projection weighs ``1/source_length − ratio/(step+1)``;
  it turns positive, and soon dominates every random logit, once
  ``step + 1 > ratio × source_length``.

Everything else is random (seeded), so each sentence decodes to different noise.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from rutrans import __version__
from rutrans.atomic import staged
from rutrans.testing.vocabulary import train_sentencepiece, vocabulary_from

LENGTH_RATIO = 1.2
"""Output length / source length (in subword tokens) at which the stand-in says ``</s>``."""


@dataclass(frozen=True)
class Shape:
    """Hyper-parameters of a stand-in; ``argos`` is the real ru→en package's shape."""

    name: str
    encoder_layers: int
    decoder_layers: int
    d_model: int
    heads: int
    ffn: int
    vocabulary: int
    positions: int


SHAPES = {
    "tiny": Shape("tiny", 2, 2, 64, 4, 128, 2000, 1024),
    "argos": Shape("argos", 6, 6, 512, 8, 2048, 50_000, 5000),
}

Array = npt.NDArray[np.float32]


@dataclass(frozen=True)
class _Reserved:
    """Residual dimensions that no random weight touches (the last eight)."""

    d_model: int

    @property
    def marker(self) -> tuple[int, int]:  # +M / −M at position 0
        return self.d_model - 8, self.d_model - 7

    @property
    def target_counter(self) -> tuple[int, int]:  # ±ratio·v/(step+1)
        return self.d_model - 6, self.d_model - 5

    @property
    def source_counter(self) -> tuple[int, int]:  # ±v/source_length
        return self.d_model - 4, self.d_model - 3

    @property
    def random_dims(self) -> int:
        return self.d_model - 8


MARKER = 1000.0
"""Large enough to dominate layer norm at position 0 (random residual norm is ~10²)."""
COUNTER_VALUE = 64.0
"""What a counter head yields at position 0; large against int8 quantization steps."""
EOS_GAIN = 1000.0
"""Weight of the counter difference in the ``</s>`` logit; random logits have std ~3."""
RANDOM_LOGIT_STD = 3.0


# ---------------------------------------------------------------------------------------
# Weights


class _Weights:
    """Seeded random matrices that leave the reserved dimensions alone."""

    def __init__(self, shape: Shape, seed: int) -> None:
        self.shape = shape
        self.reserved = _Reserved(shape.d_model)
        self.rng = np.random.default_rng(seed)

    def random(self, rows: int, cols: int, std: float) -> Array:
        return self.rng.standard_normal((rows, cols), dtype=np.float32) * np.float32(std)

    def linear(
        self, out_dim: int, in_dim: int, *, reads_residual: bool, writes_residual: bool
    ) -> Array:
        """A random ``[out, in]`` matrix; residual-side reserved rows/columns are zero."""
        weight = self.random(out_dim, in_dim, 1.0 / np.sqrt(in_dim))
        keep = self.reserved.random_dims
        if reads_residual:
            weight[:, keep:] = 0.0
        if writes_residual:
            weight[keep:, :] = 0.0
        return weight

    def layer_norm(self) -> tuple[Array, Array]:
        d = self.shape.d_model
        return np.ones(d, dtype=np.float32), np.zeros(d, dtype=np.float32)

    def embeddings(self) -> Array:
        # CTranslate2 multiplies embeddings by sqrt(d_model): store N(0, 1/d).
        table = self.random(
            self.shape.vocabulary, self.shape.d_model, 1.0 / np.sqrt(self.shape.d_model)
        )
        table[:, self.reserved.random_dims :] = 0.0
        return table

    def positions(self) -> Array:
        """Sinusoidal table (as OpenNMT-py's ``pe``) plus the position-0 marker."""
        d, n = self.shape.d_model, self.shape.positions
        position = np.arange(n, dtype=np.float32)[:, None]
        rate = np.exp(np.arange(0, d, 2, dtype=np.float32) * -(np.log(10000.0) / d))
        table = np.zeros((n, d), dtype=np.float32)
        table[:, 0::2] = np.sin(position * rate)
        table[:, 1::2] = np.cos(position * rate)
        table[:, self.reserved.random_dims :] = 0.0
        plus, minus = self.reserved.marker
        table[0, plus], table[0, minus] = MARKER, -MARKER
        return table

    def counter_value_weight(self) -> float:
        """Value-projection weight that turns the normalised marker pair into COUNTER_VALUE.

        A dominated layer norm maps (+M, −M, ~0…) to ±sqrt(d/2) on the pair, so the
        difference read by the value projection is sqrt(2d).
        """
        return COUNTER_VALUE / float(np.sqrt(2.0 * self.shape.d_model))


def _set_layer_norm(spec: object, weights: _Weights) -> None:
    gamma, beta = weights.layer_norm()
    spec.gamma, spec.beta = gamma, beta  # type: ignore[attr-defined]


def _set_linear(spec: object, weight: Array, bias: Array | None = None) -> None:
    spec.weight = weight  # type: ignore[attr-defined]
    spec.bias = bias if bias is not None else np.zeros(weight.shape[0], dtype=np.float32)  # type: ignore[attr-defined]


def _random_attention(spec: object, weights: _Weights, *, self_attention: bool) -> None:
    d = weights.shape.d_model
    _set_layer_norm(spec.layer_norm, weights)  # type: ignore[attr-defined]
    linears = spec.linear  # type: ignore[attr-defined]
    if self_attention:
        _set_linear(
            linears[0], weights.linear(3 * d, d, reads_residual=True, writes_residual=False)
        )
    else:
        _set_linear(linears[0], weights.linear(d, d, reads_residual=True, writes_residual=False))
        _set_linear(
            linears[1], weights.linear(2 * d, d, reads_residual=True, writes_residual=False)
        )
    _set_linear(linears[-1], weights.linear(d, d, reads_residual=False, writes_residual=True))


def _random_ffn(spec: object, weights: _Weights) -> None:
    d, f = weights.shape.d_model, weights.shape.ffn
    _set_layer_norm(spec.layer_norm, weights)  # type: ignore[attr-defined]
    _set_linear(spec.linear_0, weights.linear(f, d, reads_residual=True, writes_residual=False))  # type: ignore[attr-defined]
    _set_linear(spec.linear_1, weights.linear(d, f, reads_residual=False, writes_residual=True))  # type: ignore[attr-defined]


def _install_counter_head(
    spec: object, weights: _Weights, *, self_attention: bool, writes: tuple[int, int], gain: float
) -> None:
    """Turn the last head of an attention layer into a uniform counter (see module doc)."""
    d, heads = weights.shape.d_model, weights.shape.heads
    head_dim = d // heads
    head = slice(d - head_dim, d)  # the last head's slice of each projection
    plus, minus = weights.reserved.marker
    linears = spec.linear  # type: ignore[attr-defined]
    if self_attention:
        qkv = linears[0].weight
        queries, keys, values = qkv[0:d], qkv[d : 2 * d], qkv[2 * d : 3 * d]
    else:
        queries = linears[0].weight
        keys, values = linears[1].weight[0:d], linears[1].weight[d : 2 * d]
    # Zero queries: every score is equal, so the head averages over all positions.
    queries[head, :] = 0.0
    keys[head, :] = 0.0
    values[head, :] = 0.0
    first = d - head_dim
    v = weights.counter_value_weight()
    values[first, plus], values[first, minus] = v, -v
    # The output projection: nothing random reads the counter head; its one live
    # dimension goes to a (+x, −x) pair of reserved residual dimensions.
    out = linears[-1].weight
    out[:, head] = 0.0
    out[writes[0], first], out[writes[1], first] = gain, -gain


def _projection(weights: _Weights, vocabulary: list[str]) -> tuple[Array, Array]:
    d_random = weights.reserved.random_dims
    projection = weights.linear(
        len(vocabulary), weights.shape.d_model, reads_residual=True, writes_residual=False
    )
    projection *= np.float32(RANDOM_LOGIT_STD * np.sqrt(weights.shape.d_model) / np.sqrt(d_random))
    bias = np.zeros(len(vocabulary), dtype=np.float32)
    for token in ("<unk>", "<blank>", "<s>"):
        bias[vocabulary.index(token)] = -1000.0  # never emitted
    eos = vocabulary.index("</s>")
    projection[eos, :] = 0.0
    (s_plus, s_minus), (t_plus, t_minus) = (
        weights.reserved.source_counter,
        weights.reserved.target_counter,
    )
    projection[eos, s_plus], projection[eos, s_minus] = EOS_GAIN, -EOS_GAIN
    projection[eos, t_plus], projection[eos, t_minus] = -EOS_GAIN, EOS_GAIN
    return projection, bias


def build_model_spec(shape: Shape, vocabulary: list[str], seed: int) -> object:
    """A CTranslate2 ``TransformerSpec`` as OpenNMT-py's converter would fill it."""
    from ctranslate2.specs import transformer_spec

    spec = transformer_spec.TransformerSpec.from_config(
        (shape.encoder_layers, shape.decoder_layers), shape.heads, pre_norm=True
    )
    weights = _Weights(shape, seed)
    spec.encoder.embeddings[0].weight = weights.embeddings()
    spec.decoder.embeddings.weight = weights.embeddings()
    for side in (spec.encoder, spec.decoder):
        side.position_encodings.encodings = weights.positions()
        _set_layer_norm(side.layer_norm, weights)
    for layer in spec.encoder.layer:
        _random_attention(layer.self_attention, weights, self_attention=True)
        _random_ffn(layer.ffn, weights)
    for layer in spec.decoder.layer:
        _random_attention(layer.self_attention, weights, self_attention=True)
        _random_attention(layer.attention, weights, self_attention=False)
        _random_ffn(layer.ffn, weights)
    last = spec.decoder.layer[-1]
    _install_counter_head(
        last.self_attention,
        weights,
        self_attention=True,
        writes=weights.reserved.target_counter,
        gain=LENGTH_RATIO,
    )
    _install_counter_head(
        last.attention,
        weights,
        self_attention=False,
        writes=weights.reserved.source_counter,
        gain=1.0,
    )
    projection, bias = _projection(weights, vocabulary)
    _set_linear(spec.decoder.projection, projection, bias)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    return spec


# ---------------------------------------------------------------------------------------
# Package


def package_metadata(shape: Shape, seed: int) -> dict[str, object]:
    return {
        "package_version": f"0.0.0+standin.{shape.name}",
        "argos_version": "1.0",
        "code": "translate-ru_en",
        "type": "translate",
        "from_code": "ru",
        "from_name": "Russian",
        "to_code": "en",
        "to_name": "English",
        "links": [],
        "rutrans_standin": {
            "shape": shape.name,
            "seed": seed,
            "built_by": f"rutrans {__version__}",
            "warning": "random weights: the output is noise, not a translation",
        },
    }


README = """# rutrans stand-in ru→en package ({shape})

Built by `python -m rutrans.testing.standin`.  It has the layout of the real Argos
Translate ru→en package and **random weights**: whatever it outputs is noise, not a
translation.  It exists so that tests and benchmarks can run the real code paths on
machines that cannot download the real model.  Never publish its output.
"""


def build(out: Path, shape_name: str = "tiny", seed: int = 0) -> Path:
    """Write a stand-in ``.argosmodel`` to *out* (atomically) and return *out*."""
    shape = SHAPES[shape_name]
    sentencepiece_model = train_sentencepiece(shape.vocabulary)
    vocabulary = vocabulary_from(sentencepiece_model)
    if len(vocabulary) != shape.vocabulary:
        raise RuntimeError(f"vocabulary has {len(vocabulary)} entries, expected {shape.vocabulary}")
    spec = build_model_spec(shape, vocabulary, seed)
    spec.validate()  # type: ignore[attr-defined]
    spec.optimize(quantization="int8")  # type: ignore[attr-defined]

    root = f"translate-ru_en-standin_{shape.name}"
    with tempfile.TemporaryDirectory(prefix="rutrans-standin-") as tmp:
        model_dir = Path(tmp) / "model"
        model_dir.mkdir()
        spec.save(str(model_dir))  # type: ignore[attr-defined]
        with (
            staged(out) as partial,
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        ):
            archive.writestr(
                f"{root}/metadata.json", json.dumps(package_metadata(shape, seed), indent=2)
            )
            archive.writestr(f"{root}/README.md", README.format(shape=shape.name))
            archive.writestr(f"{root}/sentencepiece.model", sentencepiece_model)
            for file in sorted(model_dir.iterdir()):
                archive.write(file, f"{root}/model/{file.name}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rutrans.testing.standin",
        description="Build a stand-in ru→en .argosmodel with random weights (its output is noise).",
    )
    parser.add_argument("out", type=Path, help="where to write the .argosmodel")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="tiny")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    build(args.out, args.shape, args.seed)
    print(f"wrote {args.out} (stand-in, shape {args.shape}: random weights, output is noise)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
