/** The case store: key layout, codecs, atomic batches, interning and the schema check. */
export * from './codecs.js';
export * from './layout.js';
export * from './collection.js';
export * from './store.js';
