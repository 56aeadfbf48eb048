"""ShopCrew's knowledge: roles and team templates from the source article, and its vocabulary."""

from knowledge.loader import default_kb, load
from knowledge.models import (
    ROLE_IDS,
    TEMPLATE_IDS,
    KnowledgeBase,
    Role,
    RoleId,
    Template,
    TemplateId,
)
from knowledge.text import KnowledgeError, Text, fold
from knowledge.vocab import LANGS, Lang, Vocabulary, default_vocabulary

__all__ = [
    "LANGS",
    "ROLE_IDS",
    "TEMPLATE_IDS",
    "KnowledgeBase",
    "KnowledgeError",
    "Lang",
    "Role",
    "RoleId",
    "Template",
    "TemplateId",
    "Text",
    "Vocabulary",
    "default_kb",
    "default_vocabulary",
    "fold",
    "load",
]
