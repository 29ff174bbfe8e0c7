// The official TypeScript SDK (@anthropic-ai/sdk, pinned in package.json)
// against claudemock.
//
//   npm ci --prefix conformance/node
//   ANTHROPIC_BASE_URL=http://127.0.0.1:PORT ANTHROPIC_API_KEY=test-key \
//     node conformance/node/check.mjs
//
// The client is `new Anthropic()`, so base URL and key come from the
// environment exactly as in a user's program. One line per check, then
// "N passed, M failed"; the exit code is 1 when any check failed.
import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';

const ALIAS = 'claude-haiku-4-5';
const DATED = 'claude-haiku-4-5-20251001';
const REPLY_TOKENS = 24; // claudemock's default ReplyTokens
const MESSAGES = [{ role: 'user', content: 'Hello, Claude. What is the capital of France?' }];
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  input_schema: {
    type: 'object',
    properties: {
      location: { type: 'string', description: 'City and country' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['location', 'unit'],
  },
};

if (!process.env.ANTHROPIC_BASE_URL) {
  console.error('ANTHROPIC_BASE_URL must point at a claudemock server (no /v1)');
  process.exit(2);
}

const client = new Anthropic();
const textOf = (message) =>
  message.content
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('');

// rejects runs fn, which must throw an instance of cls, and returns the error.
async function rejects(fn, cls) {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof cls, `want ${cls.name}, got ${err?.constructor?.name}: ${err}`);
    return err;
  }
  assert.fail(`want ${cls.name}, got success`);
}

