// Where the widget's own files live and the one engine every widget on the page shares.
// The build injects the engine's file names (content-hashed when versioned, so browsers
// may cache them for a year); the folder is the one the widget script was loaded from.

import { loadSlotEngine } from '../engine.js';

/* global __SLOT_ENGINE_JS__, __SLOT_ENGINE_WASM__ */
const ENGINE_JS = typeof __SLOT_ENGINE_JS__ === 'string' ? __SLOT_ENGINE_JS__ : 'slot-engine.js';
const ENGINE_WASM = typeof __SLOT_ENGINE_WASM__ === 'string' ? __SLOT_ENGINE_WASM__ : 'slot-engine.wasm';

let base = null;
let enginePromise = null;

/** Call once, while the widget script runs, with `document.currentScript`. */
export function configureAssets(script) {
  base = script && script.src ? new URL('.', script.src).href : new URL('/widget/', location.href).href;
}

/** The URL of `name`, one of the widget's own files. */
export const assetUrl = (name) => new URL(name, base || new URL('/widget/', location.href)).href;

/** The API server a widget talks to unless its `server` attribute says otherwise. */
export const defaultServer = () => new URL(base || location.href).origin;

export function sharedEngine() {
  if (!enginePromise) {
    enginePromise = loadSlotEngine({ scriptUrl: assetUrl(ENGINE_JS), wasmUrl: assetUrl(ENGINE_WASM) });
    enginePromise.catch(() => {
      enginePromise = null; // let a retry load it again
    });
  }
  return enginePromise;
}
