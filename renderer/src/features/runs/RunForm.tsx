import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Host } from '../../../../shared/domain/host';
import type { RunMode } from '../../../../shared/domain/hardening';
import { Field } from '../../components/Field';
import { FormError } from '../../components/FormError';
import { useRunsStore, type RunRequestInput } from '../../stores/runs';
import { plural } from './run-text';
import { parseOptionalCount } from './run-options';

interface Props {
  hosts: readonly Host[];
  disabled: boolean;
  onRun: (mode: RunMode, request: RunRequestInput) => void;
}

/** Parameters as "key=value" for the controls list; objects and lists as compact JSON. */
function paramsText(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** Profile, options and the three ways to run it over the picked hosts. */
export function RunForm({ hosts, disabled, onRun }: Props) {
  const { profiles, profilesState, profilesError, form, setForm, loadProfiles } = useRunsStore(
    useShallow((s) => ({
      profiles: s.profiles,
      profilesState: s.profilesState,
      profilesError: s.profilesError,
      form: s.form,
      setForm: s.setForm,
      loadProfiles: s.loadProfiles,
    })),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const profile = profiles.find((p) => p.id === form.profileId);
  const n = hosts.length;

  const run = (mode: RunMode) => {
    if (disabled) return;
    const errs: Record<string, string> = {};
    const canary = parseOptionalCount(form.canary, 'Canary');
    const stop = parseOptionalCount(form.stopAfter, 'Stop after');
    if (!profile) errs.profile = 'Choose a profile';
    if (!canary.ok) errs.canary = canary.error;
    if (!stop.ok) errs.stopAfter = stop.error;
    if (n === 0) errs.hosts = 'Select at least one host on the left';
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !profile || !canary.ok || !stop.ok) return;
    onRun(mode, { profileId: profile.id, hostIds: hosts.map((h) => h.id), canary: canary.value, stopAfterFailures: stop.value });
  };

  const builtIn = profiles.filter((p) => p.builtIn);
  const custom = profiles.filter((p) => !p.builtIn);

  return (
    <form
      className="card run-form"
      onSubmit={(e) => {
        e.preventDefault();
        run('plan');
      }}
      noValidate
      aria-labelledby="run-form-title"
      data-testid="run-form"
    >
      <header className="card-header">
        <h2 id="run-form-title">Run a profile</h2>
      </header>
      <div className="card-body">
        {profilesError ? (
          <div className="stack">
            <FormError testId="profiles-error" message={`Could not read the profiles: ${profilesError.message}`} code={profilesError.code} />
            <button type="button" className="btn btn-secondary btn-sm align-start" onClick={() => void loadProfiles()}>
              Try again
            </button>
          </div>
        ) : null}
        <Field label="Profile" name="run-profile" error={errors.profile}>
          {(control) => (
            <select {...control} className="input" value={form.profileId} onChange={(e) => setForm({ profileId: e.target.value })} disabled={disabled} data-testid="run-profile">
              {profilesState === 'loading' && profiles.length === 0 ? <option value={form.profileId}>Loading…</option> : null}
              {!profile && profilesState === 'ready' ? <option value="">Choose a profile…</option> : null}
              <optgroup label="Built in">
                {builtIn.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
              {custom.length > 0 ? (
                <optgroup label="Custom">
                  {custom.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </select>
          )}
        </Field>
        {profile ? (
          <div className="profile-summary" data-testid="run-profile-summary" data-profile-id={profile.id}>
            <p data-testid="run-profile-description">{profile.description}</p>
            <ul className="profile-controls">
              {profile.controls.map((c) => {
                const params = paramsText(c.params);
                return (
                  <li key={c.id} data-testid="run-profile-control" data-control={c.id} title={c.reason}>
                    <span className={`kind kind-${c.kind}`}>{c.kind === 'check' ? 'check only' : 'changes'}</span> {c.title}
                    {params ? <span className="mono small muted"> {params}</span> : null}
                  </li>
                );
              })}
            </ul>
          </div>
        ) : null}

        <div className="form-grid run-options">
          <Field label="Canary (optional)" name="run-canary" error={errors.canary} hint="Apply: this many hosts first; the rest only if none of them failed.">
            {(control) => (
              <input {...control} className="input input-narrow" inputMode="numeric" value={form.canary} onChange={(e) => setForm({ canary: e.target.value })} placeholder="none" disabled={disabled} data-testid="run-canary" />
            )}
          </Field>
          <Field label="Stop after failures (optional)" name="run-stop-after" error={errors.stopAfter} hint="Skip hosts not started yet once this many failed or rolled back.">
            {(control) => (
              <input {...control} className="input input-narrow" inputMode="numeric" value={form.stopAfter} onChange={(e) => setForm({ stopAfter: e.target.value })} placeholder="never" disabled={disabled} data-testid="run-stop-after" />
            )}
          </Field>
        </div>
        {errors.hosts ? (
          <p className="field-error" role="alert" data-testid="run-hosts-error">
            {errors.hosts}
          </p>
        ) : null}
        <div className="row-actions">
          <button type="button" className="btn btn-secondary" onClick={() => run('audit')} disabled={disabled} data-testid="run-audit" title="Check only: compliance per host and control">
            Audit {plural(n, 'host')}
          </button>
          <button type="submit" className="btn btn-secondary" disabled={disabled} data-testid="run-plan" title="Shows exactly what would change; touches nothing">
            Plan
          </button>
          <button type="button" className="btn btn-primary" onClick={() => run('apply')} disabled={disabled} data-testid="run-apply" title="Plans again, asks you to confirm, then applies">
            Apply…
          </button>
        </div>
      </div>
    </form>
  );
}
