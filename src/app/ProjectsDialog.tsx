/** Projects: open, rename, duplicate, delete (with a confirm step), and new from blank or a preset. */
import { useEffect, useState } from 'react';
import { presets } from '../../presets';
import type { ProjectSummary } from '../storage';
import { Modal } from './Modal';

export interface ProjectsDialogProps {
  currentId: string | null;
  list(): Promise<ProjectSummary[]>;
  open(id: string): Promise<void>;
  createFromPreset(presetId: string): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  duplicate(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  onClose(): void;
}

function when(t: number): string {
  return t ? new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

export function ProjectsDialog(props: ProjectsDialogProps) {
  const { currentId, list, onClose } = props;
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const refresh = () => setReloads((n) => n + 1);

  useEffect(() => {
    let live = true;
    void list().then((p) => live && setProjects(p));
    return () => {
      live = false;
    };
  }, [list, reloads]);

  const act = (f: () => Promise<void>) => () => void f().then(refresh);

  return (
    <Modal title="Projects" onClose={onClose} testId="projects-dialog" wide>
      <div className="new-row">
        <span className="muted">New:</span>
        {presets.map((p) => (
          <button key={p.id} type="button" className="btn small" title={p.description} onClick={act(() => props.createFromPreset(p.id))}>
            {p.title}
          </button>
        ))}
      </div>
      {projects === null && <p className="muted">Loading…</p>}
      <ul className="project-list" data-testid="project-list">
        {projects?.map((p) => (
          <li key={p.id} className={p.id === currentId ? 'current' : ''} data-testid="project-row" data-project-id={p.id}>
            {renaming === p.id ? (
              <input
                className="rename-input"
                autoFocus
                defaultValue={p.name}
                maxLength={200}
                aria-label="New name"
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    const name = e.currentTarget.value.trim();
                    setRenaming(null);
                    if (name) void props.rename(p.id, name).then(refresh);
                  }
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    setRenaming(null);
                  }
                }}
                onBlur={() => setRenaming(null)}
              />
            ) : (
              <button type="button" className="project-open" onClick={() => void props.open(p.id)} disabled={p.problem !== undefined}>
                <span className="project-title">{p.name}</span>
                <span className="muted small">
                  {p.problem ? `cannot be opened: ${p.problem}` : `${p.nodeCount} nodes · ${when(p.updatedAt)}`}
                  {p.id === currentId ? ' · open' : ''}
                </span>
              </button>
            )}
            {confirming === p.id ? (
              <span className="confirm">
                Delete “{p.name}”?
                <button type="button" className="btn small danger" data-testid="confirm-delete" onClick={act(async () => { setConfirming(null); await props.remove(p.id); })}>
                  Delete
                </button>
                <button type="button" className="btn small" onClick={() => setConfirming(null)}>
                  Cancel
                </button>
              </span>
            ) : (
              <span className="row-actions">
                <button type="button" className="btn small ghost" onClick={() => setRenaming(p.id)} disabled={p.problem !== undefined}>
                  Rename
                </button>
                <button type="button" className="btn small ghost" onClick={act(() => props.duplicate(p.id))} disabled={p.problem !== undefined}>
                  Duplicate
                </button>
                <button type="button" className="btn small ghost danger" onClick={() => setConfirming(p.id)}>
                  Delete
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </Modal>
  );
}
