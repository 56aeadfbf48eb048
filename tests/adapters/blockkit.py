"""Block Kit's documented limits, written down from Slack's reference (not from the renderer),
so that the fake Slack refuses what Slack refuses and payload tests check every limit.

Sources: docs.slack.dev/reference/views (home tab and modal views),
/reference/block-kit/blocks (header, section, context, actions, divider, input),
/reference/block-kit/block-elements (button, static select, checkboxes, number and plain-text
inputs) and /reference/block-kit/composition-objects (text, option, confirmation dialog).
"""

from __future__ import annotations

from typing import Any

VIEW_BLOCKS = 100
PRIVATE_METADATA = 3000
CALLBACK_ID = 255
MODAL_TEXT = 24  # title, submit, close
BLOCK_ID = 255
ACTION_ID = 255
HEADER_TEXT = 150
SECTION_TEXT = 3000
SECTION_FIELDS = 10
FIELD_TEXT = 2000
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
INPUT_LABEL = 2000
INPUT_HINT = 2000
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
PLACEHOLDER = 150
SELECT_OPTIONS = 100
CHECKBOX_OPTIONS = 10
OPTION_TEXT = 75
OPTION_VALUE = 150
TEXT_OBJECT = 3000
CONFIRM_TITLE, CONFIRM_TEXT, CONFIRM_BUTTON = 100, 300, 30

Problems = list[str]


def _text(obj: Any, where: str, limit: int, out: Problems, kind: str | None = None) -> None:
    """A text object: the right type, 1 to ``limit`` characters."""
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        out.append(f"{where}: not a text object")
        return
    if kind is not None and obj["type"] != kind:
        out.append(f"{where}: must be {kind}")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        out.append(f"{where}: empty text")
    elif len(text) > min(limit, TEXT_OBJECT):
        out.append(f"{where}: {len(text)} characters, more than {limit}")


def _id(value: Any, where: str, limit: int, out: Problems) -> None:
    if value is not None and (not isinstance(value, str) or len(value) > limit):
        out.append(f"{where}: longer than {limit}")


def _option(option: Any, where: str, out: Problems) -> None:
    _text(option.get("text"), f"{where}.text", OPTION_TEXT, out)
    value = option.get("value")
    if not isinstance(value, str) or not value or len(value) > OPTION_VALUE:
        out.append(f"{where}.value: 1 to {OPTION_VALUE} characters")
    if "description" in option:
        _text(option["description"], f"{where}.description", OPTION_TEXT, out, "plain_text")


def _confirm(confirm: Any, where: str, out: Problems) -> None:
    _text(confirm.get("title"), f"{where}.title", CONFIRM_TITLE, out, "plain_text")
    _text(confirm.get("text"), f"{where}.text", CONFIRM_TEXT, out)
    _text(confirm.get("confirm"), f"{where}.confirm", CONFIRM_BUTTON, out, "plain_text")
    _text(confirm.get("deny"), f"{where}.deny", CONFIRM_BUTTON, out, "plain_text")


def _options(element: dict[str, Any], where: str, limit: int, out: Problems) -> list[str]:
    options = element.get("options") or []
    if not 1 <= len(options) <= limit:
        out.append(f"{where}.options: {len(options)}, not 1 to {limit}")
    for i, option in enumerate(options):
        _option(option, f"{where}.options[{i}]", out)
    values = [o.get("value") for o in options]
    if len(set(values)) != len(values):
        out.append(f"{where}.options: repeated values")
    return [str(v) for v in values]


def _initial(element: dict[str, Any], values: list[str], where: str, out: Problems) -> None:
    """Slack refuses an initial option that is not one of the options, text and value alike."""
    initials = element.get("initial_options") or (
        [element["initial_option"]] if "initial_option" in element else []
    )
    options = {o["value"]: o for o in element.get("options") or []}
    for initial in initials:
        if initial.get("value") not in values or initial != options[initial["value"]]:
            out.append(f"{where}: an initial option that is not one of the options")


