// The runtime inside one sandbox Lambda execution environment (a child Node process). It plays the
// part of Lambda's Node.js runtime: loads the handler once (init), then serves invocations the
// sandbox sends over the IPC channel, one at a time, with a Lambda-like context object. Console
// output goes back over IPC as log records; the sandbox formats and stores it.
//
// Plain .mjs on purpose: it runs as-is whether the sandbox runs from dist/ or from TypeScript
// sources, and it must start fast (no imports beyond Node builtins).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

/** Console output kept per invocation before the rest is only counted (protects the sandbox). */
const LOG_CAP_BYTES = 1024 * 1024;

// The sandbox may run its clock faster than real time (time-scale). A handler decides things from
// the time ("the previous hour"), so its `Date` follows the sandbox clock: shifted by the offset the
// sandbox sends with each invocation, ticking in real time within it (durations stay real).
const RealDate = Date;
let clockOffsetMs = Number(process.env.SANDBOX_CLOCK_OFFSET_MS) || 0;
delete process.env.SANDBOX_CLOCK_OFFSET_MS;
class SandboxDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + clockOffsetMs);
    else super(...args);
  }
  static now() {
    return RealDate.now() + clockOffsetMs;
  }
}
globalThis.Date = SandboxDate;

const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const handlerSpec = process.env._HANDLER ?? 'index.handler';

let current; // the invocation in progress: { id, ... }
let logBytes = 0;
let droppedBytes = 0;

function send(msg, done) {
  if (process.connected) process.send(msg, done);
  else done?.();
}

// Log format and level as Lambda's Node.js runtime reads them (LoggingConfig sets these variables):
// TEXT lines are formatted by the sandbox; JSON records carry the message (or the logged value) and,
// for an Error, errorType/errorMessage/stackTrace. Levels below AWS_LAMBDA_LOG_LEVEL are dropped.
const LEVELS = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
const jsonFormat = (process.env.AWS_LAMBDA_LOG_FORMAT ?? '').toUpperCase() === 'JSON';
const minLevel = LEVELS[(process.env.AWS_LAMBDA_LOG_LEVEL ?? '').toUpperCase()] ?? LEVELS.TRACE;

function errorFields(err) {
  return {
    errorType: err?.constructor?.name ?? 'UnknownError',
    errorMessage: err.message,
    stackTrace: typeof err.stack === 'string' ? err.stack.split('\n') : err.stack,
  };
}

const errorReplacer = (_key, value) =>
  value instanceof Error ? Object.assign(errorFields(value), value) : value;

/** The JSON record's own members (the sandbox adds timestamp, level and requestId in front). */
function jsonFields(args) {
  const [message, ...params] = args;
  if (params.length === 0) {
    try {
      return JSON.stringify({ message }, errorReplacer);
    } catch {
      return JSON.stringify({ message: format(message) });
    }
  }
  const fields = { message: format(...args) };
  const err = params.find((p) => p instanceof Error);
  if (err) Object.assign(fields, errorFields(err));
  return JSON.stringify(fields);
}

function emit(level, args) {
  if (LEVELS[level] < minLevel) return;
  const text = jsonFormat ? jsonFields(args) : format(...args);
  if (logBytes + text.length > LOG_CAP_BYTES) {
    droppedBytes += text.length;
    return;
  }
  logBytes += text.length;
  send({ t: 'log', level, text });
}

console.log = (...a) => emit('INFO', a);
console.info = (...a) => emit('INFO', a);
console.warn = (...a) => emit('WARN', a);
console.error = (...a) => emit('ERROR', a);
console.debug = (...a) => emit('DEBUG', a);
console.trace = (...a) => emit('TRACE', a);
console.fatal = (...a) => emit('FATAL', a);

