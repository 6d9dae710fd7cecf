/** Page object for the editor: locators and gestures the specs share. */
import { expect, type Locator, type Page } from '@playwright/test';

export class EditorPage {
  readonly nodes: Locator;
  readonly edgeLabels: Locator;
  readonly canvas: Locator;
  readonly pane: Locator;
  readonly inspector: Locator;
  readonly toasts: Locator;
  readonly projectName: Locator;
  readonly saveState: Locator;
  readonly compileStatus: Locator;

  constructor(readonly page: Page) {
    this.nodes = page.getByTestId('node-card');
    this.edgeLabels = page.getByTestId('edge-label');
    this.canvas = page.getByTestId('canvas');
    this.pane = page.locator('.react-flow__pane');
    this.inspector = page.getByTestId('inspector');
    this.toasts = page.getByTestId('toast');
    this.projectName = page.getByTestId('project-name');
    this.saveState = page.getByTestId('save-state');
    this.compileStatus = page.getByTestId('compile-status');
  }

  /** Opens the app (optionally at `path`) and waits until the canvas has drawn. */
  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.canvas).toBeVisible();
    await expect(this.page.locator('.react-flow__viewport')).toBeAttached();
  }

  /** Opens the app and waits for the stored project to be showing and editable. */
  async openProject(path = '/'): Promise<void> {
    await this.open(path);
    await expect(this.projectName).not.toHaveValue('Loading…');
    await expect(this.saveState).toHaveText('Saved');
  }

  node(id: string): Locator {
    return this.page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);
  }

  nodeOfType(type: string): Locator {
    return this.page.locator(`[data-testid="node-card"][data-node-type="${type}"]`);
  }

  async nodeIdOfType(type: string, index = 0): Promise<string> {
    const id = await this.nodeOfType(type).nth(index).getAttribute('data-node-id');
    if (!id) throw new Error(`no ${type} node`);
    return id;
  }

  output(id: string): Locator {
    return this.node(id).getByTestId('node-output').first();
  }

  handle(nodeId: string, port: string, side: 'source' | 'target'): Locator {
    return this.page.locator(`.react-flow__handle.${side}[data-nodeid="${nodeId}"][data-handleid="${port}"]`);
  }

  /** Starts a new project from a preset (the top bar picker). */
  async newFromPreset(presetId: 'resnet-cifar' | 'fast-cifar' | 'autoencoder-cifar' | 'ssl-classifier-cifar' | 'dqn-driver' | 'ppo-driver' | 'blank'): Promise<void> {
    // "Saved" already shows for the project being left: wait for the new one's name first (a new
    // project always gets a name of its own, " (2)" when the preset's is taken).
    const before = await this.projectName.inputValue();
    await this.page.getByTestId('preset-picker').selectOption(presetId);
    await expect(this.projectName).not.toHaveValue(before);
    await expect(this.projectName).not.toHaveValue('Loading…');
    await expect(this.saveState).toHaveText('Saved');
  }

  /** Drags a palette item onto the canvas at `at` (relative to the canvas's top-left corner). */
  async dragFromPalette(type: string, at: { x: number; y: number }): Promise<void> {
    const item = this.page.locator(`[data-testid="palette-item"][data-node-type="${type}"]`);
    await item.dragTo(this.pane, { targetPosition: at });
  }

  /** Draws an edge from an output handle to an input handle with the mouse. */
  async connect(source: string, sourcePort: string, target: string, targetPort: string): Promise<void> {
    const from = await this.handle(source, sourcePort, 'source').boundingBox();
    const to = await this.handle(target, targetPort, 'target').boundingBox();
    if (!from || !to) throw new Error(`handle not visible: ${source}.${sourcePort} → ${target}.${targetPort}`);
    const mouse = this.page.mouse;
    await mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await mouse.down();
    await mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
    await mouse.up();
  }

  async select(nodeId: string): Promise<void> {
    await this.node(nodeId).locator('.node-head').click();
    await expect(this.inspector).toHaveAttribute('data-node-id', nodeId);
  }

  /** Types a value into the inspector's field for `param` and commits it with Enter. */
  async setParam(param: string, value: string): Promise<void> {
    const input = this.inspector.locator(`[data-param="${param}"] input`);
    await input.fill(value);
    await input.press('Enter');
  }

  /** The value in the inspector's field for `param` of the selected node. */
  async paramValue(param: string): Promise<string> {
    return this.inspector.locator(`[data-param="${param}"] input`).inputValue();
  }

  async edgeCount(): Promise<number> {
    return this.page.locator('.react-flow__edge').count();
  }

  /** Waits for autosave to finish. */
  async saved(): Promise<void> {
    await expect(this.saveState).toHaveText('Saved');
  }
}
