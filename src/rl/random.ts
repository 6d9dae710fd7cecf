/**
 * The app's one seeded pseudo-random module: `Math.random` is never used where a run must replay.
 * Two generators share every derived draw (uniforms, integers, normals, shuffles) through
 * {@link SeededRandom}, and differ only in their state, because stored checkpoints hold each
 * one's state and must resume bit for bit:
 *
 * - {@link Rng} (sfc32, Chris Doty-Humphrey's Small Fast Counting generator; four 32-bit words):
 *   the highway simulation, the replay buffer and ε-greedy exploration (RL checkpoints).
 * - {@link Mulberry32} (one 32-bit word): synthetic images, data order and augmentation in the
 *   supervised worker (a checkpoint's `augmentState`), and the benchmarks' CIFAR batches.
 *
 * Pure and dependency-free, so the simulation, the workers and the benchmarks all import it.
 */

/** Everything drawn from a stream of unsigned 32-bit integers. */
export abstract class SeededRandom {
  abstract nextUint32(): number;

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal by Box–Muller; draws two uniforms and keeps no cached spare, so the state stays the generator's own. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher–Yates shuffle of an array or typed array. */
  shuffle<A extends { length: number; [i: number]: unknown }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** A shuffled 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/** mulberry32: one 32-bit word of state, tiny and fast, good enough for data order and augmentation. */
export class Mulberry32 extends SeededRandom {
  private state: number;

  constructor(seed: number) {
    super();
    this.state = seed >>> 0;
  }

  /** The generator's whole state, so a checkpoint can continue the same sequence. */
  get position(): number {
    return this.state;
  }

  set position(state: number) {
    this.state = state >>> 0;
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

/** The generator's complete state: four unsigned 32-bit words. */
export type RngState = [number, number, number, number];

/** sfc32: four 32-bit words of state, for the simulation and the agent (see the file comment). */
export class Rng extends SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from a 32-bit integer; equal seeds give equal streams. */
  constructor(seed: number) {
    super();
    // splitmix32 spreads a small integer seed over all four words, so seeds 0, 1, 2 … diverge at once.
    let s = seed >>> 0;
    const mix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = 1;
    // sfc32's authors discard the first outputs so the counter word has mixed in.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A generator continuing exactly where `state` was taken. */
  static fromState(state: Readonly<RngState>): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  getState(): RngState {
    return [this.a, this.b, this.c, this.d];
  }

  setState(state: Readonly<RngState>): void {
    [this.a, this.b, this.c, this.d] = state.map((w) => w >>> 0) as RngState;
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
}
