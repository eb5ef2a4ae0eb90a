import { create } from 'zustand';
import { BulwarkError } from '../../../shared/errors';
import { registerSensitive } from './sensitive';

export type Theme = 'dark' | 'light';
export type ThemePreference = Theme | 'system';
export type Section = 'inventory' | 'keys' | 'profiles' | 'runs' | 'logs' | 'proxmox' | 'settings';

export interface Toast {
  id: number;
  kind: 'error' | 'success' | 'info';
  title: string;
  detail?: string;
  code?: string;
}

interface UiState {
  themePreference: ThemePreference;
  /** What is applied: the preference, or the OS scheme when the preference is 'system'. */
  theme: Theme;
  section: Section;
  toasts: Toast[];
  /** Bumped by Ctrl/Cmd+F; the inventory search box focuses itself when it changes. */
  searchFocusRequest: number;
  setThemePreference(preference: ThemePreference): void;
  toggleTheme(): void;
  setSection(section: Section): void;
  pushToast(toast: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
  requestSearchFocus(): void;
}

const THEME_KEY = 'bulwark.theme';
const MAX_TOASTS = 5;
const AUTO_DISMISS_MS = 6000;

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

// localStorage can throw (storage disabled, opaque origin): the theme is a nicety, never fatal.
function readPreference(): ThemePreference {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'dark' || v === 'light' ? v : 'system';
  } catch {
    return 'system';
  }
}

function writePreference(p: ThemePreference): void {
  try {
    if (p === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, p);
  } catch {
    /* not persisted; the choice still applies for this session */
  }
}

let nextToastId = 1;
const initialPreference = readPreference();

export const useUiStore = create<UiState>()((set, get) => ({
  themePreference: initialPreference,
  theme: initialPreference === 'system' ? systemTheme() : initialPreference,
  section: 'inventory',
  toasts: [],
  searchFocusRequest: 0,
  setThemePreference(preference) {
    writePreference(preference);
    set({ themePreference: preference, theme: preference === 'system' ? systemTheme() : preference });
  },
  toggleTheme() {
    get().setThemePreference(get().theme === 'dark' ? 'light' : 'dark');
  },
  setSection(section) {
    set({ section });
  },
  pushToast(toast) {
    const id = nextToastId++;
    set((s) => ({ toasts: [...s.toasts, { ...toast, id }].slice(-MAX_TOASTS) }));
    // Errors stay until dismissed so none goes unseen; confirmations fade.
    if (toast.kind !== 'error') setTimeout(() => get().dismissToast(id), AUTO_DISMISS_MS);
  },
  dismissToast(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
  requestSearchFocus() {
    set((s) => ({ searchFocusRequest: s.searchFocusRequest + 1 }));
  },
}));

/** Applies the theme to <html> and follows the OS scheme while the preference is 'system'. */
export function startThemeSync(): void {
  const apply = (theme: Theme) => {
    document.documentElement.dataset.theme = theme;
  };
  apply(useUiStore.getState().theme);
  useUiStore.subscribe((s, prev) => {
    if (s.theme !== prev.theme) apply(s.theme);
  });
  if (typeof matchMedia === 'function') {
    matchMedia('(prefers-color-scheme: light)').addEventListener('change', () => {
      if (useUiStore.getState().themePreference === 'system') useUiStore.setState({ theme: systemTheme() });
    });
  }
}

export function toastSuccess(title: string, detail?: string): void {
  useUiStore.getState().pushToast(detail ? { kind: 'success', title, detail } : { kind: 'success', title });
}

/** Shows a failed call: its message, and its code so a bug report can quote it. */
export function toastError(title: string, error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  const code = error instanceof BulwarkError ? error.code : undefined;
  useUiStore.getState().pushToast(code ? { kind: 'error', title, detail, code } : { kind: 'error', title, detail });
}

// Toasts can name hosts ("web1 saved"), which is vault data: they go when the vault locks.
registerSensitive(() => useUiStore.setState({ toasts: [] }));
