"""The copil report's form: a comment per table of the dashboard."""

from __future__ import annotations

from django import forms

#: The longest comment of a copil report's section.
COMMENT_MAX_LENGTH = 2000


class CopilCommentsForm(forms.Form):
    """One comment per table of the dashboard, written before generating the copil PDF."""

    def __init__(self, *args, titles: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for index, title in enumerate(titles):
            self.fields[f"comment_{index}"] = forms.CharField(
                label=f"Commentaire — {title}",
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": f"Un commentaire ne peut dépasser {COMMENT_MAX_LENGTH} "
                    "caractères : raccourcissez-le."
                },
                help_text="Agrégats seulement : ne nommez aucun jeune.",
            )
        self.titles = titles

    def comments(self) -> list[dict[str, str]]:
        """Each table's title and its comment (stripped; empty when none was written)."""
        return [
            {"table": title, "comment": self.cleaned_data[f"comment_{index}"].strip()}
            for index, title in enumerate(self.titles)
        ]
