// The small HTML pages a browser gets after posting a form: a thank-you, or what was wrong with the post.
import type { ErrorBody } from '../../src-shared/api/errors';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}</style>
</head><body>${body}</body></html>
`;
}

export function thankYouPage(): string {
  return page('Thank you', '<h1>Thank you</h1><p>We have received your details and will be in touch soon.</p>');
}

export function errorPage(error: ErrorBody): string {
  const items = (error.fields ?? []).map((f) => `<li><strong>${escapeHtml(f.path)}</strong>: ${escapeHtml(f.message)}</li>`).join('');
  const detail = items ? `<ul>${items}</ul>` : `<p>${escapeHtml(error.message)}</p>`;
  return page('Your form could not be sent', `<h1>Your form could not be sent</h1>${detail}<p>Please go back, correct it and try again.</p>`);
}
