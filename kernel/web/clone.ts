/// <reference path="./modules.d.ts" />
/**
 * structuredClone, from @ungap/structured-clone (the HTML algorithm in plain
 * JS: cycles, Map, Set, Date, RegExp, errors, ArrayBuffer and its views,
 * BigInt). Only its failure is made standard: a value that cannot be cloned
 * (a function, a symbol) throws DataCloneError, as every runtime does.
 * `transfer` is not supported: everything is copied. Injected as a global
 * only where an app names it.
 */
import { deserialize, serialize } from '@ungap/structured-clone';
import { DOMException } from './dom_exception.ts';

export function structuredClone<T>(value: T, options?: { transfer?: unknown[] }): T {
  if (arguments.length === 0) throw new TypeError('structuredClone: 1 argument required, but only 0 present');
  if (options?.transfer?.length) throw new DOMException('structuredClone: transfer is not supported in mote', 'DataCloneError');
  try {
    return deserialize(serialize(value)) as T;
  } catch (e) {
    if (e instanceof TypeError && /unable to serialize/.test(e.message)) {
      throw new DOMException(`structuredClone: ${e.message.replace('unable to serialize ', 'a ')} could not be cloned`, 'DataCloneError');
    }
    throw e;
  }
}
