/**
 * A seeded pseudo-random generator whose whole state is four 32-bit words, so a simulation or an
 * agent can be checkpointed mid-run and resumed bit for bit. The algorithm is sfc32 (Chris
 * Doty-Humphrey's Small Fast Counting generator): tiny, fast in JS integer arithmetic and good
 * enough for traffic sampling and ε-greedy exploration. `Math.random` is never used in src/rl.
 */

/** The generator's complete state: four unsigned 32-bit words. */
export type RngState = [number, number, number, number];

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from a 32-bit integer; equal seeds give equal streams. */
  constructor(seed: number) {
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

  /** Standard normal by Box–Muller; draws two uniforms and keeps no cached spare, so state stays four words. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}
