"""Synapse spam-checker module for Chattigo: the rules no Matrix client can walk around.

Files. Every uploaded file is sent (its bytes, up to ``max_bytes``) to the Chattigo appservice's
``/_chattigo/policy/media`` endpoint, which judges it with the same file policy it applies to the
files sent in rooms (only images, PDF and Office documents, recognised by their bytes). A refused
file never reaches the media store: the upload fails with the appservice's explanation. The check
fails closed: when the appservice does not answer, or answers anything but a verdict, the upload
is refused. Thumbnails that Synapse makes of an accepted image are not sent.

In Synapse 1.163 the value a ``check_media_file_for_spam`` callback returns reaches the client
only as ``400 M_UNKNOWN "Bad content"`` (upload_resource.py drops the errcode and any message), so
the refusal is raised as a ``SynapseError`` (part of the module API) with Chattigo's own status,
errcode and message instead.

Rooms. Agents (users whose localpart starts with ``user_prefix``) may not create rooms the
appservice does not manage, except a direct chat with the bot (where the bot commands run) and the
shape of Element's "Start chat" with one other agent (which the appservice redirects to a managed
chat, see docs/decisions/0010-rooms-and-uploads-judged-by-synapse.md). They may not join a room
that neither the bot nor they themselves created, and may not invite anyone but the bot into such
a room. The bot (which creates every managed chat and campaign space) is not an agent and is never
limited. Refusals carry a reason, in Spanish and English, that says how to open a chat.

Configuration (homeserver.yaml):

    modules:
      - module: chattigo_policy.ChattigoPolicy
        config:
          media_endpoint: http://127.0.0.1:9000/_chattigo/policy/media
          secret: <shared secret, sent as a bearer token>
          max_bytes: 26214400
          user_prefix: chattigo_
          bot_user_id: "@chattigo:example.org"
"""

from __future__ import annotations

import json
import logging
from io import BytesIO
from typing import Any, Literal, Optional, Union

from twisted.web.client import readBody
from twisted.web.http_headers import Headers

from synapse.module_api import NOT_SPAM, ModuleApi, make_deferred_yieldable
from synapse.module_api.errors import Codes, SynapseError

logger = logging.getLogger(__name__)

HOW_TO_CHAT = (
    "Los chats entre agentes se abren con el bot de Chattigo: escriba !chatear <usuario> en su chat "
    "directo con el bot, o use \"Mensaje directo\" en el cliente web de Chattigo. / Chats between "
    "agents are opened through the Chattigo bot: write !chat <username> in your direct chat with the "
    "bot, or use \"Mensaje directo\" in the Chattigo web client."
)

UNCHECKED = (
    "No se pudo revisar el archivo; inténtelo de nuevo más tarde. Se permiten imágenes (PNG, JPEG, "
    "GIF, WebP), PDF y documentos de Office. / The file could not be checked; try again later. "
    "Allowed: images (PNG, JPEG, GIF, WebP), PDF and Office documents."
)

Verdict = Union[Literal["NOT_SPAM"], tuple[Codes, dict[str, Any]]]


