"""Chat adapters: translate platform events to ``bot.models.Message`` and answers back."""
