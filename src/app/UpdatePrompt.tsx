/** The "new version is ready" note, bottom left, with a Reload that waits for the run to stop. */
import { useSyncExternalStore } from 'react';
import { runsServices, useSessionFrame } from '../run/ui/use-runs';
import { isActive } from '../run/ui/run-state';
import { updateBanner, type UpdateNotifier, type UpdateState } from './update-prompt';

export function UpdatePrompt({ updates }: { updates: UpdateNotifier }) {
  const state = useSyncExternalStore(updates.subscribe, updates.getState);
  // The run session is looked at only once there is an update to offer.
  return state === 'current' ? null : <UpdateBannerView updates={updates} state={state} />;
}

function UpdateBannerView({ updates, state }: { updates: UpdateNotifier; state: UpdateState }) {
  const frame = useSessionFrame(runsServices().session);
  const runActive = isActive(frame.view.phase);
  const banner = updateBanner(state, runActive);
  if (!banner) return null;
  return (
    <div className="toasts" style={{ left: 16, right: 'auto' }}>
      <div className="toast" role="status" data-testid="update-prompt">
        <span>{banner.text}</span>
        <button
          type="button"
          className="btn small"
          disabled={!banner.canReload}
          title={banner.hint}
          data-testid="update-reload"
          onClick={() => void updates.reload(runActive)}
        >
          Reload
        </button>
        <button type="button" className="btn ghost small" aria-label="Later" onClick={() => updates.dismiss()}>
          ✕
        </button>
      </div>
    </div>
  );
}
