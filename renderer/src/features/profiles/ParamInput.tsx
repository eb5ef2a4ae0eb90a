import { useId } from 'react';
import { Field } from '../../components/Field';
import { withLabel } from '../../lib/errors';
import { formatValue, NONE, OTHER, type Draft } from './param-draft';
import { choiceLabel, otherLabel, paramHint, paramLabel } from './param-labels';
import type { ParamField } from './param-schema';

interface Props {
  controlId: string;
  field: ParamField;
  draft: Draft;
  onChange: (draft: Draft) => void;
  error?: string | undefined;
  /** The value differs from the control's default. */
  changed: boolean;
  disabled?: boolean;
}

/** data-testid of a parameter's main input (focus goes there when it has an error). */
export function paramTestId(controlId: string, key: string): string {
  return `param-${controlId}-${key}`;
}

function Hint({ field, changed }: { field: ParamField; changed: boolean }) {
  const hint = paramHint(field);
  const hasDefault = 'default' in field;
  return (
    <>
      {changed ? (
        <span className="badge badge-changed" data-testid="param-changed">
          changed
        </span>
      ) : null}
      {hint ? <span>{hint} </span> : null}
      {hasDefault ? <span className="param-default">Default: {formatValue(field.default)}.</span> : null}
    </>
  );
}

/** One parameter's input, chosen by the kind its JSON Schema describes. */
export function ParamInput({ controlId, field, draft, onChange, error, changed, disabled }: Props) {
  const label = paramLabel(field.key);
  const testId = paramTestId(controlId, field.key);
  const name = `${controlId}-${field.key}`;
  const message = withLabel(label, error);
  const groupId = useId();
  const { spec } = field;
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const className = `param-field${changed ? ' is-changed' : ''}${spec.kind === 'list' || spec.kind === 'json' || spec.kind === 'choice' ? ' span-all' : ''}`;

  if (spec.kind === 'boolean') {
    return (
      <div className={`field ${className}${message ? ' field-invalid' : ''}`}>
        <label className="checkbox">
          <input type="checkbox" checked={draft.flag} onChange={(e) => set({ flag: e.target.checked })} disabled={disabled} data-testid={testId} />
          {label}
        </label>
        {message ? (
          <p className="field-error" data-testid={`field-error-${name}`}>
            {message}
          </p>
        ) : null}
        <p className="field-hint">
          <Hint field={field} changed={changed} />
        </p>
      </div>
    );
  }

  if (spec.kind === 'list' && spec.item.kind === 'enum') {
    const options = spec.item.options;
    const toggle = (option: string, on: boolean) => {
      const picks = on ? [...draft.picks, option] : draft.picks.filter((p) => p !== option);
      // keep the schema's order, so the value does not depend on click order
      set({ picks: options.filter((o) => picks.includes(o)) });
    };
    return (
      <fieldset className={`field ${className}${message ? ' field-invalid' : ''}`} aria-describedby={message ? `${groupId}-error` : undefined} data-testid={testId} tabIndex={-1}>
        <legend>{label}</legend>
        <div className="param-picks">
          {options.map((o) => (
            <label key={o} className="checkbox">
              <input type="checkbox" checked={draft.picks.includes(o)} onChange={(e) => toggle(o, e.target.checked)} disabled={disabled} data-testid={`${testId}-${o}`} />
              {o}
            </label>
          ))}
        </div>
        {message ? (
          <p className="field-error" id={`${groupId}-error`} data-testid={`field-error-${name}`}>
            {message}
          </p>
        ) : null}
        <p className="field-hint">
          <Hint field={field} changed={changed} />
        </p>
      </fieldset>
    );
  }

  return (
    <Field label={label} name={name} error={message} hint={<Hint field={field} changed={changed} />} className={className}>
      {(control) => {
        if (spec.kind === 'enum') {
          return (
            <select {...control} className="input" value={draft.pick} onChange={(e) => set({ pick: e.target.value })} disabled={disabled} data-testid={testId}>
              {field.nullable || field.optional ? <option value={NONE}>{field.nullable ? 'none' : 'not set'}</option> : null}
              {draft.pick === NONE && !field.nullable && !field.optional ? <option value={NONE}>Choose…</option> : null}
              {spec.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          );
        }
        if (spec.kind === 'choice') {
          return (
            <div className="param-choice">
              <select {...control} className="input" value={draft.pick} onChange={(e) => set({ pick: e.target.value })} disabled={disabled} data-testid={testId}>
                {field.nullable || field.optional ? <option value={NONE}>{field.nullable ? 'none' : 'not set'}</option> : null}
                {spec.literals.map((o) => (
                  <option key={o} value={o}>
                    {choiceLabel(field.key, o)}
                  </option>
                ))}
                <option value={OTHER}>{otherLabel(field.key)}</option>
              </select>
              {draft.pick === OTHER ? (
                <input
                  className="input mono"
                  aria-label={`${label}: ${otherLabel(field.key)}`}
                  aria-invalid={Boolean(message)}
                  value={draft.text}
                  onChange={(e) => set({ text: e.target.value })}
                  disabled={disabled}
                  autoComplete="off"
                  spellCheck={false}
                  data-testid={`${testId}-text`}
                />
              ) : null}
            </div>
          );
        }
        const numeric = spec.kind === 'integer' || spec.kind === 'number';
        // decided by kind, never by length: swapping elements while typing would drop focus
        const multiline = spec.kind === 'json' || (spec.kind === 'list' && spec.item.kind === 'string');
        if (multiline) {
          return (
            <textarea {...control} className="input mono" rows={spec.kind === 'json' ? 4 : 3} value={draft.text} onChange={(e) => set({ text: e.target.value })} disabled={disabled} spellCheck={false} data-testid={testId} />
          );
        }
        return (
          <input
            {...control}
            className={`input${numeric ? ' input-narrow' : ''} mono`}
            value={draft.text}
            onChange={(e) => set({ text: e.target.value })}
            inputMode={numeric ? 'numeric' : undefined}
            placeholder={field.nullable ? 'none' : field.optional ? 'not set' : undefined}
            disabled={disabled}
            autoComplete="off"
            spellCheck={false}
            data-testid={testId}
          />
        );
      }}
    </Field>
  );
}
