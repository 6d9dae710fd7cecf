/** One inspector field. Drafts stay local until they parse; an invalid draft shows its error and is never written. */
import { useId, useState } from 'react';
import { formatFieldValue, parseFieldInput, type FieldSpec } from './param-fields';

export interface ParamFieldProps {
  field: FieldSpec;
  value: unknown;
  readOnly: boolean;
  /** Problems validation found with this param (e.g. a cross-field rule). */
  issues: readonly string[];
  commit(value: unknown): void;
}

export function ParamField({ field, value, readOnly, issues, commit }: ParamFieldProps) {
  const id = useId();
  const shown = value === undefined ? field.defaultValue : value;
  const [draft, setDraft] = useState(() => formatFieldValue(field, shown));
  const [error, setError] = useState<string | null>(null);

  const submit = (raw: string | boolean | readonly string[]) => {
    const parsed = parseFieldInput(field, raw);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    if (JSON.stringify(parsed.value) !== JSON.stringify(shown)) commit(parsed.value);
  };

  let control;
  switch (field.kind) {
    case 'boolean':
      control = <input id={id} type="checkbox" checked={shown === true} disabled={readOnly} onChange={(e) => submit(e.target.checked)} />;
      break;
    case 'select':
      control = (
        <select id={id} value={String(shown)} disabled={readOnly} onChange={(e) => submit(e.target.value)}>
          {field.options.map((o) => (
            <option key={String(o)} value={String(o)}>
              {String(o)}
            </option>
          ))}
        </select>
      );
      break;
    case 'multiSelect': {
      const chosen = Array.isArray(shown) ? (shown as string[]) : [];
      control = (
        <span className="multi" id={id}>
          {field.options.map((o) => (
            <label key={o}>
              <input
                type="checkbox"
                checked={chosen.includes(o)}
                disabled={readOnly}
                onChange={(e) => submit(e.target.checked ? [...chosen, o] : chosen.filter((c) => c !== o))}
              />
              {o}
            </label>
          ))}
        </span>
      );
      break;
    }
    default:
      control = (
        <input
          id={id}
          type="text"
          inputMode={field.kind === 'number' ? 'decimal' : undefined}
          value={draft}
          readOnly={readOnly}
          aria-invalid={error !== null}
          spellCheck={false}
          onChange={(e) => {
            setDraft(e.target.value);
            const parsed = parseFieldInput(field, e.target.value);
            setError(parsed.ok ? null : parsed.error);
          }}
          onBlur={() => submit(draft)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') submit(draft);
            if (e.key === 'Escape') {
              setDraft(formatFieldValue(field, shown));
              setError(null);
            }
          }}
        />
      );
  }

  const bounds =
    field.kind === 'number' && (field.min !== undefined || field.max !== undefined)
      ? `${field.int ? 'integer ' : ''}${field.min ?? '−∞'} … ${field.max ?? '∞'}`
      : undefined;
  return (
    <div className={`field field-${field.kind}${error ? ' invalid' : ''}`} data-testid="param-field" data-param={field.key}>
      <label htmlFor={id} title={field.description ?? bounds}>
        {field.label}
      </label>
      {control}
      {error && (
        <div className="field-error" role="alert" data-testid="field-error">
          {error}
        </div>
      )}
      {!error &&
        issues.map((m) => (
          <div className="field-error" key={m}>
            {m}
          </div>
        ))}
    </div>
  );
}
