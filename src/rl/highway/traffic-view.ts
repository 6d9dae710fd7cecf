/**
 * What a lane-change decision reads of the traffic world. `TrafficWorld` (world.ts) has all of it;
 * naming it here lets lane-change.ts, which world.ts calls, depend on this and not on world.ts.
 */
import type { HighwayConfig, IdmParams } from './config';

/** The traffic world as MOBIL sees it: positions, speeds, lanes and neighbour queries. */
export interface TrafficView {
  readonly config: HighwayConfig;
  readonly physics: HighwayConfig['physics'];
  /** Road length (m); positions wrap around it. */
  readonly length: number;
  readonly x: Float64Array;
  readonly v: Float64Array;
  readonly targetLane: Int32Array;
  /** Results of the last `neighbour` query. */
  readonly foundIndex: number;
  readonly foundGap: number;
  /** Nearest vehicle ahead of `i` in `lane` (behind for -1), into `foundIndex` and `foundGap`. */
  neighbour(i: number, lane: number, direction: 1 | -1): void;
  idmOf(i: number): IdmParams;
  /** IDM acceleration of `i` behind its leader in `lane`. */
  idmInLane(i: number, p: IdmParams, lane: number): number;
}
