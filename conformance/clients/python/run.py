"""Drives one real Python client through one check against claudemock.

    python run.py <client> <check>

client: langchain (langchain-anthropic) or litellm
check:  plain, stream, tools, structured, burst

Prints what the client saw as one JSON line, {"result": {...}}, or what it
raised as {"error": {...}} with exit code 1; the Go spec
conformance/clients_test.go asserts on it and on the mock's journal. Each
client is pointed at the mock only through ANTHROPIC_BASE_URL and
ANTHROPIC_API_KEY, which both read, and is otherwise left at its defaults
(max_tokens, retries, headers).
"""

import json
import pathlib
import sys

MODEL = "claude-sonnet-4-6"
HELLO = "Hello, Claude. What is the capital of France?"
# The mock answers tool_use when the last user text names the tool.
TOOL_PROMPT = "Use get_weather for Paris."
STRUCTURED_PROMPT = "Describe Paris as a city record."
TESTDATA = pathlib.Path(__file__).resolve().parent.parent / "testdata"
WEATHER = json.loads((TESTDATA / "get_weather.schema.json").read_text())
CITY = json.loads((TESTDATA / "city.schema.json").read_text())
# WEATHER_REPORT is what the tool returns to the model, whatever it was asked.
WEATHER_REPORT = {"temperature": 18, "conditions": "sunny"}
MAX_TURNS = 5


def text_of(content) -> str:
    """text_of joins the text of a LangChain message's content."""
    if isinstance(content, str):
        return content
    return "".join(b["text"] for b in content if isinstance(b, dict) and b.get("type") == "text")


class LangChain:
    """The checks of langchain-anthropic's ChatAnthropic."""

    @staticmethod
    def model():
        from langchain_anthropic import ChatAnthropic

        return ChatAnthropic(model=MODEL)

    def plain(self):
        m = self.model().invoke(HELLO)
        return {
            "text": text_of(m.content),
            "finish": m.response_metadata.get("stop_reason"),
            "usage": usage_of(m.usage_metadata),
            "model": m.response_metadata.get("model"),
        }

    def stream(self):
        whole, chunks = None, 0
        for chunk in self.model().stream(HELLO):
            whole = chunk if whole is None else whole + chunk
            chunks += 1
        return {
            "text": text_of(whole.content),
            "chunks": chunks,
            "finish": whole.response_metadata.get("stop_reason"),
            "usage": usage_of(whole.usage_metadata),
        }

    def tools(self):
        from langchain_core.messages import HumanMessage, ToolMessage
        from langchain_core.tools import StructuredTool

        calls = []

        def get_weather(**kwargs):
            calls.append(kwargs)
            return json.dumps(WEATHER_REPORT)

        tool = StructuredTool.from_function(
            get_weather, name=WEATHER["name"], description=WEATHER["description"], args_schema=WEATHER["input_schema"]
        )
        model = self.model().bind_tools([tool])
        messages, steps = [HumanMessage(TOOL_PROMPT)], []
        for _ in range(MAX_TURNS):
            ai = model.invoke(messages)
            messages.append(ai)
            steps.append(ai.response_metadata.get("stop_reason"))
            if not ai.tool_calls:
                return {"calls": calls, "steps": steps, "text": text_of(ai.content), "finish": steps[-1]}
            for call in ai.tool_calls:
                messages.append(ToolMessage(tool.invoke(call["args"]), tool_call_id=call["id"]))
        raise RuntimeError(f"no final answer after {MAX_TURNS} turns: {steps}")

    def structured(self):
        model = self.model().with_structured_output(CITY, method="json_schema")
        return {"object": model.invoke(STRUCTURED_PROMPT)}

    def burst(self):
        m = self.model().invoke(HELLO)
        return {"text": text_of(m.content), "finish": m.response_metadata.get("stop_reason")}


