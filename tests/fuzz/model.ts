// A plain reference model of the number and direction rules, written from the migrations'
// documented behaviour (whatsapp_phone_numbers, account_directions, number_in_use_guard_and_retire,
// resolve_whatsapp_number), so that random operation sequences can be checked step by step.
//
// Rules modelled:
// * a number is unique per user (23505); a default must be active (23514): inserting an inactive
//   default, making an inactive number the default and deactivating the default are refused;
// * the first number a user adds (no numbers at all) becomes the default when it is active;
//   making a number the default clears the previous default; un-setting, deleting or retiring
//   (without replacement) the default promotes nothing;
// * deleting a number that directions use is refused (23503 whatsapp_number_in_use);
// * retire(number, replacement?) moves its directions to the replacement (or to "use default"),
//   hands the default flag to the replacement when the retired number was the default, deletes the
//   number; the replacement must be another active number of the same user (23503 / 22023);
//   a number the caller cannot see is "not found" (PT404, which PostgREST answers with HTTP 404);
// * a direction can reference only its own user's numbers (23503), active or not;
// * resolution: the direction's active number, else the user's active default, else the legacy
//   value (normalised when it can be, else trimmed), else page_default with no number.
// Another user's rows are invisible: updates and deletes of them change nothing.

export type Outcome = { ok: true } | { ok: false; code: string };
export const OK: Outcome = { ok: true };
const refuse = (code: string): Outcome => ({ ok: false, code });

export interface ModelNumber {
  id: string;
  phone: string;
  isDefault: boolean;
  isActive: boolean;
}

export interface ModelDirection {
  id: string;
  numberId: string | null;
}

export interface Resolution {
  phone_number: string | null;
  whatsapp_phone_number_id: string | null;
  source: 'direction' | 'default' | 'legacy' | 'page_default';
}

export interface LegacyValue {
  raw: string | null;
  /** What the database normalises it to, or null when it cannot. */
  e164: string | null;
}

export class UserModel {
  numbers: ModelNumber[] = [];
  directions: ModelDirection[] = [];
  legacy: LegacyValue = { raw: null, e164: null };

  constructor(readonly id: string) {}

  number(id: string): ModelNumber | undefined {
    return this.numbers.find((n) => n.id === id);
  }

  direction(id: string): ModelDirection | undefined {
    return this.directions.find((d) => d.id === id);
  }

  predictAddNumber(phone: string, isDefault: boolean | undefined, isActive: boolean | undefined): Outcome {
    const active = isActive ?? true;
    if (isDefault === true && !active) return refuse('23514');
    if (this.numbers.some((n) => n.phone === phone)) return refuse('23505');
    return OK;
  }

  commitAddNumber(id: string, phone: string, isDefault: boolean | undefined, isActive: boolean | undefined): ModelNumber {
    const active = isActive ?? true;
    const becomesDefault = isDefault === true || (active && this.numbers.length === 0);
    if (becomesDefault) for (const n of this.numbers) n.isDefault = false;
    const added = { id, phone, isDefault: becomesDefault, isActive: active };
    this.numbers.push(added);
    return added;
  }

  setDefault(id: string, value: boolean): Outcome {
    const n = this.number(id)!;
    if (!value) {
      n.isDefault = false;
      return OK;
    }
    if (!n.isActive) return refuse('23514');
    for (const other of this.numbers) other.isDefault = other.id === id;
    return OK;
  }

  setActive(id: string, value: boolean): Outcome {
    const n = this.number(id)!;
    if (!value && n.isDefault) return refuse('23514');
    n.isActive = value;
    return OK;
  }

  deleteNumber(id: string): Outcome {
    if (this.directions.some((d) => d.numberId === id)) return refuse('23503');
    this.numbers = this.numbers.filter((n) => n.id !== id);
    return OK;
  }

  /** Returns the outcome and, when it succeeds, how many directions moved. */
  retire(id: string, replacementId: string | null): Outcome & { moved?: number } {
    const retired = this.number(id);
    if (!retired) return refuse('PT404');
    let replacement: ModelNumber | undefined;
    if (replacementId !== null) {
      replacement = this.number(replacementId);
      if (!replacement) return refuse('23503');
      if (replacement.id === retired.id) return refuse('22023');
      if (!replacement.isActive) return refuse('22023');
    }
    let moved = 0;
    for (const d of this.directions) {
      if (d.numberId === id) {
        d.numberId = replacementId;
        moved++;
      }
    }
    if (retired.isDefault && replacement) {
      for (const n of this.numbers) n.isDefault = n.id === replacement.id;
    }
    this.numbers = this.numbers.filter((n) => n.id !== id);
    return { ok: true, moved };
  }

  /** A direction (new or existing) pointing at numberId; only this user's numbers are allowed. */
  predictReference(numberId: string | null): Outcome {
    if (numberId !== null && !this.number(numberId)) return refuse('23503');
    return OK;
  }

  commitAddDirection(id: string, numberId: string | null): void {
    this.directions.push({ id, numberId });
  }

  bind(directionId: string, numberId: string | null): Outcome {
    const outcome = this.predictReference(numberId);
    if (outcome.ok) this.direction(directionId)!.numberId = numberId;
    return outcome;
  }

  deleteDirection(directionId: string): Outcome {
    this.directions = this.directions.filter((d) => d.id !== directionId);
    return OK;
  }

  setLegacy(value: LegacyValue): Outcome {
    this.legacy = value;
    return OK;
  }

  resolve(directionId: string): Resolution {
    const d = this.direction(directionId)!;
    const own = d.numberId === null ? undefined : this.number(d.numberId);
    if (own?.isActive) return { phone_number: own.phone, whatsapp_phone_number_id: own.id, source: 'direction' };
    const dflt = this.numbers.find((n) => n.isDefault && n.isActive);
    if (dflt) return { phone_number: dflt.phone, whatsapp_phone_number_id: dflt.id, source: 'default' };
    const trimmed = this.legacy.raw?.trim() ?? '';
    if (trimmed !== '') return { phone_number: this.legacy.e164 ?? trimmed, whatsapp_phone_number_id: null, source: 'legacy' };
    return { phone_number: null, whatsapp_phone_number_id: null, source: 'page_default' };
  }

  /** Invariants the model itself must keep (a broken model must not pass silently). */
  selfCheck(): string[] {
    const problems: string[] = [];
    if (this.numbers.filter((n) => n.isDefault).length > 1) problems.push('model: two defaults');
    if (this.numbers.some((n) => n.isDefault && !n.isActive)) problems.push('model: inactive default');
    for (const d of this.directions) if (d.numberId && !this.number(d.numberId)) problems.push(`model: direction ${d.id} references a missing number`);
    return problems;
  }
}
