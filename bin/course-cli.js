#!/usr/bin/env node
// The AWS SDK warns on Node 20 about its own future support window; a learner cannot act on it
// mid-course, and `course-cli doctor` reports the Node version instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import('../dist/src/cli.js');
