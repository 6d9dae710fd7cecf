/** The node palette: search, categories, drag onto the canvas or click/Enter to add at the centre. */
import { useReactFlow } from '@xyflow/react';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { PORT_KIND_LABEL, PORT_KINDS } from '../graph';
import { PORT_KIND_COLOR } from './port-colors';
import { addNode } from './actions';
import { PALETTE_MIME } from './Canvas';
import { useEditor, useEditorStore } from './context';
import { paletteGroups, type PaletteItem } from './palette-items';

function KindDots({ kinds }: { kinds: readonly PaletteItem['outKinds'][number][] }) {
  return (
    <span className="kind-dots">
      {kinds.map((k) => (
        <span key={k} className="kind-dot" style={{ background: PORT_KIND_COLOR[k] }} title={PORT_KIND_LABEL[k]} />
      ))}
    </span>
  );
}

export function Palette() {
  const store = useEditorStore();
  const readOnly = useEditor((s) => s.readOnly);
  const flow = useReactFlow();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => paletteGroups(store.registry, query), [store.registry, query]);

  const addAtCentre = (type: string) => {
    const pane = document.querySelector('.canvas .react-flow')?.getBoundingClientRect();
    const centre = pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: 0, y: 0 };
    addNode(store, type, flow.screenToFlowPosition(centre));
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const first = groups[0]?.items[0];
    if (e.key === 'Enter' && first) addAtCentre(first.type);
    if (e.key === 'Escape') setQuery('');
  };

  return (
    <aside className="palette" aria-label="Node palette" data-testid="palette">
      <input
        className="palette-search"
        type="search"
        placeholder="Search nodes…"
        aria-label="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onSearchKey}
      />
      <div className="palette-groups">
        {groups.length === 0 && <p className="muted">No node matches “{query}”.</p>}
        {groups.map((g) => (
          <section key={g.category} className="palette-group">
            <h3>{g.title}</h3>
            <ul>
              {g.items.map((item) => (
                <li key={item.type}>
                  <button
                    type="button"
                    className={`palette-item node-${item.category}`}
                    draggable={!readOnly}
                    disabled={readOnly}
                    data-testid="palette-item"
                    data-node-type={item.type}
                    title={item.description}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_MIME, item.type);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => addAtCentre(item.type)}
                  >
                    <KindDots kinds={item.inKinds} />
                    <span className="palette-item-title">{item.title}</span>
                    <KindDots kinds={item.outKinds} />
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <PortLegend />
    </aside>
  );
}

/** Which colour is which port kind. */
export function PortLegend() {
  return (
    <section className="legend" aria-label="Port kinds" data-testid="legend">
      <h3>Port kinds</h3>
      <ul>
        {PORT_KINDS.map((k) => (
          <li key={k}>
            <span className="kind-dot" style={{ background: PORT_KIND_COLOR[k] }} />
            {PORT_KIND_LABEL[k]}
          </li>
        ))}
      </ul>
    </section>
  );
}
