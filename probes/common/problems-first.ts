/** Moved to the domain layer (electron/domain/problems-first.ts). */
export * from '../../electron/domain/problems-first.js';
