/**
 * Seeded pseudo-random numbers. There is no module-level state: every consumer receives an `Rng`
 * created from an explicit seed, so reruns are byte-identical.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 128-bit state seeded through splitmix32.
 */
export interface Rng {
  /** Uniform on [0, 1) with 32 bits of resolution. */
  uniform(): number;
  /** Standard normal N(0, 1) by the Box-Muller transform (both variates used). */
  normal(): number;
  /** Student-t with `df` degrees of freedom, scaled to unit variance (df > 2). */
  studentT(df: number): number;
  /** Integer uniform on [0, n). */
  int(n: number): number;
  /** A new independent generator derived from this one (for per-component streams). */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Create a seeded generator. The same seed always yields the same sequence. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new TypeError(`createRng: seed must be a finite number, got ${seed}`);
  const sm = splitmix32(Math.floor(seed));
  let a = sm(), b = sm(), c = sm(), d = sm();
  if ((a | b | c | d) === 0) a = 1;
  let spare = NaN;

  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a; d ^= b; b ^= c; a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };

  const rng: Rng = {
    uniform: () => next32() / 4294967296,
    normal: () => {
      if (!Number.isNaN(spare)) { const s = spare; spare = NaN; return s; }
      let u = 0;
      while (u === 0) u = rng.uniform();
      const v = rng.uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    studentT: (df: number) => {
      if (!(df > 2)) throw new RangeError(`studentT: df must be > 2 for unit variance, got ${df}`);
      // t = Z / sqrt(V/df), V ~ chi2(df) as a sum of squared normals for integer df, else via gamma.
      const z = rng.normal();
      const v = chiSquare(rng, df);
      return (z / Math.sqrt(v / df)) * Math.sqrt((df - 2) / df);
    },
    int: (n: number) => Math.floor(rng.uniform() * n),
    fork: () => createRng(next32()),
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Chi-square(df) via Marsaglia-Tsang gamma(df/2, 2). */
function chiSquare(rng: Rng, df: number): number {
  return 2 * gamma(rng, df / 2);
}

function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng.uniform() || 1e-300, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = rng.normal(); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
