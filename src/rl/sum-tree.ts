/**
 * A sum tree over a fixed number of slots: set a slot's priority and find the slot where a running
 * sum crosses a value, both in O(log n). Prioritized experience replay (Schaul et al. 2016) samples
 * transitions in proportion to their priority with it.
 */
export class SumTree {
  /** Leaves start at `size`; node i's children are 2i and 2i + 1; node 1 holds the total. */
  private readonly nodes: Float64Array;
  readonly size: number;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`sum tree capacity must be a positive integer, got ${capacity}`);
    let size = 1;
    while (size < capacity) size *= 2;
    this.size = size;
    this.nodes = new Float64Array(2 * size);
  }

  get total(): number {
    return this.nodes[1]!;
  }

  get(slot: number): number {
    return this.nodes[this.size + slot]!;
  }

  set(slot: number, priority: number): void {
    if (slot < 0 || slot >= this.capacity) throw new Error(`slot ${slot} is outside 0..${this.capacity - 1}`);
    if (!(priority >= 0) || !Number.isFinite(priority)) throw new Error(`priority must be a finite number ≥ 0, got ${priority}`);
    let i = this.size + slot;
    const change = priority - this.nodes[i]!;
    while (i >= 1) {
      this.nodes[i] = this.nodes[i]! + change;
      i >>= 1;
    }
  }

  /**
   * The slot whose share of the total contains `mass` (0 ≤ mass < total): walking down, go left
   * when the left subtree's sum exceeds what is left of `mass`, else subtract it and go right.
   */
  find(mass: number): number {
    let i = 1;
    let rest = Math.min(Math.max(mass, 0), this.total);
    while (i < this.size) {
      const left = this.nodes[2 * i]!;
      if (rest < left) i = 2 * i;
      else {
        rest -= left;
        i = 2 * i + 1;
      }
    }
    // Rounding can leave the walk on an empty leaf past the last filled one: step back to a filled one.
    let slot = Math.min(i - this.size, this.capacity - 1);
    while (slot > 0 && this.nodes[this.size + slot] === 0) slot--;
    return slot;
  }

  /** The leaves, for checkpoints. */
  leaves(): Float64Array {
    return this.nodes.slice(this.size, this.size + this.capacity);
  }

  /** Rebuilds the tree from saved leaves. */
  load(leaves: ArrayLike<number>): void {
    if (leaves.length !== this.capacity) throw new Error(`${leaves.length} priorities for a tree of ${this.capacity}`);
    this.nodes.fill(0);
    for (let s = 0; s < this.capacity; s++) this.nodes[this.size + s] = leaves[s]!;
    for (let i = this.size - 1; i >= 1; i--) this.nodes[i] = this.nodes[2 * i]! + this.nodes[2 * i + 1]!;
  }
}
