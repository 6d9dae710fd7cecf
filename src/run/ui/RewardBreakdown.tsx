/**
 * The current episode's return split by reward term, under the driving view: which terms the
 * agent is earning (speed, distance, right lane) and paying (lane changes, a crash). With a
 * normalised reward the shift normalisation adds each step is a row of its own, so the rows add up
 * to the return shown.
 */
import type { RewardBreakdown as Breakdown } from '../../rl/highway/reward';
import { REWARD_TERM_LABEL } from '../../rl/highway/reward';

export interface RewardBreakdownProps {
  terms: Breakdown;
  episodeReturn: number;
}

const ORDER = Object.keys(REWARD_TERM_LABEL) as (keyof typeof REWARD_TERM_LABEL)[];

export function RewardBreakdown({ terms, episodeReturn }: RewardBreakdownProps) {
  const rows: [string, string, number][] = ORDER.map((key) => [key, REWARD_TERM_LABEL[key], terms[key]]);
  if (terms.offset !== 0) rows.push(['offset', 'normalisation shift', terms.offset]);
  const largest = Math.max(1e-9, ...rows.map(([, , v]) => Math.abs(v)));
  return (
    <table className="rp-reward-terms" data-testid="reward-breakdown" aria-label="Reward of this episode by term">
      <tbody>
        {rows.map(([key, label, value]) => (
          <tr key={key} data-term={key}>
            <th scope="row">{label}</th>
            <td className="rp-reward-bar">
              <span className={value < 0 ? 'neg' : 'pos'} style={{ width: `${(100 * Math.abs(value)) / largest}%` }} />
            </td>
            <td className="num">{value.toFixed(2)}</td>
          </tr>
        ))}
        <tr className="rp-reward-total">
          <th scope="row">episode return</th>
          <td />
          <td className="num" data-testid="reward-breakdown-total">{episodeReturn.toFixed(2)}</td>
        </tr>
      </tbody>
    </table>
  );
}
