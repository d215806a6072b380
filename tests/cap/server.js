// CAP's own server, bound to the loopback interface only (tests start it on an ephemeral
// port: PORT=0).
const cds = require('@sap/cds')

cds.on('bootstrap', (app) => {
  const listen = app.listen.bind(app)
  app.listen = (port, ...rest) => listen(port, '127.0.0.1', ...rest)
})

module.exports = cds.server
