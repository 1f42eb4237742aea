"""One URLconf per default language (portal.municipalities.urlconf_for): a resolver keeps
the addresses it built per language, and "/trips/" is Danish in one municipality and German
in another."""
