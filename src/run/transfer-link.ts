/**
 * The link from a run to the run it started from, as it travels: made when the run starts (which
 * nodes took the source's weights, worked out as the picker shows it), written into the exported
 * model.json's `userDefinedMetadata` (which TF.js keeps and ignores), read back on import, and
 * told in words on the page, including when the source run is not in this browser.
 */
import type { SupervisedPlan } from '../graph/plan';
import { TransferLinkSchema, type RunRecord, type TransferLink } from './runs-db-record';
import { matchLayers } from './transfer-source';

/** The link a run of `plan` records when it starts from `source`. */
export function transferLink(plan: SupervisedPlan, source: RunRecord): TransferLink {
  const m = matchLayers(source.plan.model, plan.model);
  return { runId: source.id, runName: source.name, mode: plan.initFrom?.mode ?? 'fine-tune', matched: m.matched, fresh: m.fresh.map((f) => f.nodeId) };
}

/** `modelJson` with the link in its metadata (unchanged without one). */
export function withTransferLink(modelJson: string, link: TransferLink | undefined): string {
  if (!link) return modelJson;
  const json = JSON.parse(modelJson) as { userDefinedMetadata?: Record<string, unknown> };
  const meta = json.userDefinedMetadata ?? {};
  return JSON.stringify({ ...json, userDefinedMetadata: { ...meta, tensorloom: { ...(meta.tensorloom as object | undefined), transfer: link } } });
}

/** The link a model.json carries, when it carries a well-formed one. */
export function transferLinkOf(modelJson: string): TransferLink | undefined {
  try {
    const json = JSON.parse(modelJson) as { userDefinedMetadata?: { tensorloom?: { transfer?: unknown } } };
    const parsed = TransferLinkSchema.safeParse(json.userDefinedMetadata?.tensorloom?.transfer);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The link in one sentence; `present` says whether the source run is in this browser. */
export function describeLink(link: TransferLink, present: boolean): string {
  const how = link.mode === 'freeze' ? 'copied and frozen' : 'copied and fine-tuned';
  const fresh = link.fresh.length > 0 ? `; started fresh: ${link.fresh.join(', ')}` : '';
  const where = present ? '' : ` That run is not in this browser (deleted, or trained in another one): the link is kept, and Evaluate works without it.`;
  return `Started from run “${link.runName}” (${link.runId.slice(0, 8)}): ${link.matched.length} layer${link.matched.length === 1 ? '' : 's'} ${how} (${link.matched.join(', ')})${fresh}.${where}`;
}
