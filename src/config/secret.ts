import { timingSafeEqual } from 'node:crypto';

/** Where a secret comes from, as written in the configuration. Safe to show: it holds no value. */
export type SecretRef = { env: string } | { file: string };

const SENSITIVE = '(sensitive)';

/**
 * A resolved secret value (password, cloning domain, key). The value lives in a private field
 * and only `reveal()` hands it out; every way of printing the object — string conversion,
 * JSON, `util.inspect`, `console.log` — yields `(sensitive)`.
 */
export class Secret {
  #value: string;
  /** The reference the value was resolved from, e.g. `{ env: 'HSM_SO_PASSWORD' }`. */
  readonly ref: SecretRef;

  constructor(value: string, ref: SecretRef) {
    this.#value = value;
    this.ref = Object.freeze({ ...ref });
  }

  /** The value itself: only for the device call that needs it, never for output. */
  reveal(): string {
    return this.#value;
  }

  /** Whether two secrets hold the same value, compared in constant time. */
  equals(other: Secret): boolean {
    const a = Buffer.from(this.#value, 'utf8');
    const b = Buffer.from(other.reveal(), 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** The reference in words, e.g. `env HSM_SO_PASSWORD` or `file keys/so.txt`. */
  describe(): string {
    return 'env' in this.ref ? `env ${this.ref.env}` : `file ${this.ref.file}`;
  }

  toString(): string {
    return SENSITIVE;
  }

  toJSON(): string {
    return SENSITIVE;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return SENSITIVE;
  }
}
