/** Loss and Optimizer nodes, through `validate(doc, registry)` and one `compile`. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/graph/compile';
import { addClassifier, errorsOf, GraphBuilder } from '../test-helpers';
import { registry } from '../registry';

describe('Loss', () => {
  it('accepts predictions with one value per class', () => {
    const g = new GraphBuilder();
    const c = addClassifier(g);
    const analysis = g.validate();
    expect(errorsOf(analysis)).toEqual([]);
    expect(analysis.nodes[c.loss]!.outputs.loss).toEqual({ kind: 'loss', lossType: 'softmaxCrossEntropy' });
  });

  it('names the prediction shape and the class count when they disagree', () => {
    const g = new GraphBuilder();
    const c = addClassifier(g, { units: 5 });
    const [error] = errorsOf(g.validate(), c.loss);
    expect(error).toMatchObject({ code: 'shape-mismatch', port: 'predictions' });
    expect(error!.message).toContain('[5]');
    expect(error!.message).toContain('10 classes');
    expect(error!.message).toContain('Dense(10)');
  });

  it('follows the class count of a synthetic dataset', () => {
    const synthetic = { source: 'synthetic', numClasses: 4, imageSize: 8 };
    const ok = new GraphBuilder();
    addClassifier(ok, { dataset: synthetic, units: 4 });
    expect(errorsOf(ok.validate())).toEqual([]);

    const bad = new GraphBuilder();
    const c = addClassifier(bad, { dataset: synthetic, units: 10 });
    expect(errorsOf(bad.validate(), c.loss)[0]!.message).toContain('4 classes');
  });

  it('refuses predictions that are not a vector', () => {
    const g = new GraphBuilder();
    const data = g.add('Dataset');
    const [, conv] = g.chain(['Input', ['Conv2D', { filters: 10 }]], data);
    const loss = g.add('Loss', {}, { predictions: conv!, targets: data });
    const [error] = errorsOf(g.validate(), loss);
    expect(error?.code).toBe('shape-mismatch');
    expect(error!.message).toContain('[32,32,10]');
  });

  it('wants a dataset as targets', () => {
    const g = new GraphBuilder();
    const [input, dense] = g.chain([['Input', { shape: [10] }], 'Dense']);
    const loss = g.add('Loss', {}, { predictions: dense!, targets: input! });
    const codes = errorsOf(g.validate(), loss).map((d) => d.code);
    // One wiring mistake, one error: the refused edge explains itself.
    expect(codes).toEqual(['incompatible-ports']);
  });

  it.each([
    ['loss', 'hinge'],
    ['labelSmoothing', 0.6],
    ['huberDelta', 0],
  ])('rejects %s = %s', (param, value) => {
    const g = new GraphBuilder();
    const c = addClassifier(g);
    g.doc.nodes.find((n) => n.id === c.loss)!.params = { [param]: value };
    expect(errorsOf(g.validate(), c.loss).map((d) => [d.code, d.param])).toEqual([['invalid-params', param]]);
  });
});

describe('Optimizer', () => {
  it('shows in the inspector only the settings its optimizer, schedule and budget read', async () => {
    const { Optimizer, optimizerParamShown } = await import('./optimizer');
    const shown = (params: Record<string, unknown>) =>
      Object.keys(Optimizer.params.shape).filter((k) => optimizerParamShown(k, Optimizer.params.parse(params)));
    const sgd = shown({ optimizer: 'sgd', schedule: 'onecycle' });
    expect(sgd).toContain('momentum');
    expect(sgd).toContain('minLearningRateFraction');
    expect(sgd).toContain('epochs');
    expect(sgd).not.toContain('beta1');
    expect(sgd).not.toContain('stepEvery');
    expect(sgd).not.toContain('budgetWarmupFraction');
    const adamStep = shown({ optimizer: 'adam', schedule: 'step', budgetMinutes: 10 });
    expect(adamStep).toEqual(expect.arrayContaining(['beta1', 'beta2', 'epsilon', 'stepEvery', 'stepGamma', 'budgetMinutes', 'budgetWarmupFraction']));
    expect(adamStep).not.toContain('momentum');
    expect(adamStep).not.toContain('epochs');
    expect(adamStep).not.toContain('warmupEpochs');
    expect(adamStep).not.toContain('minLearningRateFraction');
  });

  it('turns a loss into a trained model that compiles into a supervised plan', () => {
    const g = new GraphBuilder();
    const c = addClassifier(g);
    expect(g.validate().nodes[c.optimizer]!.outputs.model).toEqual({ kind: 'model' });
    const result = compile(g.doc, registry);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok && result.plan.mode).toBe('supervised');
    expect(result.ok && result.plan.model.outputShape).toEqual([10]);
    // Its params come through with the defaults filled in.
    expect(result.ok && result.plan.mode === 'supervised' && result.plan.optimizer.params).toMatchObject({
      optimizer: 'adam',
      learningRate: 0.001,
      batchSize: 32,
    });
  });

  it('needs a loss connected', () => {
    const g = new GraphBuilder();
    const opt = g.add('Optimizer');
    expect(errorsOf(g.validate(), opt).map((d) => [d.code, d.port])).toEqual([['missing-input', 'loss']]);
  });

  it.each([
    ['optimizer', 'rmsprop'],
    ['learningRate', 0],
    ['momentum', 1],
    ['beta2', 1],
    ['weightDecay', 0.6],
    ['schedule', 'linear'],
    ['stepGamma', 0],
    ['epochs', 1001],
    ['batchSize', 0],
  ])('rejects %s = %s', (param, value) => {
    const g = new GraphBuilder();
    const c = addClassifier(g);
    g.doc.nodes.find((n) => n.id === c.optimizer)!.params = { [param]: value };
    expect(errorsOf(g.validate(), c.optimizer).map((d) => [d.code, d.param])).toEqual([['invalid-params', param]]);
  });
});
