/**
 * Above a transfer run's evaluation: its accuracy next to the from-scratch run of the same graph
 * in this browser, or a plain statement that there is none yet and how to make one.
 */
import type { SupervisedPlan } from '../../graph/plan';
import type { Baseline } from '../transfer-baseline';
import { runLabel } from '../transfer-source';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function TransferComparison({ plan, accuracy, baseline }: { plan: SupervisedPlan; accuracy: number; baseline: Baseline }) {
  const from = plan.initFrom!;
  const how = from.mode === 'freeze' ? 'frozen (linear probe)' : 'fine-tuned';
  return (
    <div className="rp-alert info" data-testid="transfer-comparison">
      <div className="rp-stats">
        <div className="rp-stat" data-testid="transfer-accuracy">
          <span>started from run {from.runId.slice(0, 8)}, {how}</span>
          <b>{pct(accuracy)}</b>
        </div>
        {baseline.kind === 'found' ? (
          <>
            <div className="rp-stat" data-testid="scratch-accuracy">
              <span title={runLabel(baseline.run)}>same graph from scratch</span>
              <b>{pct(baseline.accuracy)}</b>
            </div>
            <div className="rp-stat" data-testid="transfer-gain">
              <span>difference</span>
              <b>
                {accuracy >= baseline.accuracy ? '+' : '−'}
                {(Math.abs(accuracy - baseline.accuracy) * 100).toFixed(1)} points
              </b>
            </div>
          </>
        ) : (
          <p className="small" data-testid="scratch-none">
            No from-scratch run of this graph in this browser yet, so there is nothing to compare with: set the Optimizer’s “Initialise from run” to none and train
            the same graph again.
          </p>
        )}
      </div>
    </div>
  );
}
