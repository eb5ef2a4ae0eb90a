import { useMemo, useState, type FormEvent } from 'react';
import type { ProfileView } from '../../../../shared/domain/hardening';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { codeOf, messageOf, withLabel } from '../../lib/errors';
import { useProfilesStore } from '../../stores/profiles';
import { toastSuccess } from '../../stores/ui';
import { ControlKindBadge } from './ControlKindBadge';
import type { Draft } from './param-draft';
import { ParamInput, paramTestId } from './ParamInput';
import {
  changedParams,
  controlErrorKey,
  emptyForm,
  fieldsByControl,
  firstErrorKey,
  formFromProfile,
  idProblem,
  NAME_MAX,
  paramErrorKey,
  serverErrors,
  toProfileInput,
  type EditorMode,
  type ProfileFormErrors,
  type ProfileFormValues,
} from './profile-form';

interface Props {
  mode: EditorMode;
  /** The profile edited or copied (absent when creating). */
  source?: ProfileView;
  onClose: () => void;
  onSaved: (id: string) => void;
}

const LABELS = { id: 'Id', name: 'Name', description: 'Description' } as const;

/** data-testid of the element focus goes to for an error key. */
function testIdFor(key: string): string {
  if (key.startsWith('param:')) {
    const [, controlId, param] = key.split(':');
    return paramTestId(controlId!, param!);
  }
  if (key.startsWith('control:')) return `control-choice-${key.slice('control:'.length)}`;
  return `profile-field-${key}`;
}

const TITLES: Record<EditorMode, (source?: ProfileView) => string> = {
  create: () => 'New profile',
  edit: (s) => `Edit ${s?.name ?? 'profile'}`,
  copy: (s) => `Copy ${s?.name ?? 'profile'}`,
};

/**
 * Creates, edits or copies a custom profile. Nothing typed is lost on an error: local checks
 * and main's VALIDATION land under the field they name, and the values stay as they were.
 */
