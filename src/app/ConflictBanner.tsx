import type { Conflict } from './open-project';

/** Tells the user another tab changed (or deleted) the open project, and offers the ways out. */
export function ConflictBanner({ conflict, resolve }: { conflict: Conflict; resolve(choice: 'theirs' | 'mine' | 'copy'): void }) {
  return (
    <div className="banner banner-warning" role="alert" data-testid="conflict-banner">
      {conflict.kind === 'saved' ? (
        <>
          <span>
            <strong>This project was changed in another tab.</strong> Autosave is paused so neither version is lost.
          </span>
          <button type="button" className="btn small" onClick={() => resolve('theirs')}>
            Load their version
          </button>
          <button type="button" className="btn small" onClick={() => resolve('mine')}>
            Keep mine (overwrite)
          </button>
          <button type="button" className="btn small" onClick={() => resolve('copy')}>
            Save mine as a copy
          </button>
        </>
      ) : (
        <>
          <span>
            <strong>This project was deleted in another tab.</strong>
          </span>
          <button type="button" className="btn small" onClick={() => resolve('copy')}>
            Save as a new project
          </button>
        </>
      )}
    </div>
  );
}
