/**
 * An ordered map on a treap (a binary search tree kept balanced by random
 * priorities): get, set, delete, first, last, next, prev in O(log n) expected. Used by
 * ordered_set tables.
 */

interface Node<K, V> {
  key: K;
  value: V;
  pri: number;
  left: Node<K, V> | null;
  right: Node<K, V> | null;
}

export class Treap<K, V> {
  private root: Node<K, V> | null = null;
  size = 0;
  constructor(private readonly cmp: (a: K, b: K) => number) {}

  get(key: K): V | undefined {
    let n = this.root;
    while (n) {
      const c = this.cmp(key, n.key);
      if (c === 0) return n.value;
      n = c < 0 ? n.left : n.right;
    }
    return undefined;
  }

  set(key: K, value: V): void {
    this.root = this.insert(this.root, key, value);
  }

  delete(key: K): boolean {
    const before = this.size;
    this.root = this.remove(this.root, key);
    return this.size < before;
  }

  /** Smallest key, or undefined. */
  first(): K | undefined {
    let n = this.root;
    if (!n) return undefined;
    while (n.left) n = n.left;
    return n.key;
  }

  last(): K | undefined {
    let n = this.root;
    if (!n) return undefined;
    while (n.right) n = n.right;
    return n.key;
  }

  /** Smallest key strictly greater than `key`, or undefined. */
  next(key: K): K | undefined {
    let n = this.root;
    let best: Node<K, V> | null = null;
    while (n) {
      if (this.cmp(key, n.key) < 0) {
        best = n;
        n = n.left;
      } else n = n.right;
    }
    return best ? best.key : undefined;
  }

  /** Greatest key strictly smaller than `key`, or undefined. */
  prev(key: K): K | undefined {
    let n = this.root;
    let best: Node<K, V> | null = null;
    while (n) {
      if (this.cmp(key, n.key) > 0) {
        best = n;
        n = n.right;
      } else n = n.left;
    }
    return best ? best.key : undefined;
  }

  /** In reverse key order. */
  *entriesReversed(): Generator<[K, V]> {
    const stack: Node<K, V>[] = [];
    for (let n = this.root; n; n = n.right) stack.push(n);
    while (stack.length > 0) {
      const top = stack.pop()!;
      yield [top.key, top.value];
      for (let n = top.left; n; n = n.right) stack.push(n);
    }
  }

  /** In key order; with `after`, only the keys greater than it (found in
   *  O(log n), so a scan can resume where it stopped). */
  *entries(after?: K): Generator<[K, V]> {
    // The stack holds the path's nodes still to visit, smallest on top.
    const stack: Node<K, V>[] = [];
    let n = this.root;
    while (n) {
      if (after === undefined || this.cmp(after, n.key) < 0) {
        stack.push(n);
        n = n.left;
      } else n = n.right;
    }
    while (stack.length > 0) {
      const top = stack.pop()!;
      yield [top.key, top.value];
      for (n = top.right; n; n = n.left) stack.push(n);
    }
  }

  private insert(n: Node<K, V> | null, key: K, value: V): Node<K, V> {
    if (!n) {
      this.size++;
      return { key, value, pri: Math.random(), left: null, right: null };
    }
    const c = this.cmp(key, n.key);
    if (c === 0) {
      n.value = value;
      return n;
    }
    if (c < 0) {
      n.left = this.insert(n.left, key, value);
      if (n.left.pri > n.pri) return rotateRight(n);
    } else {
      n.right = this.insert(n.right, key, value);
      if (n.right.pri > n.pri) return rotateLeft(n);
    }
    return n;
  }

  private remove(n: Node<K, V> | null, key: K): Node<K, V> | null {
    if (!n) return null;
    const c = this.cmp(key, n.key);
    if (c < 0) n.left = this.remove(n.left, key);
    else if (c > 0) n.right = this.remove(n.right, key);
    else {
      this.size--;
      return merge(n.left, n.right);
    }
    return n;
  }
}

function rotateRight<K, V>(n: Node<K, V>): Node<K, V> {
  const l = n.left!;
  n.left = l.right;
  l.right = n;
  return l;
}

function rotateLeft<K, V>(n: Node<K, V>): Node<K, V> {
  const r = n.right!;
  n.right = r.left;
  r.left = n;
  return r;
}

function merge<K, V>(a: Node<K, V> | null, b: Node<K, V> | null): Node<K, V> | null {
  if (!a) return b;
  if (!b) return a;
  if (a.pri > b.pri) {
    a.right = merge(a.right, b);
    return a;
  }
  b.left = merge(a, b.left);
  return b;
}
