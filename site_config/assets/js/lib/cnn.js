/* DlvCNN: the lesson CNN's inference (content/lessons/cnns.md), in plain JavaScript, for
   the draw-a-digit explorer (digits.js). The same maths as generators/nn, layer by layer,
   on the weights generators/cnns/fig_inside.py exports (model_json); the convolution
   and pooling are DlvConv's (lib/conv.js, which mirrors generators/nn/conv.py and
   pool.py). tests/test_digits_agreement.py runs it on all 450 test digits against the
   library's predictions (same class, probabilities to 1e-9).

   Arrays are nested JavaScript arrays in the library's order, channels first: an image
   or a stack of maps x[c][i][j] (C, h, w); a vector a[i].

   - forward(model, image): every layer's output for one 8 x 8 image (values 0..1, as
     generators/nn/data/real.py's digits(): the 0-16 counts divided by 16).
   - receptiveField(model, k, i, j): the input rows and columns that cell (i, j) of layer
     k's output depends on (the k x k window around a conv cell, clipped at the padded
     border; for a pool cell the union of its region's windows).
   - downsample(alpha, width, height): a drawing (per-pixel alpha 0-255) -> the 8 x 8
     counts 0-16, the way the UCI optdigits were made (see the function).

   Deliberately left out: training, batches, any layer kind the lesson's CNN lacks. */
