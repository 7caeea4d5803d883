// Public JavaScript API of slotbook's browser side: the WebAssembly slot engine's wrapper
// (build/web/slot-engine-api.mjs, source web/src/engine.js) and the <clinic-booking>
// element (build/web/booking-widget.js). Shapes follow the engine contract
// (docs/engine-contract.md) and the HTTP API (docs/api.md).

// ---- the engine -------------------------------------------------------------------------

/** Error codes the engine answers with (the contract's "Errors" table). */
export type SlotEngineErrorCode =
  | 'invalid_json'
  | 'invalid_snapshot'
  | 'invalid_query'
  | 'invalid_range'
  | 'range_too_large'
  | 'unknown_appointment_type'
  | 'unknown_practitioner'
  /** the wrapper's own: the module could not be loaded or started */
  | 'engine_unavailable'
  /** the wrapper's own: the module answered text that is not JSON (a defect) */
  | 'engine_failure';

/** Thrown by SlotEngine methods and loadSlotEngine; `code` is the contract's. */
export class SlotEngineError extends Error {
  readonly name: 'SlotEngineError';
  readonly code: SlotEngineErrorCode;
  constructor(code: SlotEngineErrorCode, message?: string);
}

export interface TimeRange {
  start: string;
  end: string;
} // "HH:MM", 24-hour; "24:00" only as an end

/** A clinic snapshot as served by GET /api/v1/clinics/{id}/snapshot (zone rules included). */
export interface Snapshot {
  clinic: { id: string; name?: string; timezone: string; closed_dates?: string[] };
  rules?: { min_notice_minutes?: number; max_advance_days?: number };
  appointment_types: Array<{
    id: string;
    name?: string;
    duration_minutes: number;
    buffer_before_minutes?: number;
    buffer_after_minutes?: number;
    slot_step_minutes?: number;
    min_notice_minutes?: number;
    max_advance_days?: number;
  }>;
  practitioners: Array<{
    id: string;
    name?: string;
    appointment_types: string[];
    weekly_hours?: Partial<
      Record<'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday', TimeRange[]>
    >;
    overrides?: Array<{ date: string; hours: TimeRange[] }>;
  }>;
  busy?: Array<{ practitioner_id: string; start: string; end: string }>;
  /** Required in the browser: the engine has no tz database there. */
  zone_rules: unknown;
}

export interface SlotQuery {
  appointment_type: string;
  /** absent, null or "any": every practitioner offering the type */
  practitioner_id?: string | null;
  start_date: string; // YYYY-MM-DD, clinic dates, inclusive
  end_date: string; // at most maxQueryRangeDays (90) days after start_date
  now: string; // RFC 3339 instant: the engine never reads a clock
}

export interface Slot {
  start: string;
  end: string; // clinic wall time "HH:MM"
  start_utc: string;
  end_utc: string;
  duration_minutes: number;
  practitioner_ids: string[];
}

export interface SlotListing {
  clinic_id: string;
  appointment_type: string;
  practitioner_id: string;
  start_date: string;
  end_date: string;
  timezone: string;
  slot_duration_minutes: number;
  total_days_with_availability: number;
  available_slots: Array<{ date: string; day_of_week: string; total_slots: number; slots: Slot[] }>;
}

/**
 * The listing of SlotEngine.slotTable(): the same facts as SlotListing, in columns of
 * numbers instead of JSON. The typed arrays are the caller's own copies. Day `d` holds the
 * slots `dayFirstSlot[d]` .. `dayFirstSlot[d] + daySlotCount[d] - 1`; slot `i` is offered
 * by `practitionerIds[practitioners[slotFirstPractitioner[i] + k]]` for
 * `k < slotPractitionerCount[i]`.
 */
export interface SlotTable {
  clinicId: string;
  appointmentType: string;
  /** "any", or the practitioner asked about */
  practitionerId: string;
  startDate: string;
  endDate: string; // YYYY-MM-DD, as asked
  /** the clinic's IANA zone */
  timezone: string;
  durationMinutes: number;
  /** The snapshot's practitioner ids, sorted by id; `practitioners` indexes into it (frozen, shared). */
  practitionerIds: readonly string[];

  // one entry per day with slots, in date order
  /** the clinic date, days since 1970-01-01 (`new Date(d * 86400000)` is its UTC midnight) */
  dayDate: Int32Array;
  /** 0 = Monday .. 6 = Sunday */
  dayWeekday: Uint8Array;
  dayFirstSlot: Uint32Array;
  daySlotCount: Uint32Array;

