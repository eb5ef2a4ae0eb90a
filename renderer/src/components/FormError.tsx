/** A form-level error: shown as an alert so screen readers announce it when it appears. */
export function FormError({ message, code, testId }: { message: string | null; code?: string | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert" data-testid={testId} data-code={code}>
      <span>{message}</span>
      {code ? <code className="error-code">{code}</code> : null}
    </div>
  );
}
