// One JSON line per event. Secrets registered here are scrubbed from every line, whatever field carries them.
const secrets = new Set<string>();
const MAX_SECRETS = 10_000;

/** Registers a value (a Facebook token) that must never reach a log line. */
export function registerSecret(value: string | null | undefined): void {
  if (!value || value.length < 8 || secrets.has(value)) return;
  secrets.add(value);
  // A long-lived worker sees many users: keep the most recent tokens (the EAA pattern still applies).
  if (secrets.size > MAX_SECRETS) secrets.delete(secrets.values().next().value!);
}

/** Removes every registered secret (and anything shaped like a Facebook token) from a text. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  // Facebook tokens start with EAA; drop any that were not registered (e.g. echoed in an error message).
  return out.replace(/EAA[A-Za-z0-9]{20,}/g, '[redacted]');
}

export type LogFields = Record<string, unknown>;

export function log(level: 'info' | 'warn' | 'error', msg: string, fields: LogFields = {}): void {
  const line = redactSecrets(JSON.stringify({ level, msg, at: new Date().toISOString(), ...fields }));
  if (level === 'error') console.error(line);
  else console.log(line);
}