  // one entry per slot, in start order within each day
  /** UTC, milliseconds since the Unix epoch (whole seconds) */
  slotStartMs: Float64Array;
  slotEndMs: Float64Array;
  /** clinic wall-clock minutes since midnight, 0..1439 (SlotListing's "start"; an end at midnight is 0) */
  slotStartMinute: Uint16Array;
  slotEndMinute: Uint16Array;
  slotFirstPractitioner: Uint32Array;
  slotPractitionerCount: Uint32Array;

  /** indices into `practitionerIds`, sorted by id within each slot */
  practitioners: Uint32Array;
}

export interface BookingCheck {
  appointment_type: string;
  practitioner_id: string; // a real practitioner: "any" is unknown_practitioner
  start: string;
  now: string;
}

export type RefusalReason =
  | 'in_past'
  | 'too_soon'
  | 'too_far'
  | 'outside_hours'
  | 'off_grid'
  | 'conflict'
  | 'unknown_appointment_type'
  | 'unknown_practitioner';

export type Verdict = { ok: true } | { ok: false; reason: RefusalReason };

export interface SlotEngine {
  /**
   * The contract's slot listing. `snapshot` may be the object or its JSON text. An object
   * is serialised once and the text reused on later calls (the engine keeps the last
   * parsed snapshot keyed by its text), so treat snapshot objects as immutable: pass a new
   * object for a new snapshot. Throws SlotEngineError.
   */
  slots(snapshot: Snapshot | string, query: SlotQuery | string): SlotListing;
  /** Whether a booking is valid against the snapshot. Throws SlotEngineError on bad input. */
  validate(snapshot: Snapshot | string, booking: BookingCheck | string): Verdict;
  /**
   * The same listing as slots(), as typed-array columns: no JSON is written or parsed, so
   * it is the cheaper call for a page that reads many slots. Throws SlotEngineError with
   * the very code and message slots() would.
   */
  slotTable(snapshot: Snapshot | string, query: SlotQuery | string): SlotTable;
  /**
   * The last clinic date ("YYYY-MM-DD") a start of `appointmentType` may fall on when asked
   * at `now` (RFC 3339): the clinic's local date of `now` plus the type's max_advance_days,
   * else the clinic's. Throws SlotEngineError (unknown_appointment_type, invalid_query for
   * `now`, or the snapshot's own error).
   */
  lastBookableDate(snapshot: Snapshot | string, appointmentType: string, now: string): string;
  /** The longest query: end_date at most this many days after start_date. */
  readonly maxQueryRangeDays: number;
}

export interface LoadOptions {
  /** The module factory, e.g. `require('build/web/slot-engine.js')` in Node. */
  factory?: (moduleArgs?: object) => Promise<unknown>;
  /** Browsers: URL of slot-engine.js, loaded with a script element (needs CSP script-src). */
  scriptUrl?: string;
  /** URL of slot-engine.wasm; default: next to scriptUrl. */
  wasmUrl?: string;
  /** The .wasm bytes; skips fetching it (Node: fs.readFileSync('build/web/slot-engine.wasm')). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Loads and starts the engine. Rejects with SlotEngineError('engine_unavailable'). */
export function loadSlotEngine(options: LoadOptions): Promise<SlotEngine>;

// ---- the widget --------------------------------------------------------------------------

/** detail of `booking:ready` */
export interface BookingReadyDetail {
  clinicId: string;
}
/** detail of `booking:slot-selected` */
export interface BookingSlotSelectedDetail {
  start: string;
  end: string;
  appointmentType: string;
  practitionerId: string;
}
/** detail of `booking:confirmed` */
export interface BookingConfirmedDetail {
  id: string;
  start: string;
  end: string;
  confirmationNumber: string;
  appointmentType: string;
  practitionerId: string;
}

/**
 * <clinic-booking clinic="ID" [server="https://..."] [lang="es"] [name email phone]
 * [appointment-type="..."] [practitioner="..."] [timezone="Europe/Madrid"]>
 * Events bubble and cross the shadow boundary (composed).
 */
export interface ClinicBookingElement extends HTMLElement {
  addEventListener(
    type: 'booking:ready',
    listener: (event: CustomEvent<BookingReadyDetail>) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: 'booking:slot-selected',
    listener: (event: CustomEvent<BookingSlotSelectedDetail>) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: 'booking:confirmed',
    listener: (event: CustomEvent<BookingConfirmedDetail>) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'clinic-booking': ClinicBookingElement;
  }
}
