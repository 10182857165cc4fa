/** Invoke the function synchronously for one explicit window and show what came back. */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { StepContext } from '../../src/course/model.js';
import type { HourWindow } from '../shared/hourWindows.js';
import { need, type Demo1State } from './state.js';
import { logTable } from '../../src/course/logTable.js';
import { classifyLine } from '../shared/logEvents.js';
import { toLogEntries } from '../shared/lambdaLogEntries.js';
import { LOG_FIELDS } from '../shared/summaryView.js';

export interface WindowInvocation {
  statusCode?: number;
  /** `Unhandled` when the handler threw. */
  functionError?: string;
  /** The response payload, parsed when it is JSON. */
  response: unknown;
  /** The last 4 KB of the invocation's log (LogType Tail), decoded. */
  logTail: string;
  /** The invocation's request id, as its log lines name it. */
  requestId?: string;
}

export async function invokeForWindow(
  ctx: StepContext<Demo1State>,
  window: HourWindow,
  opts: { showTail?: boolean } = {},
): Promise<WindowInvocation> {
  const payload = { window };
  ctx.out.block('Request payload', JSON.stringify(payload));
  const res = await ctx.aws.lambda.send(
    new InvokeCommand({
      FunctionName: need(ctx.state.functionName, 'the function'),
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  const text = res.Payload ? new TextDecoder().decode(res.Payload) : '';
  let response: unknown = text;
  try {
    response = JSON.parse(text);
  } catch {
    // not JSON: show it as text
  }
  const logTail = res.LogResult ? Buffer.from(res.LogResult, 'base64').toString('utf8') : '';
  // The response's request id is the invocation's; the log tail names it too (START RequestId: …).
  const requestId = /START RequestId: ([\w-]+)/.exec(logTail)?.[1] ?? res.$metadata.requestId;
  const inv = { statusCode: res.StatusCode, functionError: res.FunctionError, response, logTail, requestId };
  ctx.out.block(
    `Response: StatusCode ${inv.statusCode}${inv.functionError ? `, FunctionError ${inv.functionError}` : ''}`,
    typeof response === 'string' ? response : JSON.stringify(response, null, 2),
  );
  if (logTail && opts.showTail !== false) {
    const lines = logTail
      .trimEnd()
      .split('\n')
      .map((message) => ({ timestamp: 0, stream: '', message, ...classifyLine(message) }));
    ctx.out.table(
      logTable('Log tail (LogType Tail: the last 4 KB of its log)', toLogEntries(lines), {
        fields: LOG_FIELDS,
      }),
    );
  }
  return inv;
}
