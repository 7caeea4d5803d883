// The JS API of the WebAssembly slot engine: what the widget and clinic developers call.
// The raw Emscripten module answers the contract's JSON text (slots, validate) or, for the
// widget, plain values (_slotTable: a listing as typed-array columns, no JSON at all); this
// layer turns its answers into plain objects and its errors into SlotEngineError, and makes
// sure a snapshot object is serialised once: the C++ side keeps the last parsed snapshot
// keyed by its exact text, so handing it the same string again skips the parse.

/** An error answered by the engine, carrying the contract's `code` (e.g. `invalid_query`). */
export class SlotEngineError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'SlotEngineError';
    this.code = code;
  }
}

// Snapshot objects are treated as immutable: a changed snapshot must be a new object.
const snapshotTexts = new WeakMap();

function jsonText(value) {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') {
    throw new SlotEngineError('invalid_json', 'expected a JSON object or its text');
  }
  let text = snapshotTexts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    snapshotTexts.set(value, text);
  }
  return text;
}

function parseAnswer(text) {
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new SlotEngineError('engine_failure', 'the engine answered text that is not JSON');
  }
  return checkValue(answer);
}

// A value answer of the raw module: `{error: {code, message}}` becomes SlotEngineError.
function checkValue(answer) {
  if (answer && answer.error) throw new SlotEngineError(answer.error.code, answer.error.message);
  return answer;
}

// The typed-array columns of a _slotTable answer: views into wasm memory, valid only until
// the next call into the module, so slotTable() copies them first.
const SLOT_TABLE_COLUMNS = [
  'dayDate',
  'dayWeekday',
  'dayFirstSlot',
  'daySlotCount',
  'slotStartMs',
  'slotEndMs',
  'slotStartMinute',
  'slotEndMinute',
  'slotFirstPractitioner',
  'slotPractitionerCount',
  'practitioners',
];

/** Wraps a raw module (the resolved value of `createSlotEngine()`). */
export class SlotEngine {
  constructor(rawModule) {
    this._raw = rawModule;
    this._ids = { text: undefined, ids: [] }; // practitioner ids of the last snapshot text
  }

  /** The longest query range: end_date at most this many days after start_date. */
  get maxQueryRangeDays() {
    return this._raw._maxQueryRangeDays;
  }

  /** The contract's slot listing for `query`, as a plain object. Throws SlotEngineError. */
  slots(snapshot, query) {
    return parseAnswer(this._raw.slots(jsonText(snapshot), jsonText(query)));
  }

  /** `{ok: true}` or `{ok: false, reason}` for a booking request. Throws SlotEngineError. */
  validate(snapshot, booking) {
    const verdict = parseAnswer(this._raw.validate(jsonText(snapshot), jsonText(booking)));
    return verdict.ok ? { ok: true } : { ok: false, reason: verdict.reason };
  }

  /**
   * The same listing as slots(), as typed-array columns (SlotTable in types/index.d.ts):
   * no JSON is written or parsed. Errors are slots()'s, as SlotEngineError.
   */
  slotTable(snapshot, query) {
    const text = jsonText(snapshot);
    const raw = checkValue(this._raw._slotTable(text, jsonText(query)));
    const table = {
      clinicId: raw.clinicId,
      appointmentType: raw.appointmentType,
      practitionerId: raw.practitionerId,
      startDate: raw.startDate,
      endDate: raw.endDate,
      timezone: raw.timezone,
      durationMinutes: raw.durationMinutes,
      practitionerIds: null,
    };
    for (const column of SLOT_TABLE_COLUMNS) table[column] = raw[column].slice();
    // after the copies: asking the module again may move its memory
    table.practitionerIds = this._practitionerIds(text);
    return table;
  }

  /**
   * The last clinic date ("YYYY-MM-DD") a start of appointment type `typeId` may fall on
   * when asked at `now` (RFC 3339): the engine's own horizon rule. Throws SlotEngineError.
   */
  lastBookableDate(snapshot, typeId, now) {
    return checkValue(this._raw._lastBookableDate(jsonText(snapshot), typeId, now));
  }

  // The snapshot's practitioner ids in the engine's order, asked once per snapshot text.
  _practitionerIds(text) {
    if (this._ids.text !== text) {
      this._ids = { text, ids: Object.freeze(checkValue(this._raw._practitionerIds(text))) };
    }
    return this._ids.ids;
  }
}

const scriptLoads = new Map();

// Browsers: the Emscripten glue is a classic script that defines `createSlotEngine`.
function loadFactoryScript(scriptUrl) {
  if (!scriptLoads.has(scriptUrl)) {
    scriptLoads.set(
      scriptUrl,
      new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = scriptUrl;
        script.async = true;
        script.onload = () =>
          typeof globalThis.createSlotEngine === 'function'
            ? resolve(globalThis.createSlotEngine)
            : reject(new SlotEngineError('engine_unavailable', `${scriptUrl} did not define createSlotEngine`));
        script.onerror = () => {
          scriptLoads.delete(scriptUrl);
          reject(new SlotEngineError('engine_unavailable', `could not load ${scriptUrl}`));
        };
        document.head.appendChild(script);
      }),
    );
  }
  return scriptLoads.get(scriptUrl);
}

/**
 * Loads the engine. Options (all optional, one of `factory` or `scriptUrl` needed):
 * - factory: the `createSlotEngine` function (Node: `require('build/web/slot-engine.js')`)
 * - scriptUrl: URL of slot-engine.js, loaded with a script element (browsers)
 * - wasmUrl: URL of slot-engine.wasm (default: slot-engine.wasm next to scriptUrl)
 * - wasmBinary: the .wasm bytes, which skips fetching it (Node)
 */
export async function loadSlotEngine(options = {}) {
  const moduleArgs = {};
  let instantiationFailed = new Promise(() => {});
  const wasmUrl = options.wasmUrl || (options.scriptUrl && new URL('slot-engine.wasm', options.scriptUrl).href);
  if (options.wasmBinary) {
    moduleArgs.wasmBinary = options.wasmBinary;
  } else if (wasmUrl && typeof fetch === 'function' && WebAssembly.instantiateStreaming) {
    // Fetch the .wasm now, alongside the glue script, instead of after it: on a first
    // visit that takes one round trip off the time to the first times shown.
    const response = fetch(wasmUrl, { credentials: 'same-origin' });
    let fail;
    instantiationFailed = new Promise((_, reject) => (fail = reject));
    moduleArgs.instantiateWasm = (imports, receiveInstance) => {
      response
        .then((r) =>
          WebAssembly.instantiateStreaming(r.clone(), imports).catch(() =>
            // a server that does not send application/wasm: compile from the bytes
            r.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports)),
          ),
        )
        .then((result) => receiveInstance(result.instance, result.module), fail);
      return {}; // exports arrive through receiveInstance
    };
  } else if (wasmUrl) {
    moduleArgs.locateFile = (path) => (path.endsWith('.wasm') ? wasmUrl : path);
  }
  try {
    const factory = options.factory || (await loadFactoryScript(options.scriptUrl));
    return new SlotEngine(await Promise.race([factory(moduleArgs), instantiationFailed]));
  } catch (cause) {
    if (cause instanceof SlotEngineError) throw cause;
    throw new SlotEngineError(
      'engine_unavailable',
      `the engine failed to start: ${cause && cause.message ? cause.message : cause}`,
    );
  }
}
