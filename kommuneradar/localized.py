"""Models with Danish and English text: pick the text for the active language."""

from __future__ import annotations

from django.utils.translation import get_language


class Bilingual:
    """Mixin for models with `<field>_da` and `<field>_en` columns."""

    def localized(self, field: str) -> str:
        language = (get_language() or "da")[:2]
        english = str(getattr(self, f"{field}_en", "") or "")
        danish = str(getattr(self, f"{field}_da", "") or "")
        return english if language == "en" and english else danish

    @property
    def name(self) -> str:
        return self.localized("name")
