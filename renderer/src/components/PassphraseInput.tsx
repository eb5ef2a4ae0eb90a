import { useState, type InputHTMLAttributes, type KeyboardEvent, type Ref } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange'> & {
  value: string;
  onValueChange: (value: string) => void;
  testId: string;
  ref?: Ref<HTMLInputElement>;
};

/** A password input with a Show/Hide toggle and a Caps Lock warning. */
export function PassphraseInput({ value, onValueChange, testId, ref, ...rest }: Props) {
  const [visible, setVisible] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => setCapsLock(e.getModifierState('CapsLock'));
  return (
    <>
      <div className="passphrase-input">
        <input
          {...rest}
          ref={ref}
          className="input"
          type={visible ? 'text' : 'password'}
          value={value}
          onChange={(e) => onValueChange(e.target.value)}
          onKeyDown={onKey}
          onKeyUp={onKey}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          data-testid={testId}
        />
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          aria-pressed={visible}
          aria-label={visible ? 'Hide passphrase' : 'Show passphrase'}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? 'Hide' : 'Show'}
        </button>
      </div>
      {capsLock ? <p className="field-warning">Caps Lock is on.</p> : null}
    </>
  );
}
