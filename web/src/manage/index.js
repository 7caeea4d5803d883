// Entry of manage.js: defines <clinic-booking-manage> for the /manage page.

import { configureAssets } from '../widget/assets.js';
import { BookingManager } from './element.js';

configureAssets(document.currentScript);
if (!customElements.get('clinic-booking-manage')) customElements.define('clinic-booking-manage', BookingManager);
