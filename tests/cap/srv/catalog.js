const cds = require('@sap/cds')

module.exports = class CatalogService extends cds.ApplicationService {
  init() {
    const { Books } = this.entities
    this.on('addStock', Books, async (req) => {
      const [{ ID }] = req.params
      await UPDATE(Books, ID).with({ stock: { '+=': req.data.amount } })
      return SELECT.one.from(Books, ID)
    })
    this.on('stockValue', Books, async (req) => {
      const [{ ID }] = req.params
      const book = await SELECT.one.from(Books, ID)
      return book.stock * book.price
    })
    this.on('restock', async (req) => {
      return UPDATE(Books).with({ stock: req.data.stock })
    })
    this.on('booksOf', async (req) => {
      return SELECT.from(Books).where({ author_ID: req.data.author })
    })
    return super.init()
  }
}
