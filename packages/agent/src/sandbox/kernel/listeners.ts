// A set of listeners with unsubscribe, as each kernel handle (worker, child process) needs for its
// messages. Isomorphic.

export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  /** Returns the unsubscribe. */
  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  delete(listener: (value: T) => void): void {
    this.set.delete(listener);
  }

  /** Calls every listener; one may unsubscribe (itself or another) while this runs. */
  emit(value: T): void {
    for (const listener of [...this.set]) listener(value);
  }

  clear(): void {
    this.set.clear();
  }
}
