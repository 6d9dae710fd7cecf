/**
 * "Import weights": model.json + its .bin (or a .zip holding them), picked or dropped, checked
 * against the open graph and stored as a run trained elsewhere (src/run/import-run.ts). A refusal
 * names the layer that differs and stores nothing.
 */
import { useState, type DragEvent, type ReactNode } from 'react';
import type { TrainingPlan } from '../../graph/plan';
import { storeImportedRun } from '../import-run';
import type { PickedFile } from '../import-weights';
import type { RunRepository } from '../runs-db';
import type { RunRecord } from '../runs-db-record';

export interface ImportWeightsProps {
  repo: RunRepository;
  /** The open graph's plan, which the weights must fit. */
  plan: TrainingPlan | null;
  disabled: boolean;
  onImported(run: RunRecord): void;
  onRefused(message: string): void;
  children?: ReactNode;
}

async function readPicked(files: FileList | readonly File[]): Promise<PickedFile[]> {
  return Promise.all(Array.from(files, async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/** A drop zone around `children` with the import button on top. */
export function ImportWeights({ repo, plan, disabled, onImported, onRefused, children }: ImportWeightsProps) {
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  const take = async (files: FileList | readonly File[]) => {
    if (files.length === 0 || disabled || busy) return;
    setBusy(true);
    try {
      const r = await storeImportedRun(repo, plan, await readPicked(files));
      if (r.ok) onImported(r.run);
      else onRefused(r.message);
    } catch (e) {
      onRefused(`Import failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (e: DragEvent) => {
    if (!Array.from(e.dataTransfer.types).includes('Files')) return;
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files);
  };

  return (
    <div
      className={`rp-import${over ? ' over' : ''}`}
      data-testid="import-weights-zone"
      onDragOver={(e) => {
        if (!Array.from(e.dataTransfer.types).includes('Files')) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="rp-import-bar">
        <label className={`btn small${disabled || busy ? ' disabled' : ''}`} title="Weights trained elsewhere (PyTorch's tools/export_tfjs.py, or Export): model.json and its .bin, or a .zip holding them. They must fit the open graph.">
          {busy ? 'Importing…' : '⤒ Import weights'}
          <input
            type="file"
            multiple
            accept=".json,.bin,.zip"
            data-testid="import-weights-input"
            disabled={disabled || busy}
            style={{ display: 'none' }}
            onChange={(e) => {
              const input = e.currentTarget;
              void take(Array.from(input.files ?? [])).finally(() => {
                input.value = '';
              });
            }}
          />
        </label>
        <span className="muted">or drop model.json + .bin (or a .zip) here: weights trained elsewhere, checked against the open graph</span>
      </div>
      {children}
    </div>
  );
}
