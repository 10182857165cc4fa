/**
 * Test helper: an HTTP server standing in for an AWS-compatible endpoint. It records the access key
 * id of every request's SigV4 signature and answers as STS GetCallerIdentity would (account
 * 000000000000). It listens on every interface, so it is reachable over loopback and over this
 * machine's network address (which is not loopback).
 */
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';

export interface FakeEndpoint {
  port: number;
  /** Access key ids of the requests received so far ("(unsigned)" for none). */
  keyIds: string[];
  close(): Promise<void>;
}

const CALLER_IDENTITY =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::000000000000:root</Arn><UserId>000000000000</UserId><Account>000000000000</Account>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

export async function startFakeEndpoint(): Promise<FakeEndpoint> {
  const keyIds: string[] = [];
  const server = http.createServer((req, res) => {
    keyIds.push(/Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '(unsigned)');
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'text/xml');
      res.end(CALLER_IDENTITY);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    keyIds,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An IPv4 address of this machine that is not loopback (tests of "not on this machine" need one). */
export function networkAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('this machine has no non-loopback IPv4 address; these tests need one');
}
