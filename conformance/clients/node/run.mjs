// Drives one real Node client through one check against claudemock and
// prints what the client saw as one JSON line; the Go spec
// conformance/clients_test.go asserts on it and on the mock's journal.
//
//   node run.mjs <client> <check>
//
// client: ai-sdk (ai 7 + @ai-sdk/anthropic 4), ai-sdk-6 (ai 6 + @ai-sdk/anthropic
//         3, installed under the aliases ai-v6 and ai-sdk-anthropic-v3) or
//         langchain (@langchain/anthropic)
// check:  plain, stream, tools, structured, burst
//
// Each client is configured only the way its own documentation says to point
// it elsewhere, and otherwise left at its defaults (max_tokens, retries,
// headers): the AI SDK reads ANTHROPIC_BASE_URL (with /v1, as its default
// https://api.anthropic.com/v1 has), LangChain reads ANTHROPIC_BASE_URL
// (without /v1, passed to @anthropic-ai/sdk); both read ANTHROPIC_API_KEY.
// A client error is printed as {"error": {...}} with exit code 1.
import { readFileSync } from 'node:fs';
import { anthropic } from '@ai-sdk/anthropic';
import * as ai from 'ai';
import { anthropic as anthropicV3 } from 'ai-sdk-anthropic-v3';
import * as aiV6 from 'ai-v6';
import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { tool as lcTool } from '@langchain/core/tools';

const shared = (name) => JSON.parse(readFileSync(new URL(`../testdata/${name}`, import.meta.url)));
const MODEL = 'claude-sonnet-4-6';
const HELLO = 'Hello, Claude. What is the capital of France?';
// The mock answers tool_use when the last user text names the tool.
const TOOL_PROMPT = 'Use get_weather for Paris.';
const STRUCTURED_PROMPT = 'Describe Paris as a city record.';
const WEATHER = shared('get_weather.schema.json');
const CITY = shared('city.schema.json');
// weather is what the tool returns to the model, whatever it was asked.
const weather = { temperature: 18, conditions: 'sunny' };
// usageOf reduces the AI SDK's and LangChain's usage objects to the API's
// two counts.
const usageOf = (u) => ({ input_tokens: u?.inputTokens ?? u?.input_tokens, output_tokens: u?.outputTokens ?? u?.output_tokens });

// aiSdk is the checks of one AI SDK major: ai is the 'ai' module, provider
// the default '@ai-sdk/anthropic' instance of the matching major. Version 6
// asks for an object with generateObject, 7 (which removed it) with
// generateText's output setting.
function aiSdk(ai, provider) {
  const model = provider(MODEL);
  const stopWhen = (ai.isStepCount ?? ai.stepCountIs)(5);
  return {
    async plain() {
      const r = await ai.generateText({ model, prompt: HELLO });
      return { text: r.text, finish: r.finishReason, usage: usageOf(r.usage), model: r.response.modelId };
    },
    async stream() {
      let failure;
      const r = ai.streamText({ model, prompt: HELLO, onError: ({ error }) => (failure = error) });
      let text = '';
      let chunks = 0;
      for await (const delta of r.textStream) {
        text += delta;
        chunks++;
      }
      if (failure) {
        throw failure;
      }
      return { text, chunks, finish: await r.finishReason, usage: usageOf(await r.usage), model: (await r.response).modelId };
    },
    async tools() {
      const calls = [];
      const getWeather = ai.tool({
        description: WEATHER.description,
        inputSchema: ai.jsonSchema(WEATHER.input_schema),
        execute: async (input) => {
          calls.push(input);
          return weather;
        },
      });
      const r = await ai.generateText({ model, prompt: TOOL_PROMPT, tools: { get_weather: getWeather }, stopWhen });
      return { calls, steps: r.steps.map((s) => s.finishReason), text: r.text, finish: r.finishReason };
    },
    async structured() {
      if (ai.generateObject) {
        const r = await ai.generateObject({ model, prompt: STRUCTURED_PROMPT, schema: ai.jsonSchema(CITY) });
        return { object: r.object, finish: r.finishReason };
      }
      const output = ai.Output.object({ schema: ai.jsonSchema(CITY) });
      const r = await ai.generateText({ model, prompt: STRUCTURED_PROMPT, output });
      return { object: r.output, finish: r.finishReason };
    },
    async burst() {
      const r = await ai.generateText({ model, prompt: HELLO });
      return { text: r.text, finish: r.finishReason };
    },
  };
}

const textOf = (message) =>
  typeof message.content === 'string'
    ? message.content
    : message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');

const langchain = {
  async plain() {
    const m = await new ChatAnthropic({ model: MODEL }).invoke(HELLO);
    return { text: textOf(m), finish: m.response_metadata.stop_reason, usage: usageOf(m.usage_metadata), model: m.response_metadata.model };
  },
  async stream() {
    let whole;
    let chunks = 0;
    for await (const chunk of await new ChatAnthropic({ model: MODEL }).stream(HELLO)) {
      whole = whole ? whole.concat(chunk) : chunk;
      chunks++;
    }
    return { text: textOf(whole), chunks, finish: whole.additional_kwargs.stop_reason, usage: usageOf(whole.usage_metadata) };
  },
  async tools() {
    const calls = [];
    const getWeather = lcTool(
      async (input) => {
        calls.push(input);
        return JSON.stringify(weather);
      },
      { name: 'get_weather', description: WEATHER.description, schema: WEATHER.input_schema },
    );
    const model = new ChatAnthropic({ model: MODEL }).bindTools([getWeather]);
    const messages = [new HumanMessage(TOOL_PROMPT)];
    const steps = [];
    for (let i = 0; i < 5; i++) {
      const reply = await model.invoke(messages);
      messages.push(reply);
      steps.push(reply.response_metadata.stop_reason);
      if (!reply.tool_calls?.length) {
        return { calls, steps, text: textOf(reply), finish: reply.response_metadata.stop_reason };
      }
      for (const call of reply.tool_calls) {
        messages.push(new ToolMessage({ tool_call_id: call.id, content: await getWeather.invoke(call.args) }));
      }
    }
    throw new Error(`no final answer after 5 turns: ${JSON.stringify(steps)}`);
  },
  async structured() {
    const model = new ChatAnthropic({ model: MODEL }).withStructuredOutput(CITY, { method: 'jsonSchema' });
    return { object: await model.invoke(STRUCTURED_PROMPT) };
  },
  async burst() {
    const m = await new ChatAnthropic({ model: MODEL }).invoke(HELLO);
    return { text: textOf(m), finish: m.response_metadata.stop_reason };
  },
};

const clients = { 'ai-sdk': aiSdk(ai, anthropic), 'ai-sdk-6': aiSdk(aiV6, anthropicV3), langchain };
const [name, check] = process.argv.slice(2);
const run = clients[name]?.[check];
if (!run) {
  console.error(`usage: node run.mjs <${Object.keys(clients).join('|')}> <${Object.keys(langchain).join('|')}>`);
  process.exit(2);
}
try {
  console.log(JSON.stringify({ result: await run() }));
} catch (err) {
  // What the client says went wrong: its class, message, and, where it has
  // them, the status and the response body it got (from the last attempt
  // when it gave up retrying).
  const last = err?.lastError ?? err;
  const error = {
    name: err?.constructor?.name,
    message: String(err?.message ?? err),
    status: last?.statusCode ?? last?.status,
    body: last?.responseBody ?? last?.error,
    cause: err?.cause ? String(err.cause?.message ?? err.cause) : undefined,
  };
  console.log(JSON.stringify({ error }));
  process.exitCode = 1;
}
