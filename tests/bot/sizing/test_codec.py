"""Details buttons carry their sizing: readable back after a restart, by anyone, within limits."""

from __future__ import annotations

import pytest

from adapters.discord.render import CUSTOM_ID, PREFIX, render
from adapters.slack.translate import BUTTON_VALUE_LIMIT
from bot.buttons import button_value
from bot.core import Bot
from bot.models import Answer, Origin
from bot.requests import SizeDetails, SizeTeam
from bot.sizing.codec import CODES, decode, digest, encode
from bot.sizing.engine import size_team
from bot.sizing.inputs import FIELDS, SizingInput, parse_input
from bot.strings import t
from knowledge.vocab import CHANNELS

ANA = Origin(platform="slack", workspace="T1", user="ana")
BOB = Origin(platform="slack", workspace="T1", user="bob")
#: The longest a question typed in chat can make the figures: every channel, three volumes whose
#: per-day value has a long decimal ("10,000 a month" is 333.33… a day).
LONGEST = parse_input(
    stores=499, stage="mature", channels=list(CHANNELS), orders_per_day=333333.3333333333,
    inquiries_per_day=3333333.333333333, peak_inquiries_per_hour=333333.3333333333,
)  # fmt: skip


def test_every_sizing_figure_has_a_code() -> None:
    assert set(CODES) == set(FIELDS) == set(SizingInput.model_fields)
    assert len({code for code, _ in CODES.values()}) == len(CODES)


@pytest.mark.parametrize(
    "inp",
    [
        parse_input(stores=2),
        parse_input(stores=1, stage="new", channels=[]),
        LONGEST,
        parse_input(stores=3, warehouse="outsourced", pooled=False, open_hours_per_day=12.5,
                    service_level=0.9, concurrency=3, days_open_per_week=6),
    ],
)  # fmt: skip
@pytest.mark.parametrize("assumed", [False, True])
def test_the_figures_read_back_as_given(inp: SizingInput, assumed: bool) -> None:
    result = size_team(inp)
    decoded = decode(encode(result, assumed))
    assert decoded is not None and decoded.stores_assumed is assumed
    assert decoded.input.model_fields_set == inp.model_fields_set
    for field in SizingInput.model_fields:
        got, want = getattr(decoded.input, field), getattr(inp, field)
        assert got == (pytest.approx(want, rel=1e-11) if isinstance(want, float) else want)
    assert decoded.digest == digest(result) == digest(size_team(decoded.input))


@pytest.mark.parametrize(
    "text",
    ["", "x", "2abcdef;s2", "1abc;s2", "1abcdef;s0", "1abcdef;s2;z9", "1abcdef;s2;g7",
     "1abcdef;s2;ix", "1abcdef;s;", "1abcdef;s2;q2"],
)  # fmt: skip
def test_anything_else_is_not_read(text: str) -> None:
    assert decode(text) is None


def test_the_digest_changes_with_the_numbers() -> None:
    two, three = size_team(parse_input(stores=2)), size_team(parse_input(stores=3))
    live = size_team(parse_input(stores=2, channels=["live"]))
    assert len({digest(two), digest(three), digest(live)}) == 3


def _short(bot: Bot, inp: SizingInput, lang: str = "en") -> Answer:
    return bot.handle(SizeTeam(origin=ANA, lang=lang, input=inp))  # type: ignore[arg-type]


def test_the_longest_details_button_fits_discord_and_slack() -> None:
    answer = _short(Bot(), LONGEST, "es")
    value = button_value(answer.suggestions[0], "es")
    assert len(PREFIX + value) <= CUSTOM_ID and len(value) <= BUTTON_VALUE_LIMIT
    buttons = render(answer)[-1].buttons
    assert buttons[0] == (t("es", "suggest.details"), PREFIX + value)


def test_a_click_after_a_restart_by_someone_else_explains_the_answer() -> None:
    short = _short(Bot(), parse_input(stores=2, channels=["live"]))
    value = button_value(short.suggestions[0], "en")
    restarted = Bot()  # a new process: nothing remembered
    request = restarted.parse_button(value, BOB)
    assert isinstance(request, SizeDetails) and request.origin == BOB
    details = restarted.handle(request)
    assert details.title == t("en", "size.details.title", title=short.title)
    assert details.entities.stores == 2 and details.entities.channels == ["live"]


@pytest.mark.parametrize(
    "value",
    ["why:en:1000000;s2", "why:en:garbage", "why:fr:1abcdef;s2", "why:es:"],
)
def test_a_button_whose_answer_changed_or_is_unreadable_has_expired(value: str) -> None:
    answer = Bot().handle(Bot().parse_button(value, BOB))
    assert answer.title == t(answer.language, "size.details.expired.title")
    assert answer.refusal and not answer.error and answer.suggestions
    assert answer.language == ("es" if value.startswith("why:es") else "en")
