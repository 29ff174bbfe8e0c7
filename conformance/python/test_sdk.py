"""The official Python SDK (anthropic, pinned in requirements.txt) against claudemock.

Run against a running mock:

    ANTHROPIC_BASE_URL=http://127.0.0.1:PORT ANTHROPIC_API_KEY=test-key \
        python -m pytest -q conformance/python/test_sdk.py

The Go spec conformance/scripts_test.go does this against an in-process server.
The client is built with anthropic.Anthropic() (in strict response-validation mode), so base URL and key come from
the environment exactly as in a user's program.
"""

import base64
import json
import os
import time
import urllib.request

import anthropic
import pytest

ALIAS = "claude-haiku-4-5"
DATED = "claude-haiku-4-5-20251001"
REPLY_TOKENS = 24  # claudemock's default ReplyTokens
MESSAGES = [{"role": "user", "content": "Hello, Claude. What is the capital of France?"}]

WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Get the current weather in a given location",
    "input_schema": {
        "type": "object",
        "properties": {
            "location": {"type": "string", "description": "City and country"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["location", "unit"],
    },
}


@pytest.fixture(scope="module")
def client() -> anthropic.Anthropic:
    if not os.environ.get("ANTHROPIC_BASE_URL"):
        pytest.fail("ANTHROPIC_BASE_URL must point at a claudemock server (no /v1)")
    # Strict validation makes the SDK check every response against its own
    # types, so a missing or mistyped field fails here.
    return anthropic.Anthropic(_strict_response_validation=True)


def text_of(message) -> str:
    return "".join(b.text for b in message.content if b.type == "text")


def test_create_returns_a_complete_message(client):
    msg = client.messages.create(model=ALIAS, max_tokens=256, messages=MESSAGES)

    assert msg.id.startswith("msg_01")
    assert msg.type == "message"
    assert msg.role == "assistant"
    assert msg.model == DATED
    assert msg.stop_reason == "end_turn"
    assert msg.stop_sequence is None
    assert len(msg.content) == 1 and msg.content[0].type == "text"
    assert msg.content[0].text
    assert msg.usage.output_tokens == REPLY_TOKENS
    assert msg._request_id and msg._request_id.startswith("req_")


def test_count_tokens_matches_usage(client):
    count = client.messages.count_tokens(model=ALIAS, messages=MESSAGES)
    msg = client.messages.create(model=ALIAS, max_tokens=256, messages=MESSAGES)

    assert count.input_tokens > 0
    assert msg.usage.input_tokens == count.input_tokens


def test_stream_final_message(client):
    count = client.messages.count_tokens(model=ALIAS, messages=MESSAGES)
    with client.messages.stream(model=ALIAS, max_tokens=256, messages=MESSAGES) as stream:
        streamed = "".join(stream.text_stream)
        final = stream.get_final_message()

    assert final.id.startswith("msg_01")
    assert final.model == DATED
    assert final.stop_reason == "end_turn"
    assert final.usage.input_tokens == count.input_tokens
    assert final.usage.output_tokens == REPLY_TOKENS
    assert streamed and streamed == text_of(final)


def test_forced_tool_use(client):
    msg = client.messages.create(
        model=ALIAS,
        max_tokens=256,
        messages=[{"role": "user", "content": "What is the weather like in Paris?"}],
        tools=[WEATHER_TOOL],
        tool_choice={"type": "tool", "name": "get_weather"},
    )

    assert msg.stop_reason == "tool_use"
    uses = [b for b in msg.content if b.type == "tool_use"]
    assert len(uses) == 1, msg.model_dump_json()
    assert uses[0].id.startswith("toolu_")
    assert uses[0].name == "get_weather"
    assert isinstance(uses[0].input["location"], str)
    assert uses[0].input["unit"] in ("celsius", "fahrenheit")


def test_models_pagination_yields_each_model_once(client):
    everything = client.models.list(limit=1000)
    assert everything.has_more is False
    all_ids = [m.id for m in everything.data]
    assert len(all_ids) > 3, "paging by 3 needs more than one page"

    ids = [m.id for m in client.models.list(limit=3)]

    assert len(ids) == len(set(ids)), f"duplicates in {ids}"
    assert ids == all_ids


def test_models_retrieve_resolves_alias(client):
    model = client.models.retrieve(ALIAS)

    assert model.id == DATED
    assert model.type == "model"


def test_unknown_model_is_not_found(client):
    with pytest.raises(anthropic.NotFoundError) as caught:
        client.messages.create(model="claude-nope", max_tokens=256, messages=MESSAGES)

    err = caught.value
    assert err.status_code == 404
    assert err.request_id and err.request_id.startswith("req_")
    assert err.type == "not_found_error"
    assert err.body["error"]["message"] == "model: claude-nope"
    assert err.body["request_id"] == err.request_id


def test_empty_messages_is_bad_request(client):
    with pytest.raises(anthropic.BadRequestError) as caught:
        client.messages.create(model=ALIAS, max_tokens=256, messages=[])

    err = caught.value
    assert err.status_code == 400
    assert err.type == "invalid_request_error"
    assert err.request_id and err.request_id.startswith("req_")
    assert isinstance(err.body, dict) and err.body["type"] == "error"
    assert err.body["request_id"] == err.request_id


BURST_RULES = ["requests_arrived", "faults_fired", "respects_retry_after", "max_attempts", "backoff", "jitter", "no_retry_on", "retries_retryable"]


@pytest.mark.skipif(not os.environ.get("CLAUDEMOCK_BURST_URL"), reason="CLAUDEMOCK_BURST_URL names no burst-429 server")
def test_burst_429_is_waited_out_and_the_report_passes():
    """A second server plays the ready scenario burst-429; with its default
    retries the SDK must come out of it with a passing report."""
    url = os.environ["CLAUDEMOCK_BURST_URL"]
    burst = anthropic.Anthropic(base_url=url, _strict_response_validation=True)
    for _ in range(3):
        burst.messages.create(model=ALIAS, max_tokens=256, messages=MESSAGES)
    with urllib.request.urlopen(url + "/_mock/report") as res:
        report = json.load(res)
    assert [(r["rule"], r["pass"]) for r in report["expectations"]] == [(r, True) for r in BURST_RULES]
    assert report["pass"] is True
    assert report["requests"] == 5


# The Files API (beta files-api-2025-04-14): upload, metadata, the
# auto-paged list, a file_id counted as its bytes inline, the refused
# download of an upload, deletion and the errors after it.
FILES_BETA = ["files-api-2025-04-14"]
THREE_PAGES = (
    b"%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n2 0 obj <</Type /Page>> endobj\n"
    b"3 0 obj <</Type /Page>> endobj\n%%EOF\n"
)


def upload_pdf(client, name):
    return client.beta.files.upload(file=(name, THREE_PAGES, "application/pdf"), betas=FILES_BETA)


def count_document(client, source):
    content = [{"type": "document", "source": source}, {"type": "text", "text": "Sum up."}]
    return client.beta.messages.count_tokens(
        model=ALIAS, betas=FILES_BETA, messages=[{"role": "user", "content": content}]
    ).input_tokens


def test_files_upload_metadata_and_auto_paged_list(client):
    meta = upload_pdf(client, "dir/report.pdf")

    assert meta.id.startswith("file_011C")
    assert (meta.type, meta.filename, meta.mime_type, meta.size_bytes, meta.downloadable) == (
        "file", "report.pdf", "application/pdf", len(THREE_PAGES), False)
    assert client.beta.files.retrieve_metadata(meta.id, betas=FILES_BETA) == meta
    second = upload_pdf(client, "second.pdf")
    seen = [f.id for f in client.beta.files.list(limit=1, betas=FILES_BETA)]
    assert seen[:2] == [second.id, meta.id]


def test_files_file_id_counts_as_its_bytes_inline(client):
    meta = upload_pdf(client, "inline.pdf")
    inline = {"type": "base64", "media_type": "application/pdf", "data": base64.b64encode(THREE_PAGES).decode()}
    assert count_document(client, {"type": "file", "file_id": meta.id}) == count_document(client, inline)


def test_files_download_refused_and_deleted_file_gone(client):
    meta = upload_pdf(client, "gone.pdf")

    with pytest.raises(anthropic.BadRequestError) as refused:
        client.beta.files.download(meta.id, betas=FILES_BETA)
    assert refused.value.body["error"]["details"] == {"error_code": "file_not_downloadable"}
    gone = client.beta.files.delete(meta.id, betas=FILES_BETA)
    assert (gone.id, gone.type) == (meta.id, "file_deleted")
    with pytest.raises(anthropic.NotFoundError) as missing:
        client.beta.files.retrieve_metadata(meta.id, betas=FILES_BETA)
    assert missing.value.body["error"]["message"] == f"File not found: {meta.id}"
    with pytest.raises(anthropic.BadRequestError) as unknown:
        count_document(client, {"type": "file", "file_id": meta.id})
    assert unknown.value.body["error"]["message"] == f"File not found: {meta.id}"


def _batch_request(custom_id):
    return {"custom_id": custom_id, "params": {"model": ALIAS, "max_tokens": 64, "messages": MESSAGES}}


def _until_ended(client, batch_id):
    """Polls the batch with a growing wait (the server's default 0.5 s a
    request, real clock) until processing has ended."""
    wait = 0.1
    while True:
        batch = client.messages.batches.retrieve(batch_id)
        if batch.processing_status == "ended":
            return batch
        time.sleep(wait)
        wait = min(wait * 2, 1.0)


def test_batch_results_are_read_by_custom_id(client):
    created = client.messages.batches.create(requests=[_batch_request("first"), _batch_request("second")])
    assert created.id.startswith("msgbatch_01")
    assert created.processing_status == "in_progress"
    assert created.request_counts.processing == 2
    assert created.results_url is None

    ended = _until_ended(client, created.id)
    assert ended.request_counts.succeeded == 2
    assert ended.results_url == os.environ["ANTHROPIC_BASE_URL"] + "/v1/messages/batches/" + created.id + "/results"
    seen = {}
    for line in client.messages.batches.results(created.id):
        assert line.result.type == "succeeded"
        assert line.result.message.usage.service_tier == "batch"
        seen[line.custom_id] = text_of(line.result.message) != ""
    assert seen == {"first": True, "second": True}


def test_batch_list_cancel_and_delete(client):
    batch = client.messages.batches.create(requests=[_batch_request(c) for c in "abcd"])
    canceling = client.messages.batches.cancel(batch.id)
    assert canceling.processing_status == "canceling"
    assert canceling.cancel_initiated_at is not None

    ids = [b.id for b in client.messages.batches.list(limit=1)]
    assert ids[0] == batch.id
    assert len(set(ids)) == len(ids)

    with pytest.raises(anthropic.BadRequestError):
        client.messages.batches.delete(batch.id)
    ended = _until_ended(client, batch.id)
    assert ended.request_counts.canceled == 4
    deleted = client.messages.batches.delete(batch.id)
    assert (deleted.id, deleted.type) == (batch.id, "message_batch_deleted")
    with pytest.raises(anthropic.NotFoundError):
        client.messages.batches.retrieve(batch.id)
