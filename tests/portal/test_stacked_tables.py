"""A data table's cells carry their column's heading, for the card a phone shows per row."""

from portal.templatetags.tables import label_cells

TABLE = """<table class="x">
  <thead><tr><th scope="col">Line</th><th scope="col" colspan="2">Both</th>
  <th scope="col"><abbr title="Danish kroner">Amount</abbr> <span class="visually-hidden">in
  DKK</span></th><th scope="col">R&amp;D</th></tr></thead>
  <tbody><tr><th scope="row"><a href="/l/1/">Venskabsbyer</a></th><td>a</td><td>b</td>
  <td class="num">12.000,00</td><td data-label="Own">x</td></tr></tbody>
  <tfoot><tr><th scope="row">Total</th><td colspan="2"></td><td class="num">12.000,00</td>
  <td>&lt;td&gt;</td></tr></tfoot>
</table>"""


def test_each_body_and_foot_cell_is_labelled_with_its_columns_heading():
    labelled = label_cells(TABLE)
    assert labelled.startswith('<table data-stacked class="x">')
    # A heading over two columns labels each; a cell over two columns has no one heading.
    assert '<td data-label="Both">a</td><td data-label="Both">b</td>' in labelled
    assert labelled.count('<td data-label="Amount in DKK" class="num">12.000,00</td>') == 2
    assert '<td data-label="R&amp;D">&lt;td&gt;</td>' in labelled  # escaped, and text is text
    assert '<td data-label="Own">x</td>' in labelled  # a label of its own is kept
    assert '<th scope="row"><a href="/l/1/">Venskabsbyer</a></th>' in labelled  # the card's title
    assert '<td colspan="2"></td>' in labelled


def test_only_the_first_table_is_marked_and_a_table_without_head_is_left_as_it_is():
    plain = "<table><tbody><tr><td>1</td></tr></tbody></table>"
    assert label_cells(plain) == plain.replace("<table", "<table data-stacked", 1)
