/** Hands exported model files to the browser as downloads. */
import type { ExportedModel } from '../protocol/export-model';

/** Starts browser downloads of `<stem>.json` and its weights file. */
export function downloadExportedModel(exported: ExportedModel, stem: string): void {
  const files: [string, Blob][] = [
    [`${stem}.json`, new Blob([exported.modelJson], { type: 'application/json' })],
    [exported.weightsName, new Blob([exported.weights], { type: 'application/octet-stream' })],
  ];
  for (const [name, blob] of files) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    // Revoked later: Chromium reads the blob after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
