// The bookshop the generated clients are driven against (tests/tests/cap_server.rs).
namespace bookshop;

entity Authors {
  key ID    : Integer;
      name  : String(111);
      books : Association to many Books on books.author = $self;
}

entity Books {
  key ID         : Integer;
      title      : String(111);
      stock      : Integer;
      price      : Decimal(9, 2);
      author     : Association to Authors;
      reviews    : Composition of many Reviews on reviews.book = $self;
      // The ETag: changes need it (set by the server on every change).
      modifiedAt : Timestamp @cds.on.insert: $now @cds.on.update: $now @odata.etag;
}

entity Reviews {
  key ID     : Integer;
      book   : Association to Books;
      rating : Integer;
      text   : String(1000);
}