export function ProfileEditorDialog({ mode, source, onClose, onSaved }: Props) {
  const catalog = useProfilesStore((s) => s.catalog);
  const profiles = useProfilesStore((s) => s.profiles);
  const save = useProfilesStore((s) => s.save);
  const fields = useMemo(() => fieldsByControl(catalog), [catalog]);
  const [values, setValues] = useState<ProfileFormValues>(() =>
    source && mode !== 'create' ? formFromProfile(source, catalog, mode, new Set(profiles.map((p) => p.id))) : emptyForm(catalog),
  );
  const [errors, setErrors] = useState<ProfileFormErrors>({});
  const [formError, setFormError] = useState<{ message: string; code?: string | undefined } | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [initial] = useState(values);
  /** Escape or Cancel with edits asks first: a profile editor holds many fields' worth of work. */
  const [askDiscard, setAskDiscard] = useState(false);
  const requestClose = () => {
    if (JSON.stringify(values) === JSON.stringify(initial)) onClose();
    else setAskDiscard(true);
  };

  const check = (v: ProfileFormValues): ProfileFormErrors => {
    const { errors: local } = toProfileInput(v, catalog, fields);
    const idp = idProblem(v.id, mode, profiles);
    if (idp && !local.id) local.id = idp;
    return local;
  };

  const update = (next: ProfileFormValues) => {
    setValues(next);
    setAskDiscard(false);
    // After a first submit, re-check live so errors disappear as they are fixed.
    if (attempted) setErrors(check(next));
  };

  const setHeader = (field: keyof typeof LABELS, value: string) => update({ ...values, [field]: value });
  const setDraft = (controlId: string, key: string, draft: Draft) =>
    update({ ...values, drafts: { ...values.drafts, [controlId]: { ...values.drafts[controlId], [key]: draft } } });
  const toggle = (controlId: string, on: boolean) =>
    update({ ...values, chosen: on ? [...values.chosen.filter((c) => c !== controlId), controlId] : values.chosen.filter((c) => c !== controlId) });

  const focusFirst = (errs: ProfileFormErrors) => {
    const key = firstErrorKey(errs, catalog, fields);
    if (key) document.querySelector<HTMLElement>(`[data-testid="${testIdFor(key)}"]`)?.focus();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setAttempted(true);
    setFormError(null);
    const { input } = toProfileInput(values, catalog, fields);
    const local = check(values);
    setErrors(local);
    if (Object.keys(local).length > 0) return focusFirst(local);
    setBusy(true);
    try {
      const saved = await save(input, mode === 'edit');
      toastSuccess(mode === 'edit' ? `Saved ${saved.name}` : `Created ${saved.name}`);
      onSaved(saved.id);
      onClose();
    } catch (err) {
      const { errors: placed, other } = serverErrors(err, input, fields);
      setErrors(placed);
      const anyPlaced = Object.keys(placed).length > 0;
      // Messages for our fields go under them; a form-level message only when something could not be placed.
      setFormError(other.length || !anyPlaced ? { message: other.length ? other.join('; ') : messageOf(err), code: codeOf(err) } : null);
      setBusy(false);
      focusFirst(placed);
    }
  };

  const header = (field: keyof typeof LABELS, hint?: string) => (
    <Field label={LABELS[field]} name={`profile-${field}`} error={withLabel(LABELS[field], errors[field])} hint={hint} className={field === 'description' ? 'span-all' : undefined}>
      {(control) =>
        field === 'description' ? (
          <textarea {...control} className="input" rows={2} value={values.description} onChange={(e) => setHeader('description', e.target.value)} disabled={busy} data-testid="profile-field-description" />
        ) : (
          <input
            {...control}
            className={`input${field === 'id' ? ' mono' : ''}`}
            value={values[field]}
            onChange={(e) => setHeader(field, e.target.value)}
            // an id names the profile in the CLI and in run history: it never changes once saved
            readOnly={field === 'id' && mode === 'edit'}
            maxLength={field === 'name' ? NAME_MAX : 63}
            disabled={busy}
            autoComplete="off"
            spellCheck={false}
            data-testid={`profile-field-${field}`}
            data-autofocus={(field === 'id' && mode !== 'edit') || (field === 'name' && mode === 'edit') ? '' : undefined}
          />
        )
      }
    </Field>
  );

  const chosen = new Set(values.chosen);

  return (
    <Dialog
      title={TITLES[mode](source)}
      onClose={requestClose}
      busy={busy}
      size="lg"
      testId="profile-editor"
      // Keys keep React from reusing the clicked "Keep editing" element as the submit button: the
      // click's default action runs after the re-render and would save the profile.
      footer={
        askDiscard ? (
          <>
            <span key="question" className="push-left warning-text" role="alert" data-testid="profile-discard-question">
              Discard your changes?
            </span>
            <button key="keep" type="button" className="btn btn-secondary" onClick={() => setAskDiscard(false)} data-testid="profile-keep-editing">
              Keep editing
            </button>
            <button key="discard" type="button" className="btn btn-danger" onClick={onClose} data-testid="profile-discard">
              Discard
            </button>
          </>
        ) : (
          <>
            <button key="cancel" type="button" className="btn btn-secondary" onClick={requestClose} disabled={busy} data-testid="profile-cancel">
              Cancel
            </button>
            <button key="save" type="submit" form="profile-form" className="btn btn-primary" disabled={busy} data-testid="profile-save">
              {busy ? 'Saving…' : mode === 'edit' ? 'Save' : 'Create profile'}
            </button>
          </>
        )
      }
    >
      <form id="profile-form" className="profile-form" onSubmit={submit} noValidate>
        <div className="form-grid">
          {header('id', mode === 'edit' ? 'Fixed once created.' : 'Lower-case letters, digits and -. Used by the CLI: bulwark apply --profile ID.')}
          {header('name')}
          {header('description')}
        </div>

        <fieldset className="profile-controls" data-testid="profile-controls">
          <legend>Controls</legend>
          {errors.controls ? (
            <p className="field-error" data-testid="field-error-profile-controls">
              {/* "choose at least one control" reads as a sentence of its own under the legend */}
              {errors.controls.charAt(0).toUpperCase() + errors.controls.slice(1)}
            </p>
          ) : null}
          {catalog.map((entry) => {
            const on = chosen.has(entry.id);
            const params = fields.get(entry.id) ?? [];
            const changed = on ? changedParams(entry.id, values, fields) : new Set<string>();
            const controlError = errors[controlErrorKey(entry.id)];
            return (
              <section key={entry.id} className={`control-choice${on ? ' is-on' : ''}`} data-testid="control-choice" data-control-id={entry.id}>
                <label className="control-choice-head">
                  <input type="checkbox" checked={on} onChange={(e) => toggle(entry.id, e.target.checked)} disabled={busy} data-testid={`control-choice-${entry.id}`} />
                  <span className="control-title">{entry.title}</span>
                  <ControlKindBadge kind={entry.kind} />
                </label>
                <p className="control-reason">{entry.reason}</p>
                {controlError ? (
                  <p className="field-error" data-testid={`field-error-control-${entry.id}`}>
                    {controlError}
                  </p>
                ) : null}
                {on && params.length > 0 ? (
                  <div className="form-grid control-params">
                    {params.map((field) => (
                      <ParamInput
                        key={field.key}
                        controlId={entry.id}
                        field={field}
                        draft={values.drafts[entry.id]![field.key]!}
                        onChange={(d) => setDraft(entry.id, field.key, d)}
                        error={errors[paramErrorKey(entry.id, field.key)]}
                        changed={changed.has(field.key)}
                        disabled={busy}
                      />
                    ))}
                  </div>
                ) : null}
              </section>
            );
          })}
        </fieldset>
        <FormError testId="profile-form-error" message={formError?.message ?? null} code={formError?.code} />
      </form>
    </Dialog>
  );
}
