import { describe, expect, it } from 'vitest';
import { asDatasetError } from './dataset-source';
import { checkpointProblem, failureText, isStorageFull } from './failure-text';

describe('failure texts', () => {
  it('says the GPU device was lost instead of quoting mapAsync', () => {
    const raw = "Failed to execute 'mapAsync' on 'GPUBuffer': Device is lost";
    expect(failureText(raw)).toMatch(/^the GPU device was lost/);
    expect(failureText('loss became NaN at step 3')).toBe('loss became NaN at step 3');
  });

  it('finds a quota error however Dexie wraps it, and says what to free', () => {
    const dexie = { name: 'AbortError', message: 'transaction aborted', inner: { name: 'QuotaExceededError', message: 'The quota has been exceeded.' } };
    expect(isStorageFull(dexie)).toBe(true);
    expect(isStorageFull(new Error('constraint failed'))).toBe(false);
    expect(checkpointProblem(dexie)).toMatch(/storage is full: delete old runs .* or cached datasets/);
    expect(checkpointProblem(dexie)).toMatch(/Export still works/);
    expect(asDatasetError(dexie).message).toMatch(/^the dataset could not be cached — storage is full/);
  });
});