const checks = [
  [
    'messages.create returns a complete end_turn message',
    async () => {
      const msg = await client.messages.create({ model: ALIAS, max_tokens: 256, messages: MESSAGES });
      assert.match(msg.id, /^msg_01/);
      assert.equal(msg.type, 'message');
      assert.equal(msg.role, 'assistant');
      assert.equal(msg.model, DATED);
      assert.equal(msg.stop_reason, 'end_turn');
      assert.equal(msg.stop_sequence, null);
      assert.equal(msg.content.length, 1);
      assert.equal(msg.content[0].type, 'text');
      assert.ok(msg.content[0].text.length > 0, 'empty text');
      assert.equal(msg.usage.output_tokens, REPLY_TOKENS);
      assert.match(msg._request_id ?? '', /^req_/);
    },
  ],
  [
    'messages.countTokens equals usage.input_tokens',
    async () => {
      const count = await client.messages.countTokens({ model: ALIAS, messages: MESSAGES });
      const msg = await client.messages.create({ model: ALIAS, max_tokens: 256, messages: MESSAGES });
      assert.ok(count.input_tokens > 0, `input_tokens ${count.input_tokens}`);
      assert.equal(msg.usage.input_tokens, count.input_tokens);
    },
  ],
  [
    'messages.stream().finalMessage() ends the turn with the counted input tokens',
    async () => {
      const count = await client.messages.countTokens({ model: ALIAS, messages: MESSAGES });
      const stream = client.messages.stream({ model: ALIAS, max_tokens: 256, messages: MESSAGES });
      let streamed = '';
      stream.on('text', (delta) => {
        streamed += delta;
      });
      const final = await stream.finalMessage();
      assert.match(final.id, /^msg_01/);
      assert.equal(final.model, DATED);
      assert.equal(final.stop_reason, 'end_turn');
      assert.equal(final.usage.input_tokens, count.input_tokens);
      assert.equal(final.usage.output_tokens, REPLY_TOKENS);
      assert.ok(streamed.length > 0, 'no text events');
      assert.equal(streamed, textOf(final));
    },
  ],
  [
    'forced tool_choice gives one valid tool_use block',
    async () => {
      const msg = await client.messages.create({
        model: ALIAS,
        max_tokens: 256,
        messages: [{ role: 'user', content: 'What is the weather like in Paris?' }],
        tools: [WEATHER_TOOL],
        tool_choice: { type: 'tool', name: 'get_weather' },
      });
      assert.equal(msg.stop_reason, 'tool_use');
      const uses = msg.content.filter((b) => b.type === 'tool_use');
      assert.equal(uses.length, 1, JSON.stringify(msg.content));
      assert.match(uses[0].id, /^toolu_/);
      assert.equal(uses[0].name, 'get_weather');
      assert.equal(typeof uses[0].input.location, 'string');
      assert.ok(['celsius', 'fahrenheit'].includes(uses[0].input.unit), `unit ${uses[0].input.unit}`);
    },
  ],
  [
    'models.list auto-paging by 3 yields each model exactly once',
    async () => {
      const everything = await client.models.list({ limit: 1000 });
      assert.equal(everything.has_more, false);
      const all = everything.data.map((m) => m.id);
      assert.ok(all.length > 3, 'paging by 3 needs more than one page');
      const ids = [];
      for await (const m of client.models.list({ limit: 3 })) {
        ids.push(m.id);
      }
      assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids}`);
      assert.deepEqual(ids, all);
    },
  ],
  [
    'models.retrieve resolves an alias to the dated id',
    async () => {
      const model = await client.models.retrieve(ALIAS);
      assert.equal(model.id, DATED);
      assert.equal(model.type, 'model');
    },
  ],
  [
    'an unknown model is a NotFoundError (404) with the request id',
    async () => {
      const err = await rejects(
        () => client.messages.create({ model: 'claude-nope', max_tokens: 256, messages: MESSAGES }),
        Anthropic.NotFoundError,
      );
      assert.equal(err.status, 404);
      assert.match(err.requestID ?? '', /^req_/);
      assert.equal(err.type, 'not_found_error');
      assert.equal(err.error?.error?.message, 'model: claude-nope');
      assert.equal(err.error?.request_id, err.requestID);
    },
  ],
  [
    'an empty messages list is a BadRequestError (400)',
    async () => {
      const err = await rejects(
        () => client.messages.create({ model: ALIAS, max_tokens: 256, messages: [] }),
        Anthropic.BadRequestError,
      );
      assert.equal(err.status, 400);
      assert.equal(err.type, 'invalid_request_error');
      assert.match(err.requestID ?? '', /^req_/);
      assert.equal(err.error?.request_id, err.requestID);
    },
  ],
];

// batchChecks drive the Message Batches API: create, poll with backoff
// until ended (the server's default 0.5 s a request, real clock), read
// results() through results_url, page through the list, cancel and delete.
function batchChecks() {
  const request = (id) => ({ custom_id: id, params: { model: ALIAS, max_tokens: 64, messages: MESSAGES } });
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const untilEnded = async (id) => {
    for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
      const b = await client.messages.batches.retrieve(id);
      if (b.processing_status === 'ended') return b;
      await sleep(wait);
    }
  };
  return [
    [
      'messages.batches: create, poll until ended, read every result line by custom_id',
      async () => {
        const created = await client.messages.batches.create({ requests: [request('first'), request('second')] });
        assert.match(created.id, /^msgbatch_01/);
        assert.equal(created.processing_status, 'in_progress');
        assert.equal(created.request_counts.processing, 2);
        assert.equal(created.results_url, null);
        const ended = await untilEnded(created.id);
        assert.equal(ended.request_counts.succeeded, 2);
        assert.match(ended.results_url, new RegExp(`^${process.env.ANTHROPIC_BASE_URL}/v1/messages/batches/${created.id}/results$`));
        const seen = {};
        for await (const line of await client.messages.batches.results(created.id)) {
          assert.equal(line.result.type, 'succeeded');
          assert.equal(line.result.message.usage.service_tier, 'batch');
          seen[line.custom_id] = textOf(line.result.message).length > 0;
        }
        assert.deepEqual(seen, { first: true, second: true });
      },
    ],
    [
      'messages.batches: list pages through every batch, cancel ends the rest canceled, delete once ended',
      async () => {
        const b = await client.messages.batches.create({ requests: [request('a'), request('b'), request('c'), request('d')] });
        const canceling = await client.messages.batches.cancel(b.id);
        assert.equal(canceling.processing_status, 'canceling');
        assert.ok(canceling.cancel_initiated_at);
        const ids = [];
        for await (const item of client.messages.batches.list({ limit: 1 })) ids.push(item.id);
        assert.equal(ids[0], b.id);
        assert.equal(new Set(ids).size, ids.length);
        const err = await rejects(() => client.messages.batches.delete(b.id), Anthropic.BadRequestError);
        assert.equal(err.status, 400);
        const ended = await untilEnded(b.id);
        assert.equal(ended.request_counts.canceled, 4);
        const deleted = await client.messages.batches.delete(b.id);
        assert.deepEqual(deleted, { id: b.id, type: 'message_batch_deleted' });
        await rejects(() => client.messages.batches.retrieve(b.id), Anthropic.NotFoundError);
      },
    ],
  ];
}

// filesChecks cover the Files API (beta files-api-2025-04-14): upload,
// metadata, auto-paged list, file_id in count_tokens counted as the inline
// bytes, the refused download of an upload, deletion and the errors after.
const THREE_PAGES = '%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n2 0 obj <</Type /Page>> endobj\n3 0 obj <</Type /Page>> endobj\n%%EOF\n';
function filesChecks() {
  const betas = ['files-api-2025-04-14'];
  const countWith = async (source) =>
    (
      await client.beta.messages.countTokens({
        model: ALIAS,
        betas,
        messages: [{ role: 'user', content: [{ type: 'document', source }, { type: 'text', text: 'Sum up.' }] }],
      })
    ).input_tokens;
  const upload = async (name) =>
    client.beta.files.upload({ file: await Anthropic.toFile(Buffer.from(THREE_PAGES), name, { type: 'application/pdf' }), betas });
  return [
    [
      'beta.files.upload stores a PDF that retrieveMetadata and the auto-pager find',
      async () => {
        const meta = await upload('dir/report.pdf');
        assert.match(meta.id, /^file_011C/);
        assert.deepEqual([meta.type, meta.filename, meta.mime_type, meta.size_bytes, meta.downloadable],
          ['file', 'report.pdf', 'application/pdf', THREE_PAGES.length, false]);
        assert.deepEqual(await client.beta.files.retrieveMetadata(meta.id, { betas }), meta);
        const second = await upload('second.pdf');
        const seen = [];
        for await (const f of client.beta.files.list({ limit: 1, betas })) seen.push(f.id);
        assert.deepEqual(seen.slice(0, 2), [second.id, meta.id]);
      },
    ],
    [
      'a file_id document counts the same input_tokens as its bytes inline',
      async () => {
        const meta = await upload('inline.pdf');
        const inline = { type: 'base64', media_type: 'application/pdf', data: Buffer.from(THREE_PAGES).toString('base64') };
        assert.equal(await countWith({ type: 'file', file_id: meta.id }), await countWith(inline));
      },
    ],
    [
      'an upload is not downloadable, and a deleted file is gone',
      async () => {
        const meta = await upload('gone.pdf');
        const refused = await rejects(() => client.beta.files.download(meta.id, { betas }), Anthropic.BadRequestError);
        assert.equal(refused.error?.error?.details?.error_code, 'file_not_downloadable');
        assert.deepEqual(await client.beta.files.delete(meta.id, { betas }), { id: meta.id, type: 'file_deleted' });
        const missing = await rejects(() => client.beta.files.retrieveMetadata(meta.id, { betas }), Anthropic.NotFoundError);
        assert.equal(missing.error?.error?.message, `File not found: ${meta.id}`);
        const unknown = await rejects(() => countWith({ type: 'file', file_id: meta.id }), Anthropic.BadRequestError);
        assert.equal(unknown.error?.error?.message, `File not found: ${meta.id}`);
      },
    ],
  ];
}
checks.push(...filesChecks());
checks.push(...batchChecks());

// CLAUDEMOCK_BURST_URL, when set, is a second server playing the ready
// scenario burst-429: the SDK, with its default retries, must come out of
// it with a passing report.
const BURST_RULES = ['requests_arrived', 'faults_fired', 'respects_retry_after', 'max_attempts', 'backoff', 'jitter', 'no_retry_on', 'retries_retryable'];
if (process.env.CLAUDEMOCK_BURST_URL) {
  checks.push([
    'with default retries, burst-429 is waited out and the report passes',
    async () => {
      const url = process.env.CLAUDEMOCK_BURST_URL;
      const burst = new Anthropic({ baseURL: url });
      for (let i = 0; i < 3; i++) {
        await burst.messages.create({ model: ALIAS, max_tokens: 256, messages: MESSAGES });
      }
      const report = await (await fetch(`${url}/_mock/report`)).json();
      assert.deepEqual(report.expectations.map((r) => [r.rule, r.pass]), BURST_RULES.map((r) => [r, true]));
      assert.equal(report.pass, true);
      assert.equal(report.requests, 5);
    },
  ]);
}

let passed = 0;
let failed = 0;
for (const [name, check] of checks) {
  try {
    await check();
    passed++;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL - ${name}: ${err?.stack ?? err}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