class LiteLLM:
    """The checks of litellm.completion with an anthropic/ model."""

    model = "anthropic/" + MODEL

    @staticmethod
    def completion(**kwargs):
        import litellm

        return litellm.completion(**kwargs)

    def plain(self):
        r = self.completion(model=self.model, messages=[{"role": "user", "content": HELLO}])
        return {
            "text": r.choices[0].message.content,
            "finish": r.choices[0].finish_reason,
            "usage": {"input_tokens": r.usage.prompt_tokens, "output_tokens": r.usage.completion_tokens},
            "model": r.model,
        }

    def stream(self):
        text, chunks, finish, usage = "", 0, None, None
        messages = [{"role": "user", "content": HELLO}]
        options = {"include_usage": True}
        for chunk in self.completion(model=self.model, messages=messages, stream=True, stream_options=options):
            chunks += 1
            for choice in chunk.choices:  # the usage chunk has none
                text += choice.delta.content or ""
                finish = choice.finish_reason or finish
            if getattr(chunk, "usage", None):
                usage = {"input_tokens": chunk.usage.prompt_tokens, "output_tokens": chunk.usage.completion_tokens}
        return {"text": text, "chunks": chunks, "finish": finish, "usage": usage}

    def tools(self):
        tools = [
            {
                "type": "function",
                "function": {
                    "name": WEATHER["name"],
                    "description": WEATHER["description"],
                    "parameters": WEATHER["input_schema"],
                },
            }
        ]
        messages, calls, steps = [{"role": "user", "content": TOOL_PROMPT}], [], []
        for _ in range(MAX_TURNS):
            r = self.completion(model=self.model, messages=messages, tools=tools)
            choice = r.choices[0]
            steps.append(choice.finish_reason)
            if not choice.message.tool_calls:
                return {"calls": calls, "steps": steps, "text": choice.message.content, "finish": choice.finish_reason}
            messages.append(choice.message.model_dump(exclude_none=True))
            for call in choice.message.tool_calls:
                calls.append(json.loads(call.function.arguments))
                messages.append({"role": "tool", "tool_call_id": call.id, "content": json.dumps(WEATHER_REPORT)})
        raise RuntimeError(f"no final answer after {MAX_TURNS} turns: {steps}")

    def structured(self):
        r = self.completion(
            model=self.model,
            messages=[{"role": "user", "content": STRUCTURED_PROMPT}],
            response_format={"type": "json_schema", "json_schema": {"name": "city", "schema": CITY, "strict": True}},
        )
        return {"object": json.loads(r.choices[0].message.content), "finish": r.choices[0].finish_reason}

    def burst(self):
        # litellm.completion retries nothing unless asked, and with
        # num_retries it does not wait out retry-after; litellm's Router, its
        # way to run a model in production, does both by default.
        import litellm

        router = litellm.Router(model_list=[{"model_name": "sonnet", "litellm_params": {"model": self.model}}])
        r = router.completion(model="sonnet", messages=[{"role": "user", "content": HELLO}])
        return {"text": r.choices[0].message.content, "finish": r.choices[0].finish_reason}


def usage_of(u):
    """usage_of reduces LangChain's usage_metadata to the API's two counts."""
    return {"input_tokens": u.get("input_tokens"), "output_tokens": u.get("output_tokens")} if u else None


def error_of(err: BaseException) -> dict:
    """error_of is what the client says went wrong: its class, message and,
    where it has them, the status and the response body it got."""
    response = getattr(err, "response", None)
    body = getattr(err, "body", None)
    if body is None and response is not None:
        body = getattr(response, "text", None)
    return {
        "name": type(err).__name__,
        "message": str(err)[:2000],
        "status": getattr(err, "status_code", None) or getattr(response, "status_code", None),
        "body": body,
        "cause": repr(err.__cause__)[:500] if err.__cause__ else None,
    }


CLIENTS = {"langchain": LangChain, "litellm": LiteLLM}
CHECKS = ("plain", "stream", "tools", "structured", "burst")


def main(argv) -> int:
    if len(argv) != 2 or argv[0] not in CLIENTS or argv[1] not in CHECKS:
        print(f"usage: python run.py <{'|'.join(CLIENTS)}> <{'|'.join(CHECKS)}>", file=sys.stderr)
        return 2
    check = getattr(CLIENTS[argv[0]](), argv[1])
    try:
        print(json.dumps({"result": check()}, default=str))
        return 0
    except Exception as err:  # the client's failure is the check's result
        print(json.dumps({"error": error_of(err)}, default=str))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
