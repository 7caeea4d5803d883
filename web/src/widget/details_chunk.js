// The steps after a time is chosen (details.js) are a second script, so that the first one
// carries only what the first paint shows. web/build.mjs builds it as a classic script (like
// the engine's glue) that, when it runs, hands its code to this one through a
// `clinic-booking:chunk` event on its own script element: no global name, and no second copy
// of the modules both use. The code is called with those modules from this script (the
// build's `widget-shared-modules`), so there is one of each: one id counter for the shadow
// root, one ApiError class, one string table.

import sharedModules from 'widget-shared-modules';
import { assetUrl } from './assets.js';

/* global __DETAILS_CHUNK__ */
const DETAILS_CHUNK = typeof __DETAILS_CHUNK__ === 'string' ? __DETAILS_CHUNK__ : 'booking-widget-details.js';

let loading = null;

/**
 * Loads the details steps once and adds them to `elementClass` (BookingWidget); resolves
 * when they are there. A failed load (the network) is tried again on the next call.
 */
export function loadDetailsSteps(elementClass) {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = assetUrl(DETAILS_CHUNK);
      script.async = true;
      script.addEventListener(
        'clinic-booking:chunk',
        (event) => {
          try {
            event.detail(sharedModules).addDetailsSteps(elementClass);
            resolve();
          } catch (error) {
            reject(error);
          }
        },
        { once: true },
      );
      script.onload = () => reject(new Error(`${script.src} did not hand over its code`)); // else resolved already
      script.onerror = () => reject(new Error(`could not load ${script.src}`));
      document.head.append(script);
    }).catch((error) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}
