/**
 * CloudWatch Logs filter patterns as a table, with the examples of AWS's "Filter pattern syntax for
 * metric filters, subscription filters, filter log events, and Live Tail" page (terms, OR and
 * exclusion, JSON, space-delimited, regex) and the patterns it says are invalid.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from '../../../src/sandbox/logs/filterPattern.js';

const matches = (pattern: string, message: string): boolean => compileFilterPattern(pattern).test(message);

type Row = [pattern: string, message: string, expected: boolean];

function table(rows: Row[]): void {
  for (const [pattern, message, expected] of rows) {
    it(`${pattern}  ${expected ? 'matches' : 'does not match'}  ${message.slice(0, 60)}`, () => {
      expect(matches(pattern, message)).toBe(expected);
    });
  }
}

describe('unstructured log events: terms', () => {
  table([
    ['', 'anything', true],
    ['""', 'anything', true],
    ['ERROR', '[ERROR] A fatal exception has occurred', true],
    ['ERROR', 'Exiting with ERRORCODE: -1', true],
    ['ERROR', 'error: lower case', false],
    ['"ERROR" -"Exiting"', 'Exiting with ERRORCODE: -1', false],
    ['"ERROR" -"Exiting"', '[ERROR] A fatal exception has occurred', true],
    ['ERROR Exception', '[ERROR] Caught IllegalArgumentException', true],
    ['ERROR Exception', '[ERROR] Unhandled Exception', true],
    ['ERROR Exception', '[ERROR] Unhandled', false],
    ['"Failed to process the request"', '[WARN] Failed to process the request', true],
    ['"Failed to process the request"', '[WARN] Failed to process a request', false],
    ['ERROR', 'ERROR WARN message', true],
    ['ERROR', 'WARN message', false],
    ['?ERROR ?WARN', 'ERROR WARN message', true],
    ['?ERROR ?WARN', 'ERROR message', true],
    ['?ERROR ?WARN', 'WARN message', true],
    ['?ERROR ?WARN', 'INFO message', false],
    ['ERROR WARN', 'ERROR message', false],
    ['ERROR -WARN', 'ERROR message', true],
    ['ERROR -WARN', 'ERROR WARN message', false],
    ['"say \\"hi\\""', 'they say "hi"', true],
    ['?"exit code 1" ?Timeout', 'Task Timeout', true],
  ]);
});

describe('regex', () => {
  table([
    ['%AUTHORIZED%', '[ERROR 401] UNAUTHORIZED REQUEST', true],
    ['%AUTHORIZED%', '[SUCCESS 200] AUTHORIZED REQUEST', true],
    ['%AUTHORIZED%', '[SUCCESS 200] authorized request', false],
    ['%^[hc]at%', 'hat trick', true],
    ['%^[hc]at%', 'that', false],
    ['%[hc]at$%', 'a cat', true],
    ['%colou?r%', 'color', true],
    ['%colou?r%', 'colour', true],
    ['%a{3,5}%', 'aaaa', true],
    ['%a{3,5}%', 'aa', false],
    ['%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%', 'from 10.0.0.1 port 22', true],
    ['%[Ee]rror|[Ff]ail%', 'request ok', false],
    ['%[Ee]rror|[Ff]ail%', 'request failed', true],
    ['%[Ee]rror|[Ff]ail%', 'request Failed', true],
    ['%[Ee]rror|[Ff]ail%', 'an error', true],
  ]);
});

describe('JSON log events', () => {
  const trail = JSON.stringify({
    eventType: 'UpdateTrail',
    sourceIPAddress: '111.111.111.111',
    arrayKey: ['value', 'another value'],
    objectList: [
      { name: 'a', id: 1 },
      { name: 'b', id: 2 },
    ],
    SomeObject: null,
    ThisFlag: true,
  });
  const users = JSON.stringify({
    user: { id: 1, email: 'John.Stiles@example.com' },
    users: [
      { id: 2, email: 'John.Doe@example.com' },
      { id: 3, email: 'Jane.Doe@example.com' },
    ],
    actions: ['GET', 'PUT', 'DELETE'],
    coordinates: [
      [0, 1, 2],
      [4, 5, 6],
      [7, 8, 9],
    ],
  });
  const numbers = JSON.stringify({
    latency: 1500,
    numbers: [5, 0.001],
    errorCode: 400,
    processes: [{}, {}, {}, {}, { averageRuntime: 50 }],
  });
  table([
    ['{ $.eventType = "UpdateTrail" }', trail, true],
    ['{ $.eventType = UpdateTrail }', trail, true],
    ['{ $.sourceIPAddress != 123.123.* }', trail, true],
    ['{ $.sourceIPAddress = 111.111.* }', trail, true],
    ['{ $.eventType = *Trail }', trail, true],
    ['{ $.eventType = Update* }', trail, true],
    ['{ $.eventType = Upd*rail }', trail, false],
    ['{ $.arrayKey[0] = "value" }', trail, true],
    ['{ $.objectList[1].id = 2 }', trail, true],
    ['{ $.SomeObject IS NULL }', trail, true],
    ['{ $.SomeOtherObject NOT EXISTS }', trail, true],
    ['{ $.eventType EXISTS }', trail, true],
    ['{ $.ThisFlag IS TRUE }', trail, true],
    ['{ $.ThisFlag IS FALSE }', trail, false],
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', users, true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', users, false],
    [
      '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }',
      users,
      true,
    ],
    [
      '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }',
      users,
      false,
    ],
    ['{ $.coordinates[2][0] = 7 }', users, true],
    // A selector that points at an array or object matches neither = nor !=.
    ['{ $.users = 1 }', users, false],
    ['{ $.users != 1 }', users, false],
    ['{ $.latency >= 500 }', numbers, true],
    ['{ $.numbers[0] < 10e3 }', numbers, true],
    ['{ $.numbers[1] < 10e-3 }', numbers, true],
    ['{ $.processes[4].averageRuntime <= 55.5 }', numbers, true],
    ['{ $.errorCode = 400 }', numbers, true],
    ['{ $.errorCode != 500 }', numbers, true],
    ['{ $.latency > +1000 }', numbers, true],
    ['{ $.latency = * }', numbers, true],
    ['{ $.eventType = %Update[A-Z]% }', trail, true],
    ['{ $.eventType = %^Delete% }', trail, false],
    ['{ $.level = "ERROR" }', 'not json at all', false],
  ]);
});

describe('space-delimited log events', () => {
  const ok = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534';
  const failed = '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 404 5324';
  table([
    ['[ip, user, username, timestamp, request, status_code, bytes]', ok, true],
    ['[ip, user, username, timestamp, request, status_code]', ok, false],
    ['[..., status_code, bytes]', ok, true],
    ['[ip, user, ..., status_code, bytes]', ok, true],
    ['[ip, user, ...]', ok, true],
    ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', ok, true],
    ['[ip, user, username, timestamp, request, status_code, bytes > 2000]', ok, false],
    ['[ip, user, username, timestamp, request, status_code = 200, bytes]', ok, true],
    ['[ip, user, username, timestamp, request, status_code = 200, bytes]', failed, false],
    ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', failed, true],
    ['[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]', failed, true],
    ['[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]', ok, false],
    ['[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]', failed, true],
    ['[ip, user, username, timestamp, request, status_code = 4* || status_code = 200, bytes]', ok, true],
    ['[..., request=*.html*, status_code=4*,]', failed, true],
    ['[w1=ERROR, w2]', 'ERROR message', true],
    ['[w1=ERROR, w2]', 'WARN message', false],
    ['[w1=ERROR || w1=WARN, w2]', 'WARN message', true],
    ['[w1=ERROR || w1=WARN, w2]', 'INFO message', false],
    ['[w1=%ERR.R%, w2]', 'ERROR message', true],
  ]);

  it('extracts the fields by name, and by position where unnamed', () => {
    const m = compileFilterPattern('[..., request=*.html*, status_code=4*,]').match(failed)!;
    expect(Object.fromEntries(m.extracted)).toEqual({
      $1: '127.0.0.1',
      $2: '-',
      $3: 'frank',
      $4: '10/Oct/2000:13:35:22 -0700',
      $request: 'GET /index.html HTTP/1.0',
      $status_code: '404',
      $7: '5324',
    });
  });
});

describe('patterns CloudWatch Logs refuses', () => {
  const bad = [
    '{ $.a = ',
    '{ level = 1 }',
    '{ $.a > "x" }',
    '{ $.a = 1',
    '[ip, user',
    '[a > x, b]',
    '[..., a, ..., b]',
    '"unterminated',
    '%something!%',
    '%(ab)%',
    '%%',
    '{ $.a = %x% && $.b = %y% && $.c = %z% }',
    '[a = %x%, b = %y%, c = %z%]',
  ];
  for (const pattern of bad) {
    it(pattern, () => {
      expect(() => compileFilterPattern(pattern)).toThrow(
        expect.objectContaining({ code: 'InvalidParameterException', message: 'Invalid filter pattern' }),
      );
    });
  }
});

describe('hostile regexes', () => {
  it('are matched in linear time: `%a*a*a*a*a*c%` against 100,000 a’s does not stall', async () => {
    // In a worker (against the build), so a backtracking engine's stall fails the test instead of
    // freezing the test process; `npm test` builds first.
    const built = pathToFileURL(
      path.resolve(
        path.dirname(fileURLToPath(import.meta.url)),
        '../../../dist/src/sandbox/logs/filterPattern.js',
      ),
    ).href;
    const worker = new Worker(
      `import(${JSON.stringify(built)}).then(({ compileFilterPattern }) => {
         const { parentPort } = require('node:worker_threads');
         parentPort.postMessage(compileFilterPattern('%a*a*a*a*a*c%').test('a'.repeat(100000)));
       });`,
      { eval: true },
    );
    const answer = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the regex did not finish within 10 s')), 10_000);
      worker.once('message', (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      worker.once('error', reject);
    }).finally(() => void worker.terminate());
    expect(answer).toBe(false);
  });
});
