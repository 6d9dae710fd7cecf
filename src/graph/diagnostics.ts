/** Every diagnostic the graph layer can raise. Codes are stable: the editor and tests key on them. */
export type DiagnosticCode =
  | 'unknown-node-type'
  | 'invalid-params'
  | 'missing-input'
  | 'unknown-port'
  | 'incompatible-ports'
  | 'duplicate-input'
  | 'cycle'
  | 'shape-mismatch'
  | 'rank-mismatch'
  | 'invalid-shape'
  | 'upstream-error'
  | 'nothing-to-train'
  | 'ambiguous-training'
  | 'unused-node'
  | 'incompatible-target'
  | 'schedule-incomplete'
  | 'too-deep'
  | 'out-of-memory';

export type Severity = 'error' | 'warning';

/** A fix the editor can apply with one click, described as data. */
export type QuickFix =
  | {
      kind: 'insert-node';
      label: string;
      /** Node type to insert on the edge feeding `targetPort` of the diagnosed node. */
      nodeType: string;
      params?: Record<string, unknown>;
      targetPort: string;
    }
  | {
      kind: 'set-params';
      label: string;
      /** Params merged into the diagnosed node's own. */
      params: Record<string, unknown>;
    };

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  nodeId?: string;
  edgeId?: string;
  port?: string;
  /** For parameter errors: the parameter's path inside `params`. */
  param?: string;
  fix?: QuickFix;
}

/** A diagnostic a node definition raises about itself; the validator fills in `nodeId`. */
export type NodeIssue = Omit<Diagnostic, 'nodeId' | 'edgeId'>;

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
