"""Synapse password-auth module for Chattigo.

Password logins (``m.login.password``) of Chattigo agents are checked by the Chattigo appservice,
which holds the password hashes: this module forwards the username and password to the
appservice's ``/_chattigo/auth/check`` endpoint and, when the appservice accepts them, tells
Synapse which Matrix user logs in. Agents may type their Chattigo username ("jperez"), their
Matrix localpart ("chattigo_jperez") or their full user id.

A login the appservice does not accept returns None. Synapse's own password database is off
(``password_config.localdb_enabled: false``), so that refuses the login: every password, the
appservice's admin account's included, is checked by the appservice.

Configuration (homeserver.yaml):

    modules:
      - module: chattigo_auth.ChattigoPasswordProvider
        config:
          endpoint: http://127.0.0.1:9000/_chattigo/auth/check
          secret: <shared secret, sent as a bearer token>
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Optional, Tuple

from synapse.module_api import ModuleApi

logger = logging.getLogger(__name__)


class ChattigoPasswordProvider:
    def __init__(self, config: dict[str, str], api: ModuleApi) -> None:
        self._api = api
        self._endpoint = config["endpoint"]
        self._secret = config["secret"]
        api.register_password_auth_provider_callbacks(
            auth_checkers={("m.login.password", ("password",)): self.check_password},
        )

    @staticmethod
    def parse_config(config: Any) -> dict[str, str]:
        if not isinstance(config, dict):
            raise ValueError("chattigo_auth: config must be a mapping with 'endpoint' and 'secret'")
        for key in ("endpoint", "secret"):
            if not isinstance(config.get(key), str) or not config[key]:
                raise ValueError(f"chattigo_auth: config.{key} must be a non-empty string")
        return {"endpoint": config["endpoint"], "secret": config["secret"]}

    async def check_password(
        self, username: str, login_type: str, login_dict: dict[str, Any]
    ) -> Optional[Tuple[str, Optional[Callable[[Any], Awaitable[None]]]]]:
        password = login_dict.get("password")
        if not isinstance(password, str):
            return None
        try:
            result = await self._api.http_client.post_json_get_json(
                self._endpoint,
                {"user": username, "password": password},
                headers={"Authorization": [f"Bearer {self._secret}"]},
            )
        except Exception:  # the appservice is down or refused the call: no login through it
            logger.warning("chattigo_auth: the appservice could not check a login", exc_info=True)
            return None
        if isinstance(result, dict) and result.get("valid") is True and isinstance(result.get("user_id"), str):
            return result["user_id"], None
        return None
