/** An ISO time as a person reads it, in their locale (e.g. "10 Dec 2026, 15:04"); what is not a date is shown as it came. */
export function formatExpiry(iso: string, locale?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
