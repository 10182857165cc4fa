// S3 speed and memory targets (issue 2): start time, Put+Get latency against a canned-200 baseline,
// a 1,000-key ListObjectsV2 page out of 10,000, server RSS holding 10,000 × 1 KiB objects, and
// (issue 7) the server's memory staying flat through a 200 MB upload, which it streams to disk.
// The memory rows run the sandbox in a child process (this file, forked with a flag) so the RSS is
// the server's alone.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD_FLAG = '--s3-bench-sandbox';

async function loadSandbox() {
  return import('../dist/src/sandbox/index.js');
}

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'course-cli-s3-bench-'));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const ms = (n) => `${n.toFixed(2)} ms`;

// ---- child: a sandbox whose memory we can read ------------------------------------------------
if (process.argv[2] === CHILD_FLAG) {
  const { startSandbox } = await loadSandbox();
  const sb = await startSandbox({ stateDir: process.argv[3] });
  process.send({ endpoint: sb.endpoint, credentials: sb.credentials });
  process.on('message', async (msg) => {
    if (msg === 'rss') {
      globalThis.gc?.();
      process.send({ rss: process.memoryUsage().rss });
    } else if (msg === 'peak-rss') {
      process.send({ peak: process.resourceUsage().maxRSS * 1024 });
    } else if (msg === 'stop') {
      await sb.stop();
      process.exit(0);
    }
  });
}

/** A GET signed with the sandbox's own SigV4 code, read fully: server time without SDK parsing. */
async function rawGet(endpoint, credentials, rawPath, rawQuery) {
  const { expectedSignature } = await import('../dist/src/sandbox/sigv4.js');
  const url = new URL(endpoint);
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const headers = {
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  };
  const scope = {
    accessKeyId: credentials.accessKeyId,
    date: amzDate.slice(0, 8),
    region: 'us-east-1',
    service: 's3',
  };
  const signedHeaders = Object.keys(headers).sort();
  const signature = expectedSignature(
    { method: 'GET', rawPath, rawQuery, headers, body: Buffer.alloc(0) },
    { scope, signedHeaders, signature: '', amzDate, presigned: false },
    credentials.secretAccessKey,
  );
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope.date}/us-east-1/s3/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return new Promise((resolve, reject) => {
    http
      .get({ host: url.hostname, port: url.port, path: `${rawPath}?${rawQuery}`, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      })
      .on('error', reject);
  });
}

async function s3Module() {
  return import('@aws-sdk/client-s3');
}

async function timeStart() {
  const { startSandbox } = await loadSandbox();
  const times = [];
  for (let i = 0; i < 7; i++) {
    const dir = tempDir();
    const t0 = performance.now();
    const sb = await startSandbox({ stateDir: dir });
    times.push(performance.now() - t0);
    await sb.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return median(times.slice(1));
}

/** A bare Node server answering every request with an empty 200, the baseline for SDK overhead. */
async function cannedServer() {
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { etag: '"d41d8cd98f00b204e9800998ecf8427e"', 'content-length': '0' });
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, endpoint: `http://127.0.0.1:${server.address().port}` };
}

async function putGetPairs(client, bucket, n) {
  const { PutObjectCommand, GetObjectCommand } = await s3Module();
  const body = Buffer.alloc(1024, 7);
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `pair/${i % 50}`, Body: body }));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `pair/${i % 50}` }));
    await got.Body.transformToByteArray();
    times.push(performance.now() - t0);
  }
  return times;
}

async function timePutGet() {
  const { S3Client, CreateBucketCommand } = await s3Module();
  const { startSandbox } = await loadSandbox();
  const dir = tempDir();
  const sb = await startSandbox({ stateDir: dir });
  const canned = await cannedServer();
  const base = { region: 'us-east-1', credentials: sb.credentials, maxAttempts: 1 };
  const real = new S3Client({ ...base, endpoint: sb.endpoint, forcePathStyle: true });
  const fake = new S3Client({ ...base, endpoint: canned.endpoint, forcePathStyle: true });
  await real.send(new CreateBucketCommand({ Bucket: 'bench-pairs' }));
  await putGetPairs(real, 'bench-pairs', 100);
  await putGetPairs(fake, 'bench-pairs', 100);
  const realTimes = [];
  const fakeTimes = [];
  // Interleave rounds so both sides see the same machine load.
  for (let round = 0; round < 6; round++) {
    realTimes.push(...(await putGetPairs(real, 'bench-pairs', 100)));
    fakeTimes.push(...(await putGetPairs(fake, 'bench-pairs', 100)));
  }
  await sb.stop();
  canned.server.close();
  canned.server.closeAllConnections();
  fs.rmSync(dir, { recursive: true, force: true });
  return { sandbox: median(realTimes), canned: median(fakeTimes) };
}

