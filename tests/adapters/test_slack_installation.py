"""Whose plan a Slack payload touches, and who is a guest (plain data, no I/O)."""

from __future__ import annotations

import pytest

from adapters.slack.translate import (
    action_to_incoming,
    command_to_incoming,
    installation_of,
    is_answered,
    is_external,
    is_member,
    without_public,
)
from bot.context import Knowledge
from tests.adapters.slack_rigs import fixture


@pytest.mark.parametrize(
    ("name", "installation"),
    [("app_mention.json", "T0001"), ("connect_mention_host.json", "T0001"),
     ("connect_mention_guest.json", "T0001"), ("grid_org_install_mention.json", "E0001"),
     ("grid_workspace_install_mention.json", "T0001")],
)  # fmt: skip
def test_events_belong_to_their_installation(name: str, installation: str) -> None:
    assert installation_of(fixture(name)) == installation


def test_commands_and_clicks_belong_to_their_installation(knowledge: Knowledge) -> None:
    message, _ = command_to_incoming(fixture("slash_command_grid_org.json"), knowledge.vocab)
    assert message.workspace == "E0001"
    message, _ = command_to_incoming(fixture("slash_command.json"), knowledge.vocab)
    assert message.workspace == "T0001"
    _, origin = action_to_incoming(fixture("block_actions_guest.json"))
    assert (origin.workspace, origin.user_is_external) == ("T0001", True)
    _, origin = action_to_incoming(fixture("block_actions.json"))
    assert (origin.workspace, origin.user_is_external) == ("T0001", False)


@pytest.mark.parametrize(
    ("name", "external"),
    [("connect_mention_host.json", False), ("connect_mention_guest.json", True),
     ("grid_org_install_mention.json", False), ("grid_workspace_install_mention.json", False),
     ("app_mention.json", False)],
)  # fmt: skip
def test_guests_are_known_by_their_team(name: str, external: bool) -> None:
    body = fixture(name)
    assert is_external(body["event"], body) is external


@pytest.mark.parametrize(
    ("name", "answered"),
    [("app_mention.json", True), ("message_im.json", True),
     ("app_mention_thread_broadcast.json", True), ("file_share_im.json", True),
     ("app_mention_edited.json", False), ("message_im_edited.json", False),
     ("message_changed_im.json", False), ("app_mention_thread_broadcast_edited.json", False),
     ("message_replied_im.json", False), ("message_deleted_im.json", False),
     ("bot_message_im.json", False), ("channel_join.json", False)],
)  # fmt: skip
def test_only_first_sendings_of_peoples_messages_are_answered(name: str, answered: bool) -> None:
    assert is_answered(fixture(name)["event"], "U0BOT") is answered


@pytest.mark.parametrize(
    ("text", "read"),
    [("<@U0BOT> public plan lock", "<@U0BOT> plan lock"),
     ("<@U0BOT|shopcrew>  Público: plan lock", "<@U0BOT|shopcrew>  plan lock"),
     ("public\tplan lock", "plan lock"), ("<@U0BOT> publicity plan", "<@U0BOT> publicity plan"),
     ("<@U0BOT> what is public?", "<@U0BOT> what is public?")],
)  # fmt: skip
def test_public_is_seen_through_after_the_mention(
    knowledge: Knowledge, text: str, read: str
) -> None:
    assert without_public(text, knowledge.vocab) == read


@pytest.mark.parametrize(
    ("user", "workspace", "member"),
    [({"id": "U1", "team_id": "T0001"}, "T0001", True),
     ({"id": "U1", "team_id": "T0OTHER", "is_admin": True}, "T0001", False),
     ({"id": "W1", "team_id": "T0002",
       "enterprise_user": {"enterprise_id": "E0001", "teams": ["T0002"]}}, "E0001", True),
     ({"id": "W1", "team_id": "T0002",
       "enterprise_user": {"enterprise_id": "E0001", "teams": ["T0001", "T0002"]}}, "T0001", True),
     ({"id": "W1", "team_id": "T0009",
       "enterprise_user": {"enterprise_id": "E0009", "teams": ["T0009"]}}, "E0001", False),
     ({"id": "U1"}, "T0001", True)],
)  # fmt: skip
def test_users_info_tells_members_from_guests(
    user: dict[str, object], workspace: str, member: bool
) -> None:
    assert is_member(user, workspace) is member
