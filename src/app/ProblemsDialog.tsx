import type { ParseProblem } from '../graph';
import { Modal } from './Modal';

/** Why a file or link was refused: every problem, with where in the document it is. */
export function ProblemsDialog({ title, problems, onClose }: { title: string; problems: readonly ParseProblem[]; onClose(): void }) {
  const shown = problems.slice(0, 50);
  return (
    <Modal
      title={title}
      onClose={onClose}
      testId="problems-dialog"
      footer={
        <button type="button" className="btn primary" onClick={onClose}>
          OK
        </button>
      }
    >
      <p>Nothing was changed. {problems.length === 1 ? 'The problem:' : `${problems.length} problems:`}</p>
      <ul className="problems" data-testid="problems">
        {shown.map((p, i) => (
          <li key={i}>
            {p.path && <code>{p.path}</code>} {p.message}
          </li>
        ))}
      </ul>
      {problems.length > shown.length && <p className="muted">…and {problems.length - shown.length} more.</p>}
    </Modal>
  );
}
