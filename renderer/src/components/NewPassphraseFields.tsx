import { useMemo, useState } from 'react';
import { estimateStrength, MIN_ACCEPTED_SCORE, type Strength } from '../../../shared/passphrase';
import { Field } from './Field';
import { PassphraseInput } from './PassphraseInput';
import { StrengthMeter } from './StrengthMeter';

export interface NewPassphrase {
  value: string;
  setValue(v: string): void;
  confirm: string;
  setConfirm(v: string): void;
  strength: Strength;
  /** Strong enough and confirmed: the submit button may be enabled. */
  valid: boolean;
  reset(): void;
}

export function useNewPassphrase(): NewPassphrase {
  const [value, setValue] = useState('');
  const [confirm, setConfirm] = useState('');
  const strength = useMemo(() => estimateStrength(value), [value]);
  return {
    value,
    setValue,
    confirm,
    setConfirm,
    strength,
    valid: strength.score >= MIN_ACCEPTED_SCORE && value === confirm,
    reset() {
      setValue('');
      setConfirm('');
    },
  };
}

interface Props {
  state: NewPassphrase;
  /** data-testid prefix: `<prefix>-passphrase`, `<prefix>-confirm`, field-error-<prefix>-... */
  prefix: string;
  label?: string;
  /** An error from main about the new passphrase (e.g. WEAK_PASSPHRASE). */
  error?: string | undefined;
  autoFocus?: boolean;
}

/** New passphrase + confirmation + live strength meter, used wherever a passphrase is set. */
export function NewPassphraseFields({ state, prefix, label = 'Passphrase', error, autoFocus }: Props) {
  const mismatch = state.confirm !== '' && state.confirm !== state.value;
  const weak = state.value !== '' && state.strength.score < MIN_ACCEPTED_SCORE;
  return (
    <>
      <Field label={label} name={`${prefix}-passphrase`} error={error} hint={<StrengthMeter strength={state.strength} />}>
        {(control) => (
          <PassphraseInput
            {...control}
            value={state.value}
            onValueChange={state.setValue}
            testId={`${prefix}-passphrase`}
            autoComplete="new-password"
            autoFocus={autoFocus}
            data-autofocus={autoFocus ? '' : undefined}
          />
        )}
      </Field>
      <Field label={`Confirm ${label.toLowerCase()}`} name={`${prefix}-confirm`} error={mismatch ? 'does not match' : undefined}>
        {(control) => (
          <PassphraseInput {...control} value={state.confirm} onValueChange={state.setConfirm} testId={`${prefix}-confirm`} autoComplete="new-password" />
        )}
      </Field>
      {weak ? (
        <p className="field-hint" data-testid={`${prefix}-too-weak`}>
          Needs at least “{['Very weak', 'Weak', 'Fair', 'Good', 'Strong'][MIN_ACCEPTED_SCORE]}” before it can be used.
        </p>
      ) : null}
    </>
  );
}
