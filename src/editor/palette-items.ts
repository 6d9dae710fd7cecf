/** The palette's contents, derived from the registry: categories in registry order, with search. */
import type { NodeCategory, NodeRegistry, PortKind } from '../graph';

export interface PaletteItem {
  type: string;
  title: string;
  description: string;
  category: NodeCategory;
  /** Kinds the node takes and gives, for the small colour dots. */
  inKinds: readonly PortKind[];
  outKinds: readonly PortKind[];
}

export interface PaletteGroup {
  category: NodeCategory;
  title: string;
  items: PaletteItem[];
}

export const CATEGORY_TITLE: Record<NodeCategory, string> = {
  data: 'Data',
  layers: 'Layers',
  training: 'Training',
  rl: 'Reinforcement learning',
  evaluation: 'Evaluation',
};

/** Groups the registry by category; `query` keeps items whose title, type or description match. */
export function paletteGroups(registry: NodeRegistry, query = ''): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<NodeCategory, PaletteGroup>();
  for (const def of Object.values(registry)) {
    const haystack = `${def.title} ${def.type} ${def.description} ${CATEGORY_TITLE[def.category]}`.toLowerCase();
    if (!words.every((w) => haystack.includes(w))) continue;
    const group = groups.get(def.category) ?? { category: def.category, title: CATEGORY_TITLE[def.category], items: [] };
    groups.set(def.category, group);
    group.items.push({
      type: def.type,
      title: def.title,
      description: def.description,
      category: def.category,
      inKinds: [...new Set(def.inputs.flatMap((p) => p.accepts))],
      outKinds: def.outputs.map((p) => p.kind),
    });
  }
  return [...groups.values()];
}
