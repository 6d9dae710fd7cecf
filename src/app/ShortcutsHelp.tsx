import { CLIPBOARD_SHORTCUTS, SHORTCUTS } from '../editor/shortcuts';
import { Modal } from './Modal';

/** The `?` dialog: every shortcut, from the same table the key handler uses. */
export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const rows = [
    ...SHORTCUTS.map((s) => ({ keys: s.keys, description: s.description })),
    ...CLIPBOARD_SHORTCUTS.map((s) => ({ keys: [s.keys], description: s.description })),
  ];
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-help">
      <table className="shortcuts">
        <tbody>
          {rows.map((r) => (
            <tr key={r.description}>
              <td>
                {r.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && <span className="muted"> or </span>}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{r.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Drag from an output (bottom) to an input (top) to connect. Handle colours show what a port carries.</p>
    </Modal>
  );
}
