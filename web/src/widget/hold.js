// The hold on the chosen time while the patient gives their details (docs/widget.md,
// "Holds"). Taken on Continue, it keeps the time from other patients for the clinic's
// rules.hold_minutes; it is renewed when the patient is still typing as it nears its end
// (the server allows two renewals), released on Back, on another time and when the widget
// leaves the page, and used up by the booking. Without one (holds off, the network failed)
// the patient goes on: the server checks the time again at booking.
// Its end is kept on the browser's clock: the server's expires_at less the server clock's
// lead over ours, which the first answer shows (expires_at = the server's now + the length).

const TICK_MS = 15000; // the visible countdown changes at most this often
const RENEW_MS = 60000; // renewed once less than this is left,
const TYPED_MS = 60000; // if the patient typed within this,
const RETRY_MS = 5000; // and not tried within this

export class Hold {
  /** onChange(): held, a tick of the countdown, renewed; onRanOut(): it ended before the booking. */
  constructor(api, { onChange, onRanOut }) {
    this.api = api;
    this.onChange = onChange;
    this.onRanOut = onRanOut;
    this.data = null;
    this.typedAt = 0;
    this.triedAt = 0;
  }

  /**
   * Holds `body` ({clinic_id, appointment_type, practitioner_id, start}) for `minutes` (0: the
   * clinic holds nothing), letting go of any hold before. Rejects only with the ApiError of a
   * time that is no longer free; any other failure goes on without a hold.
   */
  take(body, minutes) {
    this.release();
    if (!minutes) return Promise.resolve();
    const attempt = (this.pending = this.api.hold(body).then(
      (hold) => {
        if (this.pending !== attempt) return this.api.releaseHold(hold); // let go meanwhile
        this.pending = null;
        this.skew = Date.parse(hold.expires_at) - minutes * 60000 - Date.now();
        this.set(hold);
      },
      (error) => {
        if (this.pending !== attempt) return;
        this.pending = null;
        if (error.code === 'slot_unavailable') throw error;
      },
    ));
    return attempt;
  }

  set(hold) {
    this.data = hold;
    this.end = Date.parse(hold.expires_at) - this.skew;
    this.tick();
  }

  /** Milliseconds the hold has left by the browser's clock (0 without one). */
  msLeft() {
    return this.data ? Math.max(0, this.end - Date.now()) : 0;
  }

  /** The hold while it lasts, else null (one just run out says so first). */
  live() {
    if (this.data && !this.msLeft()) this.tick();
    return this.data;
  }

  tick() {
    clearTimeout(this.timer);
    const left = this.msLeft();
    if (!left) {
      this.stop();
      return this.onRanOut();
    }
    if (left <= RENEW_MS) this.renew();
    this.onChange();
    this.timer = setTimeout(() => this.tick(), Math.min(TICK_MS, left > RENEW_MS ? left - RENEW_MS : left));
  }

  /** The patient typed: near its end, the hold is renewed. */
  typed() {
    this.typedAt = Date.now();
    if (this.data && this.msLeft() <= RENEW_MS) this.renew();
  }

  renew() {
    const hold = this.data;
    const now = Date.now();
    if (this.renewing || !hold.renewals_left || now - this.typedAt > TYPED_MS || now - this.triedAt < RETRY_MS) return;
    this.triedAt = now;
    this.renewing = this.api
      .renewHold(hold)
      .then(
        (fresh) => this.data === hold && this.set(fresh),
        (error) => {
          if (this.data !== hold) return;
          if (error.code === 'renewal_limit_reached') hold.renewals_left = 0;
          else if (error.kind === 'not_found') {
            this.end = 0; // gone at the server already
            this.tick();
          }
        },
      )
      .finally(() => (this.renewing = null));
  }

  /** Lets the time go (`keepalive`: the page may be going away); the request's promise, or null. */
  release(keepalive = false) {
    const hold = this.data;
    this.stop();
    return hold ? this.api.releaseHold(hold, keepalive) : null;
  }

  /** Forgets the hold without a word to the server (the booking used it, or it is gone). */
  stop() {
    clearTimeout(this.timer);
    this.data = null;
    this.pending = null;
  }
}
