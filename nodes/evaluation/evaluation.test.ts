/** The Evaluator node, through `validate(doc, registry)` and `compile`. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/graph/compile';
import { registry } from '../registry';
import { addClassifier, addQLearner, errorsOf, GraphBuilder } from '../test-helpers';

describe('Evaluator', () => {
  it('reports on a trained classifier and rides along in its plan', () => {
    const g = new GraphBuilder();
    const c = addClassifier(g);
    const evaluator = g.add('Evaluator', { samplePredictions: 8 }, { source: c.optimizer });
    expect(g.validate().nodes[evaluator]!.outputs.report).toEqual({ kind: 'metrics' });
    const result = compile(g.doc, registry);
    expect(result.ok && result.plan.evaluator).toMatchObject({ nodeId: evaluator, params: { samplePredictions: 8, episodes: 50 } });
  });

  it("says on its card when it averages flips", () => {
    const { Evaluator } = registry;
    const model = new Map([['source', 'model']]) as Parameters<typeof Evaluator.summary>[1];
    expect(Evaluator.summary(Evaluator.params.parse({ flipAveraging: true }), model)).toBe('test set with flips averaged, 16 sample predictions');
    expect(Evaluator.summary(Evaluator.params.parse({}), model)).toBe('test set, 16 sample predictions');
  });

  it('reports on an agent', () => {
    const g = new GraphBuilder();
    const q = addQLearner(g);
    const evaluator = g.add('Evaluator', {}, { source: q.agent });
    const analysis = g.validate();
    expect(errorsOf(analysis)).toEqual([]);
    expect(analysis.nodes[evaluator]!.outputs.report).toEqual({ kind: 'metrics' });
  });

  it('takes only a trained model or an agent', () => {
    const g = new GraphBuilder();
    const [, evaluator] = g.chain(['Dataset', 'Evaluator']);
    const [error] = errorsOf(g.validate(), evaluator).filter((d) => d.code === 'incompatible-ports');
    expect(error?.message).toContain('model or agent');
  });

  it('needs a source connected', () => {
    const g = new GraphBuilder();
    const evaluator = g.add('Evaluator');
    expect(errorsOf(g.validate(), evaluator).map((d) => [d.code, d.port])).toEqual([['missing-input', 'source']]);
  });

  it.each([
    ['samplePredictions', 101],
    ['confusionMatrix', 'yes'],
    ['episodes', 0],
    ['heldOutSeed', -1],
    ['baselines.0', 'greedy'],
  ])('rejects %s = %s', (param, value) => {
    const g = new GraphBuilder();
    const c = addClassifier(g);
    const params = param === 'baselines.0' ? { baselines: [value] } : { [param]: value };
    const evaluator = g.add('Evaluator', params, { source: c.optimizer });
    expect(errorsOf(g.validate(), evaluator).map((d) => [d.code, d.param])).toEqual([['invalid-params', param]]);
  });
});
