"""ShopCrew's core: understanding, answers, sizing, plans and storage; no chat SDK."""
