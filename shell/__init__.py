"""The shell: what gathers the apps into one site (home, search, the staff front page, the
data pages, the sitemap, the API's routes, the root URLconf and the demo loader). It sits
above every app; the foundation (`portal`) and the apps never import it."""