(function () {
  "use strict";

  const conv = () => window.DlvConv;   // lib/conv.js, loaded before this file
  const pair = (v) => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

  // generators/nn/activations.py ReLU: relu(z) = max(0, z), entry by entry.
  const relu = (x) => x.map((m) => m.map((row) => row.map((v) => (v > 0 ? v : 0))));

  // generators/nn/layers.py Flatten: x.reshape(N, -1) of (N, C, h, w), so the order is
  // (c, i, j) row-major: channel 0's rows first.
  function flatten(x) {
    const out = [];
    for (const m of x) for (const row of m) for (const v of row) out.push(v);
    return out;
  }

  // generators/nn/layers.py Dense: z = a @ W.T + b, W (n_out, n_in), row j the weights
  // into unit j: z_j = sum_i W[j][i] a_i + b_j.
  function dense(a, W, b) {
    return W.map(function (Wj, j) {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += Wj[i] * a[i];
      return s + b[j];
    });
  }

  // generators/nn/activations.py Softmax: e = exp(z - max z), a = e / sum(e).
  function softmax(z) {
    let max = -Infinity;
    for (const v of z) if (v > max) max = v;
    const e = z.map((v) => Math.exp(v - max));
    let s = 0;
    for (const v of e) s += v;
    return e.map((v) => v / s);
  }

  /** One image through every layer: [{name, kind, value}], value (C, h, w) for the
      conv, relu and maxpool layers, a vector after flatten. image: (8, 8) or (1, 8, 8)
      nested, or 64 numbers row by row, values 0..1. */
  function forward(model, image) {
    let x;
    if (typeof image[0] === "number") {
      x = [[]];
      for (let i = 0; i < 8; i++) x[0].push(Array.prototype.slice.call(image, 8 * i, 8 * i + 8));
    } else {
      x = typeof image[0][0] === "number" ? [image] : image;
    }
    const outputs = [];
    for (const layer of model.layers) {
      switch (layer.kind) {
        case "conv":     // generators/nn/conv.py Conv2D
          x = conv().conv2d(x, layer.W, layer.b, { stride: layer.stride, padding: layer.padding });
          break;
        case "relu": x = Array.isArray(x[0]) ? relu(x) : x.map((v) => (v > 0 ? v : 0)); break;
        case "maxpool":  // generators/nn/pool.py MaxPool2D
          x = conv().maxPool2d(x, layer.size, layer.stride);
          break;
        case "flatten": x = flatten(x); break;
        case "dense": x = dense(x, layer.W, layer.b); break;
        case "softmax": x = softmax(x); break;
        default: throw new RangeError(`DlvCNN: no layer kind ${layer.kind} (${layer.name})`);
      }
      outputs.push({ name: layer.name, kind: layer.kind, value: x });
    }
    return outputs;
  }

  /** Probabilities (the last layer's output) and the class with the highest one. */
  function predict(model, image) {
    const out = forward(model, image);
    const p = out[out.length - 1].value;
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;   // first maximum, like argmax
    return { probs: p, label: best, outputs: out };
  }

  /** Input rows [r0, r1] and columns [c0, c1] (inclusive) that cell (i, j) of layer k's
      output (a map layer) depends on, clipped to the h x w input. Walks back through the
      layers: a pool region [lo, hi] covers [lo*s, hi*s + m - 1] of its input; a conv
      window [lo*s - p, hi*s - p + k - 1] of the unpadded input; ReLU is entry by entry. */
  function receptiveField(model, k, i, j, h, w) {
    let rows = [i, i], cols = [j, j];
    for (let l = k; l >= 0; l--) {
      const layer = model.layers[l];
      if (layer.kind === "conv" || layer.kind === "maxpool") {
        const [kh, kw] = pair(layer.kind === "conv" ? layer.kernel : layer.size);
        const [sh, sw] = pair(layer.stride);
        const p = layer.kind === "conv" ? layer.padding || 0 : 0;
        rows = [rows[0] * sh - p, rows[1] * sh - p + kh - 1];
        cols = [cols[0] * sw - p, cols[1] * sw - p + kw - 1];
      } else if (layer.kind !== "relu") {
        throw new RangeError(`DlvCNN: ${layer.name} is not a map layer`);
      }
    }
    const clip = (v, n) => Math.max(0, Math.min(n - 1, v));
    return { rows: [clip(rows[0], h || 8), clip(rows[1], h || 8)],
             cols: [clip(cols[0], w || 8), clip(cols[1], w || 8)] };
  }

  /* downsample: a drawing -> 8 x 8 counts 0-16, after the UCI optdigits data set (which
     sklearn's digits, and so generators/nn/data's, are): NIST's preprocessing made each
     digit a 32 x 32 bitmap, normalized in size and centred; the bitmap was cut into 64
     disjoint 4 x 4 blocks and each block's on pixels counted (0-16). Here, approximating
     NIST's normalization (which we do not have in detail):
       1. ink: the pixels with alpha >= 128; their bounding box x0..x1, y0..y1 (bw x bh);
       2. scale s = 32 / max(bw, bh): the longer side fills 32 pixels, the aspect ratio
          kept; offsets ox = (32 - bw s) / 2, oy = (32 - bh s) / 2 centre the shorter side;
       3. each of the 32 x 32 target pixels (u, v) is on when at least 8 of 16 sample
          points in it, at (v + (a + 0.5) / 4, u + (b + 0.5) / 4) for a, b = 0..3, map
          (x = x0 + floor((tx - ox) / s), y likewise) to an ink pixel inside the box;
       4. count the on pixels of each 4 x 4 block: row I, column J of the result counts
          rows 4I..4I+3 and columns 4J..4J+3.
     Returns 8 rows of 8 integers, or null when there is no ink. */
  function downsample(alpha, width, height) {
    let x0 = width, x1 = -1, y0 = height, y1 = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (alpha[y * width + x] >= 128) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    if (x1 < 0) return null;
    const bw = x1 - x0 + 1, bh = y1 - y0 + 1, s = 32 / Math.max(bw, bh);
    const ox = (32 - bw * s) / 2, oy = (32 - bh * s) / 2;
    const counts = Array.from({ length: 8 }, () => new Array(8).fill(0));
    for (let u = 0; u < 32; u++) {
      for (let v = 0; v < 32; v++) {
        let hits = 0;
        for (let b = 0; b < 4; b++) {
          const y = y0 + Math.floor((u + (b + 0.5) / 4 - oy) / s);
          if (y < y0 || y > y1) continue;
          for (let a = 0; a < 4; a++) {
            const x = x0 + Math.floor((v + (a + 0.5) / 4 - ox) / s);
            if (x >= x0 && x <= x1 && alpha[y * width + x] >= 128) hits++;
          }
        }
        if (hits >= 8) counts[u >> 2][v >> 2]++;
      }
    }
    return counts;
  }

  window.DlvCNN = { forward: forward, predict: predict, receptiveField: receptiveField,
                    downsample: downsample, softmax: softmax, flatten: flatten, dense: dense };
})();
