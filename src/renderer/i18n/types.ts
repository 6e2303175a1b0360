import type { zhCN } from './zh-CN';

type Primary = typeof zhCN;

/** Every message key; the Chinese catalog is the source of truth. */
export type MessageKey = keyof Primary;

/** The `{name}` placeholders of a message template, as a union of names. */
export type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;

export type ParamsOf<K extends MessageKey> = Placeholders<Primary[K]>;

/** Keys whose message takes no parameters (safe to pick from a lookup table). */
export type PlainKey = { [K in MessageKey]: [ParamsOf<K>] extends [never] ? K : never }[MessageKey];

/** A catalog: exactly the primary catalog's keys (missing or extra keys are compile errors via `satisfies`). */
export type Messages = { readonly [K in MessageKey]: string };

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Keys of `C` whose placeholders differ from the primary catalog's; `never` when the catalogs agree. */
export type PlaceholderMismatch<C extends Messages> = {
  [K in MessageKey]: Same<Placeholders<C[K]>, ParamsOf<K>> extends true ? never : K;
}[MessageKey];

export type Params<K extends MessageKey> = Record<ParamsOf<K>, string | number>;
export type TArgs<K extends MessageKey> = [ParamsOf<K>] extends [never] ? [] : [params: Params<K>];
export type Translate = <K extends MessageKey>(key: K, ...args: TArgs<K>) => string;
