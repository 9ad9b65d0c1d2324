/** Moved to the domain layer (electron/domain/finding.ts); kept so the probes' imports stay short. */
export * from '../../electron/domain/finding.js';
