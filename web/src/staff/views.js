// Which function draws which route (routes.js names them). Each takes
// (app, main, route, onDispose) and fills `main`.

import { auditView } from './audit.js';
import { calendarsView } from './calendars.js';
import { keysView } from './keys.js';
import { loginView } from './login.js';
import { newBookingView } from './newbooking.js';
import { scheduleView } from './schedule.js';
import { searchView } from './search.js';
import { settingsView } from './settings.js';
import { webhooksView } from './webhooks.js';

export const VIEWS = {
  login: loginView,
  day: scheduleView('day'),
  week: scheduleView('week'),
  new: newBookingView,
  search: searchView,
  settings: settingsView,
  keys: keysView,
  webhooks: webhooksView,
  calendars: calendarsView,
  audit: auditView,
};
