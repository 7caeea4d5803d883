// Entry of the staff app (/staff): one StaffApp on the page's #app.

import { StaffApp } from './app.js';

new StaffApp(document.getElementById('app')).start();