async function withChildSandbox(fn) {
  const dir = tempDir();
  const self = fileURLToPath(import.meta.url);
  const child = fork(self, [CHILD_FLAG, dir], { execArgv: ['--expose-gc'], stdio: 'inherit' });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench sandbox exited with ${code}`)));
  });
  const ask = (msg) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(msg);
    });
  try {
    return await fn(ready, ask);
  } finally {
    child.removeAllListeners('exit');
    child.send('stop');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function listingAndMemory() {
  const { S3Client, CreateBucketCommand, PutObjectCommand, ListObjectsV2Command } = await s3Module();
  return withChildSandbox(async ({ endpoint, credentials }, ask) => {
    const client = new S3Client({
      region: 'us-east-1',
      endpoint,
      credentials,
      maxAttempts: 1,
      forcePathStyle: true,
    });
    await client.send(new CreateBucketCommand({ Bucket: 'bench-list' }));
    const body = Buffer.alloc(1024, 1);
    const N = 10_000;
    let next = 0;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        await client.send(
          new PutObjectCommand({
            Bucket: 'bench-list',
            Key: `data/part-${String(i).padStart(6, '0')}.json`,
            Body: body,
          }),
        );
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const { rss } = await ask('rss');
    const times = [];
    for (let i = 0; i < 30; i++) {
      const after = `data/part-${String((i * 277) % 9000).padStart(6, '0')}.json`;
      const t0 = performance.now();
      const out = await client.send(new ListObjectsV2Command({ Bucket: 'bench-list', StartAfter: after }));
      times.push(performance.now() - t0);
      if (out.KeyCount !== 1000) throw new Error(`expected a 1000-key page, got ${out.KeyCount}`);
    }
    const raw = [];
    for (let i = 0; i < 30; i++) {
      const after = encodeURIComponent(`data/part-${String((i * 277) % 9000).padStart(6, '0')}.json`);
      const t0 = performance.now();
      const xml = await rawGet(endpoint, credentials, '/bench-list', `list-type=2&start-after=${after}`);
      raw.push(performance.now() - t0);
      if (!xml.includes('<KeyCount>1000</KeyCount>')) throw new Error('expected a 1000-key page');
    }
    return { list: median(times.slice(3)), listRaw: median(raw.slice(3)), rss };
  });
}

const UPLOAD_BYTES = 200 * 1024 * 1024;

/**
 * A 200 MB PutObject from a file stream (the SDK sends it aws-chunked with a trailing CRC32): its
 * time, and how far the server's peak RSS rose above its RSS before the upload.
 */
async function largeUpload() {
  const { S3Client, CreateBucketCommand, PutObjectCommand, HeadObjectCommand } = await s3Module();
  const file = path.join(tempDir(), 'upload.bin');
  const slice = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < slice.length; i += 4) slice.writeUInt32LE((i * 2654435761) >>> 0, i);
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < UPLOAD_BYTES; written += slice.length) fs.writeSync(fd, slice);
  fs.closeSync(fd);
  try {
    return await withChildSandbox(async ({ endpoint, credentials }, ask) => {
      const client = new S3Client({
        region: 'us-east-1',
        endpoint,
        credentials,
        maxAttempts: 1,
        forcePathStyle: true,
      });
      await client.send(new CreateBucketCommand({ Bucket: 'bench-large' }));
      const { rss: before } = await ask('rss');
      const t0 = performance.now();
      await client.send(
        new PutObjectCommand({
          Bucket: 'bench-large',
          Key: 'big.bin',
          Body: fs.createReadStream(file),
          ContentLength: UPLOAD_BYTES,
        }),
      );
      const elapsed = performance.now() - t0;
      const { peak } = await ask('peak-rss');
      const head = await client.send(new HeadObjectCommand({ Bucket: 'bench-large', Key: 'big.bin' }));
      if (head.ContentLength !== UPLOAD_BYTES) throw new Error(`stored ${head.ContentLength} bytes`);
      return { elapsed, growth: Math.max(0, peak - before) };
    });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

export async function run() {
  const rows = [];
  const start = await timeStart();
  rows.push({
    area: 's3',
    metric: 'embedded start to listening',
    target: '≤ 100 ms',
    measured: ms(start),
    ok: start <= 100,
  });
  const pair = await timePutGet();
  const ratio = pair.sandbox / pair.canned;
  rows.push({
    area: 's3',
    metric: 'SDK PutObject+GetObject 1 KiB, median pair',
    target: '≤ 1.5× canned 200',
    measured: `${ms(pair.sandbox)} vs ${ms(pair.canned)} (${ratio.toFixed(2)}×)`,
    ok: ratio <= 1.5,
  });
  const { list, listRaw, rss } = await listingAndMemory();
  rows.push({
    area: 's3',
    metric: 'ListObjectsV2 1,000 of 10,000 keys (HTTP round trip)',
    target: '≤ 20 ms',
    measured: ms(listRaw),
    ok: listRaw <= 20,
  });
  rows.push({
    area: 's3',
    metric: 'same page via the SDK (includes its XML parsing)',
    target: '–',
    measured: ms(list),
    ok: null,
  });
  const mb = rss / (1024 * 1024);
  rows.push({
    area: 's3',
    metric: 'server RSS, 10,000 × 1 KiB objects',
    target: '≤ 150 MB',
    measured: `${mb.toFixed(1)} MB`,
    ok: mb <= 150,
  });
  const upload = await largeUpload();
  rows.push({
    area: 's3',
    metric: 'PutObject 200 MB from a stream (aws-chunked, CRC32 trailer)',
    target: 'report',
    measured: `${(upload.elapsed / 1000).toFixed(2)} s`,
    ok: null,
  });
  const growth = upload.growth / (1024 * 1024);
  rows.push({
    area: 's3',
    metric: '  server peak RSS above its RSS before that upload',
    target: '≤ 64 MB',
    measured: `${growth.toFixed(1)} MB`,
    ok: growth <= 64,
  });
  return rows;
}
