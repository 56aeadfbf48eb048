"""Inputs of the sizing engine: allowed ranges, defaults and where each default comes from."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from knowledge.vocab import CHANNELS, STAGES, Channel, Stage


class FieldInfo(NamedTuple):
    """How a sizing figure is shown and set: its range, its default, and its command-line flag."""

    allowed: str
    default: str
    what: str
    flag: str


def _f(allowed: str, default: str, what: str, flag: str = "") -> FieldInfo:
    return FieldInfo(allowed, default, what, flag)


#: Every sizing figure, in the order ``shopcrew size --help`` lists them (its flag is the field
#: name with dashes unless one is given).
FIELDS: dict[str, FieldInfo] = {
    "stores": _f("1–500", "required", "number of stores"),
    "stage": _f(" | ".join(STAGES), "default new", "team stage"),
    "channels": _f(", ".join(CHANNELS), "default none", "content channels (comma-separated)"),
    "orders_per_day": _f("0–1,000,000", "optional", "orders a day, for warehouse and after-sales"),
    "inquiries_per_day": _f("0–10,000,000", "optional", "customer inquiries a day"),
    "peak_inquiries_per_hour": _f("0–1,000,000", "optional", "inquiries at the busiest hour"),
    "aht_seconds": _f("10–3,600", "180 s: assumption", "average handle time of one chat"),
    "concurrency": _f("1–5", "2: practical range 2–3 (Call Centre Helper)",
                      "chats one agent handles at once"),
    "service_level": _f("0.5–0.99", "0.80: contact-centre default (Call Centre Helper)",
                        "share of chats answered in time"),
    "answer_within_seconds": _f("5–600", "20 s: contact-centre default (Call Centre Helper)",
                                "seconds for the service level", "--answer-within"),
    "max_occupancy": _f("0.5–1.0", "0.85: published range 85–90%",
                        "largest share of time an agent is busy"),
    "shrinkage": _f("0–0.6", "0.30: typical 30–35%, range 20–35%",
                    "share of paid time not available"),
    "open_hours_per_day": _f("1–24", "16 h: the article's morning and evening shifts",
                             "hours customer service is open a day", "--open-hours"),
    "shift_hours": _f("4–12", "8 h: assumption", "hours in one shift"),
    "days_open_per_week": _f("1–7", "7: assumption, marketplaces never close",
                             "days open a week", "--days-open"),
    "work_days_per_week": _f("1–7", "5: assumption", "days one person works a week", "--work-days"),
    "warehouse": _f("in_house | outsourced", "default in_house", "warehouse"),
    "live_hours_per_day": _f("0–24", "2 h: assumption", "live-stream hours a day", "--live-hours"),
    "inquiries_per_order": _f("0–5", "0.3: assumption, no public figure",
                              "customer-service chats per order, when only orders are given"),
    "return_rate": _f("0–1", "0.06: middle of 2–10% of orders (Gorgias)",
                      "after-sales cases (returns, complaints) per order"),
    "case_minutes": _f("1–120", "10 min: assumption", "minutes of work per after-sales case"),
    "span_of_control": _f("4–30", "12: the wide end of 8–12 agents (ICMI)",
                          "most agents one supervisor leads", "--span"),
    "manager_from_packers": _f("2–100", "10: assumption",
                               "packers from which a warehouse needs a manager"),
    "stores_per_assistant": _f("1–10", "2: assumption",
                               "stores per operations assistant in a mature team"),
    "pooled": _f("true | false", "default true: one customer-service team for all stores",
                 "one team for all stores; --separate gives each store its own", "--separate"),
}  # fmt: skip


def flag_of(field: str) -> str:
    """The command-line flag that sets ``field``."""
    return FIELDS[field].flag or "--" + field.replace("_", "-")


class SizingInput(BaseModel):
    """Everything the engine needs; only ``stores`` is required."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stores: int = Field(ge=1, le=500)
    stage: Stage = "new"
    channels: tuple[Channel, ...] = ()
    orders_per_day: float | None = Field(default=None, ge=0, le=1_000_000)
    inquiries_per_day: float | None = Field(default=None, ge=0, le=10_000_000)
    peak_inquiries_per_hour: float | None = Field(default=None, ge=0, le=1_000_000)
    aht_seconds: float = Field(default=180.0, ge=10, le=3600)
    concurrency: int = Field(default=2, ge=1, le=5)
    service_level: float = Field(default=0.8, ge=0.5, le=0.99)
    answer_within_seconds: float = Field(default=20.0, ge=5, le=600)
    max_occupancy: float = Field(default=0.85, ge=0.5, le=1.0)
    shrinkage: float = Field(default=0.30, ge=0.0, le=0.6)
    open_hours_per_day: float = Field(default=16.0, ge=1, le=24)
    shift_hours: float = Field(default=8.0, ge=4, le=12)
    days_open_per_week: int = Field(default=7, ge=1, le=7)
    work_days_per_week: int = Field(default=5, ge=1, le=7)
    warehouse: Literal["in_house", "outsourced"] = "in_house"
    live_hours_per_day: float = Field(default=2.0, ge=0, le=24)
    inquiries_per_order: float = Field(default=0.3, ge=0, le=5)
    return_rate: float = Field(default=0.06, ge=0, le=1)
    case_minutes: float = Field(default=10.0, ge=1, le=120)
    span_of_control: int = Field(default=12, ge=4, le=30)
    manager_from_packers: int = Field(default=10, ge=2, le=100)
    stores_per_assistant: int = Field(default=2, ge=1, le=10)
    pooled: bool = True

    @field_validator("channels", mode="before")
    @classmethod
    def _unique_channels(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [c.strip() for c in value.split(",") if c.strip()]
        if isinstance(value, (list, tuple)):
            known = [c for c in CHANNELS if c in value]
            unknown = [c for c in value if c not in CHANNELS]
            return tuple(known + unknown)  # unknown ones fail the Literal check, by name
        return value

    @property
    def has_workload(self) -> bool:
        """True when the user gave volumes customer service can be sized from (orders too)."""
        return self.gave_inquiries or self.orders_per_day is not None

    @property
    def gave_inquiries(self) -> bool:
        """True when the user gave chat volumes themselves (not derived from orders)."""
        return self.inquiries_per_day is not None or self.peak_inquiries_per_hour is not None


class SizingError(ValueError):
    """Bad sizing input: names the field, the allowed range and what was given.

    ``bounds`` are the numeric limits, when the field has them (answers format them per
    language; ``allowed`` is the English text for the command line).
    """

    def __init__(
        self, field: str, allowed: str, given: object, bounds: tuple[float, float] | None = None
    ) -> None:
        self.field = field
        self.allowed = allowed
        self.given = given
        self.bounds = bounds
        super().__init__(f"{field}: must be {allowed} (got {given!r})")


def bounds_of(field: str) -> tuple[float, float] | None:
    """(minimum, maximum) of a numeric field, from its declaration."""
    info = SizingInput.model_fields.get(field)
    if info is None:
        return None
    low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    return (low, high) if low is not None and high is not None else None


def parse_input(**given: Any) -> SizingInput:
    """Validate raw values, raising :class:`SizingError` for the first bad field.

    A value of None means "not given": the field's default applies.
    """
    raw = {k: v for k, v in given.items() if v is not None}
    for key in raw:
        if key not in FIELDS:
            raise SizingError(key, "one of " + ", ".join(FIELDS), raw[key])
    try:
        return SizingInput(**raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "input"
        allowed = FIELDS[field].allowed if field in FIELDS else "a valid value"
        given = raw.get(field, err.get("input"))
        raise SizingError(field, allowed, given, bounds_of(field)) from None