def _element(element: Any, where: str, out: Problems) -> None:
    if not isinstance(element, dict):
        out.append(f"{where}: not an element")
        return
    kind = element.get("type")
    _id(element.get("action_id"), f"{where}.action_id", ACTION_ID, out)
    if "placeholder" in element:
        _text(element["placeholder"], f"{where}.placeholder", PLACEHOLDER, out, "plain_text")
    if "confirm" in element:
        _confirm(element["confirm"], f"{where}.confirm", out)
    if kind == "button":
        _text(element.get("text"), f"{where}.text", BUTTON_TEXT, out, "plain_text")
        if len(str(element.get("value", ""))) > BUTTON_VALUE:
            out.append(f"{where}.value: longer than {BUTTON_VALUE}")
        if element.get("style") not in (None, "primary", "danger"):
            out.append(f"{where}.style: unknown")
    elif kind in ("static_select", "multi_static_select"):
        _initial(element, _options(element, where, SELECT_OPTIONS, out), where, out)
    elif kind in ("checkboxes", "radio_buttons"):
        _initial(element, _options(element, where, CHECKBOX_OPTIONS, out), where, out)
    elif kind == "number_input":
        if not isinstance(element.get("is_decimal_allowed"), bool):
            out.append(f"{where}.is_decimal_allowed: required")
        for key in ("initial_value", "min_value", "max_value"):
            if key in element and not isinstance(element[key], str):
                out.append(f"{where}.{key}: must be a string")
    elif kind == "plain_text_input":
        if "initial_value" in element and not isinstance(element["initial_value"], str):
            out.append(f"{where}.initial_value: must be a string")
    else:
        out.append(f"{where}: element type {kind!r} not checked here")


def _section(block: dict[str, Any], where: str, out: Problems) -> None:
    if "text" not in block and "fields" not in block:
        out.append(f"{where}: a section needs text or fields")
    if "text" in block:
        _text(block["text"], f"{where}.text", SECTION_TEXT, out)
    fields = block.get("fields") or []
    if len(fields) > SECTION_FIELDS:
        out.append(f"{where}.fields: {len(fields)}, more than {SECTION_FIELDS}")
    for i, f in enumerate(fields):
        _text(f, f"{where}.fields[{i}]", FIELD_TEXT, out)
    if "accessory" in block:
        _element(block["accessory"], f"{where}.accessory", out)


def _block(block: Any, where: str, surface: str, out: Problems) -> None:
    if not isinstance(block, dict):
        out.append(f"{where}: not a block")
        return
    kind = block.get("type")
    _id(block.get("block_id"), f"{where}.block_id", BLOCK_ID, out)
    if kind == "header":
        _text(block.get("text"), f"{where}.text", HEADER_TEXT, out, "plain_text")
    elif kind == "section":
        _section(block, where, out)
    elif kind == "context":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= CONTEXT_ELEMENTS:
            out.append(f"{where}.elements: {len(elements)}, not 1 to {CONTEXT_ELEMENTS}")
        for i, e in enumerate(elements):
            _text(e, f"{where}.elements[{i}]", TEXT_OBJECT, out)
    elif kind == "actions":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= ACTIONS_ELEMENTS:
            out.append(f"{where}.elements: {len(elements)}, not 1 to {ACTIONS_ELEMENTS}")
        for i, e in enumerate(elements):
            _element(e, f"{where}.elements[{i}]", out)
    elif kind == "input":
        if surface != "modal":
            out.append(f"{where}: input blocks belong in modals")
        _text(block.get("label"), f"{where}.label", INPUT_LABEL, out, "plain_text")
        if "hint" in block:
            _text(block["hint"], f"{where}.hint", INPUT_HINT, out, "plain_text")
        _element(block.get("element"), f"{where}.element", out)
    elif kind != "divider":
        out.append(f"{where}: block type {kind!r} not checked here")


def view_problems(view: Any) -> Problems:
    """Every documented limit ``view`` (a home tab or a modal) breaks; empty when valid."""
    out: Problems = []
    if not isinstance(view, dict) or view.get("type") not in ("home", "modal"):
        return ["view: type must be home or modal"]
    surface = view["type"]
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or len(blocks) > VIEW_BLOCKS:
        out.append(f"blocks: more than {VIEW_BLOCKS} (or missing)")
        blocks = blocks if isinstance(blocks, list) else []
    ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    if len(set(ids)) != len(ids):
        out.append("blocks: repeated block_id")
    for i, block in enumerate(blocks):
        _block(block, f"blocks[{i}]", surface, out)
    _id(view.get("callback_id"), "callback_id", CALLBACK_ID, out)
    _id(view.get("private_metadata"), "private_metadata", PRIVATE_METADATA, out)
    if surface == "modal":
        _text(view.get("title"), "title", MODAL_TEXT, out, "plain_text")
        for key in ("submit", "close"):
            if key in view:
                _text(view[key], key, MODAL_TEXT, out, "plain_text")
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        if has_input and "submit" not in view:
            out.append("submit: required when the modal has input blocks")
    return out
