/**
 * Encryption at rest for the worker: the data key and its per-user wrapping (keys), synchronous
 * sealing of stored values (seal), the blind index for search (blind-index) and the PIN rate limit
 * (pin). Not in core: it needs the platform's CSPRNG and WebCrypto, which the worker has.
 */
export * from './keys';
export * from './seal';
export * from './blind-index';
export * from './pin';
