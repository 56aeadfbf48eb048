"""ShopCrew's role knowledge base, built from the source article."""

from knowledge.loader import KnowledgeError, default_kb, load
from knowledge.models import ROLE_IDS, TEMPLATE_IDS, KnowledgeBase, Lang, Role, Template

__all__ = [
    "ROLE_IDS",
    "TEMPLATE_IDS",
    "KnowledgeBase",
    "KnowledgeError",
    "Lang",
    "Role",
    "Template",
    "default_kb",
    "load",
]