class ChattigoPolicy:
    def __init__(self, config: dict[str, Any], api: ModuleApi) -> None:
        self._api = api
        self._media_endpoint: str = config["media_endpoint"]
        self._secret: str = config["secret"]
        self._max_bytes: int = config["max_bytes"]
        self._agent_prefix = "@" + config["user_prefix"]
        self._server_suffix = ":" + api.server_name
        self._bot: str = config["bot_user_id"]
        api.register_spam_checker_callbacks(
            check_media_file_for_spam=self.check_media_file_for_spam,
            user_may_create_room=self.user_may_create_room,
            user_may_invite=self.user_may_invite,
            user_may_join_room=self.user_may_join_room,
        )

    @staticmethod
    def parse_config(config: Any) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise ValueError("chattigo_policy: config must be a mapping")
        for key in ("media_endpoint", "secret", "user_prefix", "bot_user_id"):
            if not isinstance(config.get(key), str) or not config[key]:
                raise ValueError(f"chattigo_policy: config.{key} must be a non-empty string")
        max_bytes = config.get("max_bytes")
        if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes <= 0:
            raise ValueError("chattigo_policy: config.max_bytes must be a positive integer")
        return dict(config)

    # ---- files -------------------------------------------------------------------------------

    async def check_media_file_for_spam(self, file_wrapper: Any, file_info: Any) -> Literal["NOT_SPAM"]:
        if getattr(file_info, "thumbnail", None) is not None:
            return NOT_SPAM  # made by Synapse from an image that passed this check
        buffer = BytesIO()
        await file_wrapper.write_chunks_to(buffer.write)
        data = buffer.getvalue()
        if len(data) > self._max_bytes:
            raise SynapseError(413, "El archivo es demasiado grande. / The file is too large.", Codes.TOO_LARGE)
        verdict = await self._ask(data)
        if verdict is None:
            raise SynapseError(503, UNCHECKED, Codes.UNKNOWN)
        if verdict.get("allowed") is True:
            return NOT_SPAM
        message = verdict.get("error")
        errcode = verdict.get("errcode")
        raise SynapseError(
            403,
            message if isinstance(message, str) and message else UNCHECKED,
            errcode if isinstance(errcode, str) and errcode else Codes.FORBIDDEN,
        )

    async def _ask(self, data: bytes) -> Optional[dict[str, Any]]:
        """The appservice's verdict on a file, or None when it gave none (fail closed)."""
        try:
            response = await self._api.http_client.request(
                "POST",
                self._media_endpoint,
                data=data,
                headers=Headers(
                    {
                        b"Content-Type": [b"application/octet-stream"],
                        b"Authorization": [f"Bearer {self._secret}".encode("ascii")],
                        b"Accept": [b"application/json"],
                    }
                ),
            )
            body = await make_deferred_yieldable(readBody(response))
        except Exception:
            logger.warning("chattigo_policy: the appservice could not check an upload; refused", exc_info=True)
            return None
        if response.code != 200:
            logger.warning("chattigo_policy: the appservice answered %s to an upload check; refused", response.code)
            return None
        try:
            verdict = json.loads(body.decode("utf-8"))
        except ValueError:
            logger.warning("chattigo_policy: the appservice's upload verdict is not JSON; refused")
            return None
        return verdict if isinstance(verdict, dict) else None

    # ---- rooms -------------------------------------------------------------------------------

    def _is_agent(self, user_id: str) -> bool:
        return user_id.startswith(self._agent_prefix) and user_id.endswith(self._server_suffix)

    @staticmethod
    def _refuse() -> tuple[Codes, dict[str, Any]]:
        # Synapse merges these fields into its error body, so "error" replaces its generic message.
        return Codes.FORBIDDEN, {"error": HOW_TO_CHAT}

    async def _creator(self, room_id: str) -> Optional[str]:
        state = await self._api.get_room_state(room_id, [("m.room.create", "")])
        create = state.get(("m.room.create", ""))
        return create.sender if create is not None else None

    async def user_may_create_room(self, user_id: str, room_config: dict[str, Any]) -> Verdict:
        if not self._is_agent(user_id):
            return NOT_SPAM
        invite = room_config.get("invite") or []
        initial_state = room_config.get("initial_state") or []
        creation_content = room_config.get("creation_content") or {}
        encrypted = any(isinstance(e, dict) and e.get("type") == "m.room.encryption" for e in initial_state)
        plain = (
            not room_config.get("invite_3pid")
            and room_config.get("visibility", "private") != "public"
            and room_config.get("preset") != "public_chat"
            and not room_config.get("room_alias_name")
            and not (isinstance(creation_content, dict) and creation_content.get("type"))
            and isinstance(invite, list)
            and len(invite) == 1
        )
        if plain and invite == [self._bot] and not encrypted:
            return NOT_SPAM  # the direct chat with the bot, where its commands run
        if plain and room_config.get("is_direct") is True and isinstance(invite[0], str) and self._is_agent(invite[0]) and invite[0] != user_id:
            # Element's "Start chat" with a colleague: the appservice declines the invite and opens the
            # managed chat instead; nobody can join this room (user_may_join_room), so it stays empty.
            return NOT_SPAM
        logger.info("chattigo_policy: room creation by %s refused", user_id)
        return self._refuse()

    async def user_may_invite(self, inviter: str, invitee: str, room_id: str) -> Verdict:
        if not self._is_agent(inviter) or invitee == self._bot:
            return NOT_SPAM
        creator = await self._creator(room_id)
        if creator == self._bot:
            return NOT_SPAM  # a managed room; its power levels say who may invite
        if creator == inviter and await self._untouched(room_id, inviter):
            return NOT_SPAM  # the one invite of a direct chat being created (allowed by user_may_create_room)
        logger.info("chattigo_policy: invite by %s into an unmanaged room refused", inviter)
        return self._refuse()

    async def _untouched(self, room_id: str, creator: str) -> bool:
        """Whether nobody but the creator was ever a member (no invite, join, leave or ban)."""
        members = await self._api.get_room_state(room_id, [("m.room.member", None)])
        return all(state_key == creator for (_, state_key) in members)

    async def user_may_join_room(self, user_id: str, room_id: str, is_invited: bool) -> Verdict:
        if not self._is_agent(user_id):
            return NOT_SPAM
        creator = await self._creator(room_id)
        if creator in (self._bot, user_id):
            return NOT_SPAM
        logger.info("chattigo_policy: join by %s into an unmanaged room refused", user_id)
        return self._refuse()
