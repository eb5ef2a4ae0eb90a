import { useUiStore, type ThemePreference } from '../../stores/ui';
import { SettingsCard } from './SettingsCard';

const OPTIONS: { value: ThemePreference; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'dark', label: 'Dark' },
  { value: 'light', label: 'Light' },
];

export function ThemeSetting() {
  const preference = useUiStore((s) => s.themePreference);
  const setPreference = useUiStore((s) => s.setThemePreference);
  return (
    <SettingsCard title="Appearance" testId="settings-theme" description="Stored on this computer only, outside the vault.">
      <fieldset className="segmented">
        <legend className="visually-hidden">Theme</legend>
        {OPTIONS.map((o) => (
          <label key={o.value} className={preference === o.value ? 'is-on' : ''}>
            <input type="radio" name="theme" value={o.value} checked={preference === o.value} onChange={() => setPreference(o.value)} data-testid={`theme-${o.value}`} />
            {o.label}
          </label>
        ))}
      </fieldset>
    </SettingsCard>
  );
}
