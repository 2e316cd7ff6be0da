// Scripted misbehaviour: a queue of replies that take precedence over the model for matching requests.
import { replies, type GraphReply } from './errors.ts';

export type NamedFault =
  | 'token_expired' | 'token_invalid' | 'rate_limit' | 'transient' | 'unknown_error' | 'permission'
  | 'hang' | 'slow' | 'drop_connection';

export interface FaultSpec {
  match?: { path?: string; method?: string; ad_account_id?: string };
  /** How many matching requests get this reply (default 1). */
  times?: number;
  /** Let this many matching requests through first (default 0). */
  after?: number;
  reply: NamedFault | GraphReply;
  /** For `slow`, and as an extra wait before any other reply. */
  delay_ms?: number;
  /** For `rate_limit`: the Graph error code (default 80004) and estimated_time_to_regain_access. */
  code?: number;
  regain_minutes?: number;
}

interface ArmedFault extends FaultSpec {
  remaining: number;
  skip: number;
}

export type FaultAction =
  | { kind: 'reply'; reply: GraphReply; delayMs: number; name: string }
  | { kind: 'hang'; name: string }
  | { kind: 'drop'; delayMs: number; name: string }
  | { kind: 'slow'; delayMs: number; name: string };

const NAMED: NamedFault[] = [
  'token_expired', 'token_invalid', 'rate_limit', 'transient', 'unknown_error', 'permission', 'hang', 'slow', 'drop_connection',
];

export function validateFault(spec: unknown): string | undefined {
  if (!spec || typeof spec !== 'object') return 'a fault is an object {match?, times?, after?, reply, delay_ms?}';
  const reply = (spec as FaultSpec).reply;
  if (typeof reply === 'string' && !NAMED.includes(reply as NamedFault)) {
    return `reply must be one of ${NAMED.join(', ')} or {status, body, headers?}`;
  }
  if (typeof reply === 'object' && (reply === null || typeof reply.status !== 'number')) {
    return 'a custom reply needs a numeric status and a body';
  }
  if (reply === undefined) return 'reply is required';
  return undefined;
}

export class FaultQueue {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.times ?? 1, skip: spec.after ?? 0 });
  }

  clear(): void {
    this.faults = [];
  }

  pending(): FaultSpec[] {
    return this.faults.map(({ remaining, skip, ...spec }) => ({ ...spec, times: remaining, after: skip }));
  }

  /** Consumes the first fault matching the request, if any. */
  take(method: string, path: string, adAccountId: string | undefined): FaultAction | undefined {
    for (const fault of this.faults) {
      const m = fault.match ?? {};
      if (m.method && m.method.toUpperCase() !== method) continue;
      if (m.path && !path.includes(m.path)) continue;
      if (m.ad_account_id && m.ad_account_id.replace(/^act_/, '') !== adAccountId) continue;
      if (fault.skip > 0) {
        fault.skip -= 1;
        return undefined;
      }
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return toAction(fault, adAccountId ?? '0');
    }
    return undefined;
  }
}

function toAction(fault: FaultSpec, adAccountId: string): FaultAction {
  const delayMs = fault.delay_ms ?? 0;
  const reply = fault.reply;
  if (typeof reply === 'object') return { kind: 'reply', reply, delayMs, name: `custom ${reply.status}` };
  switch (reply) {
    case 'hang': return { kind: 'hang', name: reply };
    case 'drop_connection': return { kind: 'drop', delayMs, name: reply };
    case 'slow': return { kind: 'slow', delayMs, name: reply };
    case 'token_expired': return { kind: 'reply', reply: replies.tokenExpired(), delayMs, name: reply };
    case 'token_invalid': return { kind: 'reply', reply: replies.tokenInvalid(), delayMs, name: reply };
    case 'transient': return { kind: 'reply', reply: replies.transient(), delayMs, name: reply };
    case 'unknown_error': return { kind: 'reply', reply: replies.unknownError(), delayMs, name: reply };
    case 'permission': return { kind: 'reply', reply: replies.permissionDenied(adAccountId), delayMs, name: reply };
    case 'rate_limit':
      return {
        kind: 'reply',
        reply: replies.rateLimit(adAccountId, fault.code ?? 80004, fault.regain_minutes ?? 0),
        delayMs,
        name: reply,
      };
  }
}
