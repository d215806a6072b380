using bookshop from '../db/schema';

service CatalogService @(path: '/catalog') {
  entity Books   as projection on bookshop.Books actions {
    // Bound: adds to the book's stock and returns the book.
    action   addStock(amount : Integer) returns Books;
    // Bound: the stock's value (stock × price).
    function stockValue()               returns Decimal(15, 2);
  };
  entity Authors as projection on bookshop.Authors;
  entity Reviews as projection on bookshop.Reviews;
  // Unbound: sets every book's stock to `stock`; returns how many books changed.
  action   restock(stock : Integer)     returns Integer;
  // Unbound: the books of an author, by the author's ID.
  function booksOf(author : Integer)    returns array of Books;
}
