from listen.articles import parse_article

PAGE = """<!doctype html>
<html lang="es-ES"><head><meta charset="utf-8"><title>Gazette | Plaza reopens</title>
<meta name="author" content="Lucía Marco"></head>
<body>
<nav><ul><li><a href="/">Portada</a></li><li><a href="/local">Local</a></li><li><a href="/deportes">Deportes</a></li></ul></nav>
<div class="cookies">Usamos cookies para mejorar tu experiencia. Aceptar</div>
<article>
<h1>La plaza vuelve a abrir</h1>
<p>La plaza del barrio abrió de nuevo el sábado tras ocho meses de obras, con bancos nuevos y más sombra para las tardes de verano.</p>
<h2>Los vecinos</h2>
<p>Los vecinos llegaron temprano con sillas plegables y termos de café para ver la inauguración desde primera fila.</p>
<h2>Lo que viene</h2>
<p>El ayuntamiento prometió una fuente para el próximo año y un mercado de productores los domingos por la mañana.</p>
</article>
<footer><p>© 2026 Gazette. Todos los derechos reservados.</p><p>Suscríbete a nuestro boletín.</p></footer>
</body></html>"""


def test_html_keeps_the_article_and_its_headings_only() -> None:
    article = parse_article(PAGE, "html")
    assert article.title == "La plaza vuelve a abrir"
    assert [s.heading for s in article.sections] == ["La plaza vuelve a abrir", "Los vecinos", "Lo que viene"]
    text = " ".join(article.paragraphs)
    for outside in ("Portada", "Deportes", "cookies", "derechos reservados", "boletín"):
        assert outside not in text


def test_html_language_and_author_come_from_the_page() -> None:
    article = parse_article(PAGE, "html")
    assert article.language == "es"
    assert article.author == "Lucía Marco"


def test_html_date_is_never_guessed_from_a_copyright_line() -> None:
    assert parse_article(PAGE, "html").date == ""