/** The error document the Node.js runtime returns: `{errorType, errorMessage, trace}`. */
function errorShape(err) {
  if (err instanceof Error) {
    return {
      errorType: err.name || 'Error',
      errorMessage: err.message,
      trace: String(err.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

/** As the runtime logs it: in text, the document with `stack` for `trace`; in JSON, the error itself. */
function logError(prefix, shape) {
  const { trace, ...rest } = shape;
  if (jsonFormat) {
    if (LEVELS.ERROR < minLevel) return;
    const message = { errorType: shape.errorType, errorMessage: shape.errorMessage, stackTrace: trace };
    send({ t: 'log', level: 'ERROR', text: JSON.stringify({ message }) });
    return;
  }
  emit('ERROR', [`${prefix} \t${JSON.stringify({ ...rest, stack: trace })}`]);
}

function runtimeError(errorType, message) {
  const e = new Error(message);
  e.name = errorType;
  return e;
}

async function loadHandler() {
  const slash = handlerSpec.lastIndexOf('/');
  const dot = handlerSpec.indexOf('.', slash + 1);
  if (dot < 0) {
    throw runtimeError('Runtime.MalformedHandlerName', `Bad handler ${handlerSpec}`);
  }
  const modulePath = handlerSpec.slice(0, dot);
  const names = handlerSpec.slice(dot + 1).split('.');
  const base = path.resolve(taskRoot, modulePath);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((f) => fs.existsSync(f));
  if (!file) {
    throw runtimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${path.basename(modulePath)}'\nRequire stack:\n- /var/runtime/index.mjs`,
    );
  }
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    if (err instanceof SyntaxError)
      throw runtimeError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`);
    throw runtimeError(
      'Runtime.ImportModuleError',
      `${err?.name ?? 'Error'}: ${err?.message ?? String(err)}`,
    );
  }
  const lookup = (root) => names.reduce((o, n) => (o == null ? undefined : o[n]), root);
  let handler = lookup(mod);
  if (typeof handler !== 'function' && mod.default) handler = lookup(mod.default);
  if (typeof handler !== 'function') {
    throw runtimeError(
      'Runtime.HandlerNotFound',
      `${path.basename(modulePath)}.${names.join('.')} is undefined or not exported`,
    );
  }
  return handler;
}

const initStart = performance.now();
const init = loadHandler().then(
  (handler) => ({ handler }),
  (error) => ({ error }),
);
init.then((r) => {
  if (r.error) {
    const shape = errorShape(r.error);
    logError('Uncaught Exception', shape);
    send({ t: 'initError', error: shape, initMs: performance.now() - initStart });
  } else {
    send({ t: 'ready', initMs: performance.now() - initStart });
  }
});

function makeContext(m) {
  const deadline = Date.now() + m.timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: m.functionName,
    functionVersion: m.functionVersion,
    invokedFunctionArn: m.invokedFunctionArn,
    memoryLimitInMB: String(m.memoryLimitInMB),
    awsRequestId: m.id,
    logGroupName: m.logGroupName,
    logStreamName: m.logStreamName,
    identity: undefined,
    clientContext: m.clientContext,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Promise handlers and callback handlers (three parameters) alike. */
function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err, value) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err);
      else resolve(value);
    };
    context.done = finish;
    context.succeed = (value) => finish(null, value);
    context.fail = (err) => finish(err ?? new Error('handled'));
    const result = handler(event, context, finish);
    if (result && typeof result.then === 'function')
      result.then(
        (v) => finish(null, v),
        (e) => finish(e),
      );
    else if (handler.length < 3) finish(null, result);
  });
}

function memoryUsedMb() {
  return Math.round(process.memoryUsage.rss() / (1024 * 1024));
}

function takeDropped() {
  const d = droppedBytes;
  droppedBytes = 0;
  logBytes = 0;
  return d;
}

async function invoke(m) {
  const r = await init;
  if (r.error) {
    send({ t: 'error', id: m.id, error: errorShape(r.error), fatal: false, memoryMb: memoryUsedMb() });
    return;
  }
  current = m;
  logBytes = 0;
  droppedBytes = 0;
  try {
    const event = JSON.parse(m.payload);
    const value = await callHandler(r.handler, event, makeContext(m));
    const payload = JSON.stringify(value === undefined ? null : value) ?? 'null';
    send({ t: 'result', id: m.id, payload, memoryMb: memoryUsedMb(), droppedBytes: takeDropped() });
  } catch (err) {
    const shape = errorShape(err);
    logError('Invoke Error', shape);
    send({ t: 'error', id: m.id, error: shape, memoryMb: memoryUsedMb(), droppedBytes: takeDropped() });
  } finally {
    current = undefined;
  }
}

/** As Lambda's runtime: report the failure for the invocation in progress, then exit. */
function fatal(label, shape, code) {
  logError(label, shape);
  const id = current?.id;
  if (id)
    send(
      { t: 'error', id, error: shape, fatal: true, memoryMb: memoryUsedMb(), droppedBytes: takeDropped() },
      () => process.exit(code),
    );
  else process.exit(code);
}

process.on('uncaughtException', (err) => fatal('Uncaught Exception', errorShape(err), 129));
process.on('unhandledRejection', (reason) => {
  const shape = errorShape(reason);
  fatal(
    'Unhandled Promise Rejection',
    {
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: `${shape.errorType}: ${shape.errorMessage}`,
      trace: shape.trace,
    },
    128,
  );
});

process.on('message', (m) => {
  if (m?.t === 'invoke') {
    if (typeof m.clockOffsetMs === 'number') clockOffsetMs = m.clockOffsetMs;
    void invoke(m);
  }
});
// The sandbox went away: nothing can ask for work any more.
process.on('disconnect', () => process.exit(0));
