// The API contract's machinery: method maps of zod schemas, merged once, typed end to end.
import type { z } from 'zod';

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export type MethodMap = Record<string, MethodDef>;

/** Declares one domain's methods; names must be `domain.verb`. */
export function defineMethods<M extends MethodMap>(methods: M): M {
  for (const name of Object.keys(methods)) {
    if (!/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/.test(name)) throw new Error(`method name ${name} is not domain.verb`);
  }
  return methods;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Merges domain maps into the API, refusing a name declared twice. */
export function mergeMethods<Ms extends MethodMap[]>(...maps: Ms): UnionToIntersection<Ms[number]> {
  const merged: MethodMap = {};
  for (const map of maps) {
    for (const [name, def] of Object.entries(map)) {
      if (name in merged) throw new Error(`API method ${name} is declared twice`);
      merged[name] = def;
    }
  }
  return merged as UnionToIntersection<Ms[number]>;
}

export type InputOf<M extends MethodMap, N extends keyof M> = z.input<M[N]['input']>;
export type ParsedInputOf<M extends MethodMap, N extends keyof M> = z.output<M[N]['input']>;
export type OutputOf<M extends MethodMap, N extends keyof M> = z.output<M[N]['output']>;

/** A handler per method: receives the parsed input, returns the output. */
export type HandlerMap<M extends MethodMap, Ctx = void> = {
  [N in keyof M]: (input: ParsedInputOf<M, N>, ctx: Ctx) => OutputOf<M, N> | Promise<OutputOf<M, N>>;
};
