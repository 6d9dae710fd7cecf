/**
 * Getting CIFAR-10 into the browser: a file picker, a drop zone and a URL field with a progress
 * bar. Files are parsed and cached by the dataset worker; what is cached shows on the right and is
 * reused by every later run and after reloads.
 */
import { useRef, useState } from 'react';
import { CIFAR_CLASSES, CIFAR_RECORD_BYTES } from '../../data/cifar';
import { datasetSource, type CachedFile, type LoadProgress } from '../dataset-source-client';
import { CIFAR10_URL, type DatasetSummary } from '../dataset-source';

export interface CachedDataset {
  files: CachedFile[];
  /** Known right after a load; after a reload only the files are known (nothing is parsed until a run). */
  summary?: DatasetSummary;
}

export interface DataSourcePanelProps {
  cached: CachedDataset | null;
  onChange(cached: CachedDataset | null): void;
  /** Disables loading while a run reads the cache. */
  busy: boolean;
}

const mb = (n: number) => `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} MB`;

function progressText(p: LoadProgress): string {
  const verb = p.phase === 'downloading' ? 'Downloading' : p.phase === 'reading' ? 'Reading' : 'Parsing and caching';
  if (p.phase === 'parsing') return `${verb}…`;
  return `${verb} ${mb(p.loaded)}${p.total ? ` of ${mb(p.total)}` : ''}`;
}

export function imageCounts(files: readonly CachedFile[]): { train: number; test: number } {
  let train = 0;
  let test = 0;
  for (const f of files) {
    const n = Math.floor(f.size / CIFAR_RECORD_BYTES);
    if (/test_batch/.test(f.name)) test += n;
    else train += n;
  }
  return { train, test };
}

export function DataSourcePanel({ cached, onChange, busy }: DataSourcePanelProps) {
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const [url, setUrl] = useState(CIFAR10_URL);
  const input = useRef<HTMLInputElement>(null);
  /** Which load is current: progress reports travel apart from the result and may arrive after it. */
  const loadId = useRef(0);
  const loading = progress !== null;

  async function load(run: (onProgress: (p: LoadProgress) => void) => Promise<{ summary: DatasetSummary }>) {
    const id = ++loadId.current;
    setError(null);
    setProgress({ phase: 'reading', loaded: 0 });
    try {
      const loaded = await run((p) => {
        if (loadId.current === id) setProgress(p);
      });
      const files = await datasetSource().cachedFiles();
      onChange({ files, summary: loaded.summary });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (loadId.current === id) loadId.current++;
      setProgress(null);
    }
  }

  const fromFiles = (list: FileList | null) => {
    const files = list ? [...list] : [];
    if (files.length > 0) void load((p) => datasetSource().fromFiles(files, p));
  };

  const counts = cached ? imageCounts(cached.files) : null;
  const classCounts = cached?.summary?.classCounts;
  const maxClass = classCounts ? Math.max(1, ...classCounts) : 1;
  const pct = progress?.total ? Math.min(100, (100 * progress.loaded) / progress.total) : progress?.phase === 'parsing' ? 100 : 0;

  return (
    <div className="rp-data" data-testid="data-source">
      <div>
        <div
          className={`rp-drop${over ? ' over' : ''}`}
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            if (!loading && !busy) fromFiles(e.dataTransfer.files);
          }}
        >
          <span>
            Drop <strong>cifar-10-binary.tar.gz</strong> or the <strong>data_batch_N.bin</strong> / <strong>test_batch.bin</strong> files here
          </span>
          <button type="button" className="btn" disabled={loading || busy} onClick={() => input.current?.click()}>
            Choose files…
          </button>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            accept=".bin,.gz,.tgz,.tar,application/gzip,application/x-tar,application/octet-stream"
            data-testid="dataset-file-input"
            onChange={(e) => {
              fromFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </div>
        <form
          className="rp-url"
          onSubmit={(e) => {
            e.preventDefault();
            if (url.trim()) void load((p) => datasetSource().fromUrl(url.trim(), p));
          }}
        >
          <input aria-label="Dataset URL" value={url} onChange={(e) => setUrl(e.target.value)} spellCheck={false} disabled={loading || busy} />
          {progress?.phase === 'downloading' ? (
            <button type="button" className="btn" onClick={() => void datasetSource().cancelDownload()}>
              Cancel
            </button>
          ) : (
            <button type="submit" className="btn" disabled={loading || busy}>
              Fetch
            </button>
          )}
        </form>
        <p className="muted rp-hint">Servers that refuse cross-origin downloads cannot be fetched from the page; download the file and choose it instead.</p>
        {progress && (
          <div className="rp-load-progress" data-testid="dataset-progress" role="status">
            {progressText(progress)}
            <div className="rp-progress-track">
              <span style={{ width: `${pct}%` }} />
            </div>
          </div>
        )}
        {error && (
          <div className="rp-alert error" role="alert" data-testid="dataset-error" style={{ marginTop: 10 }}>
            {error}
          </div>
        )}
      </div>
      <div className="rp-dataset-card" data-testid="dataset-card">
        <h4>CIFAR-10 in this browser</h4>
        {cached && counts ? (
          <>
            <div className="rp-stats">
              <div className="rp-stat">
                <span>training images</span>
                <b data-testid="dataset-train-count">{counts.train.toLocaleString('en-US')}</b>
              </div>
              <div className="rp-stat">
                <span>test images</span>
                <b>{counts.test.toLocaleString('en-US')}</b>
              </div>
              <div className="rp-stat">
                <span>stored</span>
                <b>{mb(cached.files.reduce((n, f) => n + f.size, 0))}</b>
              </div>
            </div>
            {classCounts && (
              <>
                <div className="rp-classbars" title="training images per class">
                  {classCounts.map((c, i) => (
                    <span key={i} style={{ height: `${(100 * c) / maxClass}%` }} title={`${CIFAR_CLASSES[i]}: ${c}`} />
                  ))}
                </div>
                <div className="rp-classnames">
                  {CIFAR_CLASSES.map((c) => (
                    <span key={c}>{c.slice(0, 4)}</span>
                  ))}
                </div>
              </>
            )}
            <ul className="rp-files">
              {cached.files.map((f) => (
                <li key={f.name}>{f.name}</li>
              ))}
            </ul>
            {counts.test === 0 && <p className="muted" style={{ margin: '8px 0 0' }}>No test batch: the final evaluation uses the validation split.</p>}
            <button
              type="button"
              className="btn small"
              style={{ marginTop: 8 }}
              disabled={busy || loading}
              onClick={() => void datasetSource().clear().then(() => onChange(null))}
            >
              Forget cached copy
            </button>
          </>
        ) : (
          <p className="muted" style={{ margin: 0 }}>
            Nothing cached yet. The official archive is 163 MB; it is parsed and stored once, then reused after reloads.
          </p>
        )}
      </div>
    </div>
  );
}
