/* DlvConv: the course library's convolution and pooling, in plain JavaScript, for the
   convolution explorer and the draw-a-digit CNN. The same maths as generators/nn/conv.py
   and generators/nn/pool.py; browser tests replay the library's exported reference
   cases through it (exact for integers, 1e-12 relative for floats).

   Arrays are nested JavaScript arrays in the library's order, channels first:
     an image or a stack of maps  x[c][i][j]        (C, h, w)
     kernels                      W[f][c][u][v]     (F, C, kh, kw)
     biases                       b[f]              (F,)

   - conv2d: z[f][i][j] = sum over c, u, v of xp[c][i*sh + u][j*sw + v] * W[f][c][u][v] + b[f],
     xp the image with `padding` rows and columns of zeros on every side. Like the
     library it slides the kernel without flipping it (cross-correlation) and ignores
     pixels left over when the windows do not tile the image.
   - maxPool2d / meanPool2d: the maximum or the mean over each m x n region, regions
     disjoint unless a smaller stride is given. The mean adds the region's entries in
     the library's order (row by row) and divides once, as pool.py does.
   - outSize: h_out = floor((h + 2 padding - k) / stride) + 1.

   Deliberately left out: batches (one image at a time), dilation, backward passes. */
(function () {
  "use strict";

  const pair = (v) => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

  /** Output length of windows of size k at `stride` over n values padded by `padding`. */
  function outSize(n, k, stride, padding) {
    return Math.floor((n + 2 * (padding || 0) - k) / (stride || 1)) + 1;
  }

  /** The value of channel c of x at (i, j) of the zero-padded image. */
  function padded(x, c, i, j, padding) {
    const row = x[c][i - padding];
    if (row === undefined) return 0;
    const v = row[j - padding];
    return v === undefined ? 0 : v;
  }

  function check(cond, message) {
    if (!cond) throw new RangeError(`DlvConv: ${message}`);
  }

  /** Convolution of x (C, h, w) with W (F, C, kh, kw) plus b (F,): (F, h_out, w_out). */
  function conv2d(x, W, b, opts) {
    const o = opts || {};
    const [sh, sw] = pair(o.stride || 1), p = o.padding || 0;
    const C = x.length, h = x[0].length, w = x[0][0].length;
    const kh = W[0][0].length, kw = W[0][0][0].length;
    check(W[0].length === C, `kernels have ${W[0].length} channels, the image ${C}`);
    check(h + 2 * p >= kh && w + 2 * p >= kw, `a ${kh} x ${kw} kernel does not fit a ${h} x ${w} image padded by ${p}`);
    const ho = outSize(h, kh, sh, p), wo = outSize(w, kw, sw, p);
    return W.map(function (Wf, f) {
      const z = [];
      for (let i = 0; i < ho; i++) {
        const row = new Array(wo);
        for (let j = 0; j < wo; j++) {
          let s = 0;
          for (let c = 0; c < C; c++) {
            for (let u = 0; u < kh; u++) {
              for (let v = 0; v < kw; v++) s += padded(x, c, i * sh + u, j * sw + v, p) * Wf[c][u][v];
            }
          }
          row[j] = s + (b ? b[f] : 0);
        }
        z.push(row);
      }
      return z;
    });
  }

  /** Pooling of x (C, h, w) over size regions at stride (default: size): (C, h_out, w_out). */
  function pool(x, size, stride, reduce) {
    const [m, n] = pair(size), [sh, sw] = pair(stride === undefined || stride === null ? size : stride);
    const h = x[0].length, w = x[0][0].length;
    check(h >= m && w >= n, `a ${m} x ${n} region does not fit a ${h} x ${w} map`);
    const ho = outSize(h, m, sh, 0), wo = outSize(w, n, sw, 0);
    return x.map(function (xc) {
      const out = [];
      for (let i = 0; i < ho; i++) {
        const row = new Array(wo);
        for (let j = 0; j < wo; j++) row[j] = reduce(xc, i * sh, j * sw, m, n);
        out.push(row);
      }
      return out;
    });
  }

  function regionMax(xc, r, c, m, n) {
    let best = xc[r][c];
    for (let u = 0; u < m; u++) for (let v = 0; v < n; v++) if (xc[r + u][c + v] > best) best = xc[r + u][c + v];
    return best;
  }

  function regionMean(xc, r, c, m, n) {
    let s = 0;
    for (let u = 0; u < m; u++) for (let v = 0; v < n; v++) s += xc[r + u][c + v];
    return s / (m * n);
  }

  window.DlvConv = {
    outSize: outSize,
    conv2d: conv2d,
    maxPool2d: (x, size, stride) => pool(x, size, stride, regionMax),
    meanPool2d: (x, size, stride) => pool(x, size, stride, regionMean),
  };
})();
