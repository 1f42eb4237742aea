"""The API document speaks the language it is asked in, whatever was served before it."""

import json

from django.utils import translation

from tests.factories import TripFactory


def test_the_document_keeps_no_words_of_a_language_active_when_its_fields_were_made(
    client, db, settings
):
    TripFactory()
    for path in ("/trips/", "/api/trips/", "/data/api/", "/api/schema/"):
        client.get(path)  # Danish, the default: fields made now must not keep Danish words
    from portal.api_reference import openapi_document

    settings.LANGUAGE_CODE = "de"
    settings.LANGUAGES = [("de", "Deutsch"), ("en", "English")]
    settings.PORTAL_CURRENCY = "EUR"
    for language, words in (("de", "Wofür die Zeit ist"), ("en", "What the time is for")):
        with translation.override(language):
            document = json.dumps(openapi_document(), ensure_ascii=False)
        assert "Hvad tiden er til" not in document
        assert "(kr.)" not in document
        assert f"{words}. (da)" in document  # the Danish text's field, described in this language
