// The calls of the manage page, by booking id and secret token (docs/api.md, "Manage by
// token"), on top of the widget's (snapshot, and the errors as ApiError).

import { BookingApi, jsonPost, request } from '../widget/api.js';

export class ManageApi extends BookingApi {
  bookingUrl(id, token, action = '') {
    return `${this.server}/api/v1/bookings/${encodeURIComponent(id)}${action}?token=${encodeURIComponent(token)}`;
  }

  async booking(id, token, signal) {
    const { text } = await request(this.bookingUrl(id, token), { cache: 'no-store', signal });
    return JSON.parse(text).booking;
  }

  async cancel(id, token, reason) {
    const { text } = await request(this.bookingUrl(id, token, '/cancel'), jsonPost(reason ? { reason } : {}));
    return JSON.parse(text).booking;
  }

  async reschedule(id, token, change) {
    const { text } = await request(this.bookingUrl(id, token, '/reschedule'), jsonPost(change));
    return JSON.parse(text).booking;
  }

  icsUrl(id, token) {
    return `${this.server}/api/v1/bookings/${encodeURIComponent(id)}.ics?token=${encodeURIComponent(token)}`;
  }
}
