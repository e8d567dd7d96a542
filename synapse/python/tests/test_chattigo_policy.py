"""Unit tests of the chattigo_policy module with a fake module API (run by synapse/test/python.test.ts)."""

from __future__ import annotations

import asyncio
import json
import unittest
from typing import Any, Optional
from unittest import mock

from twisted.internet import defer

from synapse.api.errors import SynapseError

import chattigo_policy
from chattigo_policy import NOT_SPAM, ChattigoPolicy

BOT = "@chattigo:chattigo.test"
ANA = "@chattigo_ana:chattigo.test"
BETO = "@chattigo_beto:chattigo.test"


class FakeResponse:
    def __init__(self, code: int, body: bytes) -> None:
        self.code = code
        self.body = body


class FakeEvent:
    def __init__(self, sender: str) -> None:
        self.sender = sender


class FakeHttp:
    def __init__(self) -> None:
        self.answer: Any = FakeResponse(200, b'{"allowed": true, "kind": "pdf"}')
        self.calls: list[dict[str, Any]] = []

    async def request(self, method: str, uri: str, data: Optional[bytes] = None, headers: Any = None) -> Any:
        self.calls.append({"method": method, "uri": uri, "data": data, "headers": headers})
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


class FakeApi:
    server_name = "chattigo.test"

    def __init__(self) -> None:
        self.http_client = FakeHttp()
        self.callbacks: dict[str, Any] = {}
        self.rooms: dict[str, dict[tuple[str, str], FakeEvent]] = {}

    def register_spam_checker_callbacks(self, **callbacks: Any) -> None:
        self.callbacks = callbacks

    async def get_room_state(self, room_id: str, event_filter: Any = None) -> dict[tuple[str, str], FakeEvent]:
        state = self.rooms.get(room_id, {})
        wanted = list(event_filter or [])
        return {k: v for k, v in state.items() if any(k[0] == t and (s is None or k[1] == s) for t, s in wanted)}


class FakeFile:
    def __init__(self, data: bytes) -> None:
        self.data = data

    async def write_chunks_to(self, write: Any) -> None:
        write(self.data)


class FakeFileInfo:
    def __init__(self, thumbnail: Any = None) -> None:
        self.thumbnail = thumbnail


def config() -> dict[str, Any]:
    return ChattigoPolicy.parse_config(
        {
            "media_endpoint": "http://127.0.0.1:9000/_chattigo/policy/media",
            "secret": "s3cret-0123456789",
            "max_bytes": 1000,
            "user_prefix": "chattigo_",
            "bot_user_id": BOT,
        }
    )


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def read_body(response: FakeResponse) -> defer.Deferred:
    return defer.succeed(response.body)


@mock.patch.object(chattigo_policy, "readBody", read_body)
class MediaTest(unittest.TestCase):
    def setUp(self) -> None:
        self.api = FakeApi()
        self.policy = ChattigoPolicy(config(), self.api)  # type: ignore[arg-type]

    def check(self, data: bytes = b"%PDF-1.4", info: Any = None) -> Any:
        return run(self.policy.check_media_file_for_spam(FakeFile(data), info or FakeFileInfo()))

    def test_allowed_file_passes_and_the_bytes_are_sent_with_the_secret(self) -> None:
        self.assertEqual(self.check(b"%PDF-1.4 hola"), NOT_SPAM)
        [call] = self.api.http_client.calls
        self.assertEqual(call["data"], b"%PDF-1.4 hola")
        self.assertEqual(call["headers"].getRawHeaders(b"Authorization"), [b"Bearer s3cret-0123456789"])

    def test_refused_file_raises_403_with_the_appservice_message(self) -> None:
        self.api.http_client.answer = FakeResponse(
            200, json.dumps({"allowed": False, "errcode": "M_FORBIDDEN", "error": "Archivo no permitido"}).encode()
        )
        with self.assertRaises(SynapseError) as raised:
            self.check()
        self.assertEqual((raised.exception.code, raised.exception.errcode, raised.exception.msg), (403, "M_FORBIDDEN", "Archivo no permitido"))

    def test_fails_closed_on_no_answer_an_error_or_nonsense(self) -> None:
        for answer in [ConnectionRefusedError(), FakeResponse(500, b"{}"), FakeResponse(403, b"{}"), FakeResponse(200, b"not json"), FakeResponse(200, b"[]")]:
            self.api.http_client.answer = answer
            with self.assertRaises(SynapseError) as raised:
                self.check()
            self.assertEqual(raised.exception.code, 503, repr(answer))
            self.assertIn("No se pudo revisar el archivo", raised.exception.msg)

    def test_larger_than_the_limit_is_refused_without_asking(self) -> None:
        with self.assertRaises(SynapseError) as raised:
            self.check(b"x" * 1001)
        self.assertEqual(raised.exception.code, 413)
        self.assertEqual(self.api.http_client.calls, [])

    def test_synapse_thumbnails_are_not_sent(self) -> None:
        self.assertEqual(self.check(info=FakeFileInfo(thumbnail=object())), NOT_SPAM)
        self.assertEqual(self.api.http_client.calls, [])


class RoomsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.api = FakeApi()
        self.policy = ChattigoPolicy(config(), self.api)  # type: ignore[arg-type]
        self.api.rooms["!managed"] = {("m.room.create", ""): FakeEvent(BOT)}
        self.api.rooms["!ana"] = {("m.room.create", ""): FakeEvent(ANA), ("m.room.member", ANA): FakeEvent(ANA)}

    def create(self, user: str, **room_config: Any) -> Any:
        return run(self.policy.user_may_create_room(user, room_config))

    def assertRefused(self, verdict: Any) -> None:
        self.assertNotEqual(verdict, NOT_SPAM)
        self.assertIn("!chatear <usuario>", verdict[1]["error"])

    def test_creation(self) -> None:
        self.assertEqual(self.create(ANA, invite=[BOT], is_direct=True, preset="trusted_private_chat"), NOT_SPAM)
        self.assertEqual(self.create(ANA, invite=[BETO], is_direct=True, preset="trusted_private_chat"), NOT_SPAM)
        self.assertEqual(self.create(BOT, name="anything"), NOT_SPAM)
        self.assertEqual(self.create("@chattigo_x:elsewhere.org", name="not ours"), NOT_SPAM)
        encryption = [{"type": "m.room.encryption", "state_key": "", "content": {}}]
        for refused in [
            {"invite": [BETO]},
            {"invite": [BETO, BOT], "is_direct": True},
            {},
            {"invite": [BOT], "initial_state": encryption},
            {"invite": [BOT], "creation_content": {"type": "m.space"}},
            {"invite": [BOT], "visibility": "public"},
            {"invite": [BOT], "room_alias_name": "sala"},
            {"invite": [BETO], "is_direct": True, "invite_3pid": [{"address": "a@b.c"}]},
            {"invite": [ANA], "is_direct": True},
            {"invite": ["@someone:chattigo.test"], "is_direct": True},
        ]:
            self.assertRefused(self.create(ANA, **refused))

    def test_invites_and_joins(self) -> None:
        self.assertEqual(run(self.policy.user_may_invite(ANA, BETO, "!managed")), NOT_SPAM)
        self.assertEqual(run(self.policy.user_may_invite(ANA, BOT, "!ana")), NOT_SPAM)
        self.assertEqual(run(self.policy.user_may_invite(ANA, BETO, "!ana")), NOT_SPAM)  # the createRoom invite
        self.api.rooms["!ana"][("m.room.member", BETO)] = FakeEvent(ANA)
        self.assertRefused(run(self.policy.user_may_invite(ANA, "@chattigo_carla:chattigo.test", "!ana")))
        self.assertEqual(run(self.policy.user_may_join_room(BETO, "!managed", True)), NOT_SPAM)
        self.assertEqual(run(self.policy.user_may_join_room(ANA, "!ana", False)), NOT_SPAM)
        self.assertRefused(run(self.policy.user_may_join_room(BETO, "!ana", True)))
        self.assertEqual(run(self.policy.user_may_join_room(BOT, "!ana", True)), NOT_SPAM)


class ConfigTest(unittest.TestCase):
    def test_names_the_bad_field(self) -> None:
        good = config()
        for key, value in [("secret", ""), ("max_bytes", 0), ("max_bytes", True), ("bot_user_id", None)]:
            with self.assertRaisesRegex(ValueError, f"config.{key}"):
                ChattigoPolicy.parse_config({**good, key: value})


if __name__ == "__main__":
    unittest.main()
