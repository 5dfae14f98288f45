"""How well does lingua-language-detector name the language of short mentee messages?

Run: python -m eval.experiments.language_detection. The messages are short asks written for this
check (not taken from any eval set), 8 languages, 2-12 words, including English messages full of
loan words and product names, where a detector is most likely to be fooled.
"""

from __future__ import annotations

MESSAGES: list[tuple[str, str]] = [
    ("en", "SEO tips?"), ("en", "Python or Go for a backend?"), ("en", "pricing my SaaS"),
    ("en", "help with my CV"), ("en", "raise"), ("en", "Kubernetes migration"),
    ("en", "How should I ask my manager for a raise?"), ("en", "a quick call about my pitch deck"),
    ("en", "I run a bakery in Lyon"), ("en", "React vs Angular"), ("en", "tax advice for my café"),
    ("en", "career change into UX design"), ("en", "feedback on my portfolio please"),
    ("en", "negotiating salary at Siemens in Berlin"), ("en", "Salut! I need marketing help"),
    ("en", "my boss keeps ignoring my ideas in meetings"),
    ("es", "¿Cómo negocio mi salario?"), ("es", "Necesito ayuda con mi currículum"),
    ("es", "consejos para mi startup"), ("es", "quiero cambiar de carrera"),
    ("es", "Busco un mentor de marketing digital"), ("es", "precio de mi producto"),
    ("de", "Wie verhandle ich mein Gehalt?"), ("de", "Hilfe bei meinem Lebenslauf"),
    ("de", "Ich suche einen Mentor für Marketing"), ("de", "Tipps für mein Startup"),
    ("de", "Gehaltserhöhung"), ("de", "Wie finde ich meine ersten Kunden?"),
    ("fr", "Comment négocier mon salaire ?"), ("fr", "aide pour mon CV"),
    ("fr", "Je cherche un mentor en design"), ("fr", "conseils pour ma boulangerie"),
    ("fr", "changer de carrière"), ("fr", "Comment fixer mes tarifs de freelance ?"),
    ("pt", "Como negociar meu salário?"), ("pt", "preciso de ajuda com meu currículo"),
    ("pt", "dicas para minha startup"), ("pt", "quero mudar de carreira"),
    ("it", "Come negoziare il mio stipendio?"), ("it", "aiuto con il mio curriculum"),
    ("it", "consigli per la mia azienda"), ("it", "vorrei cambiare lavoro"),
    ("nl", "Hoe onderhandel ik over mijn salaris?"), ("nl", "hulp met mijn cv"),
    ("nl", "tips voor mijn bedrijf"), ("pl", "Jak negocjować wynagrodzenie?"),
    ("pl", "pomoc z moim CV"), ("pl", "szukam mentora w marketingu"),
]


def main() -> None:
    from finder.dialogue.language import LanguageReader

    reader = LanguageReader()
    wrong = [(lang, text, reader.detect(text)) for lang, text in MESSAGES
             if (reader.detect(text) or "en") != lang]
    total = len(MESSAGES)
    print(f"lingua: {total - len(wrong)}/{total} right ({(total - len(wrong)) / total:.0%})")
    for lang, text, got in wrong:
        print(f"  expected {lang}, got {got}: {text}")


if __name__ == "__main__":
    main()
