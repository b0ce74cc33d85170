// aedes (an MQTT broker in Node.js) for mqtk's tests: a broker independent of mosquitto, of mqtk's
// client code and of the Python WebSocket bridge. Loopback only.
//   node scripts/peers/aedes.mjs [--tcp] [--user NAME --password SECRET] [--no-wildcards] [PORT]
// Without --tcp: a WebSocket listener made with the ws package (MQTT over WebSocket, section 6).
// With --tcp: plain MQTT over TCP (scripts/broker-matrix.sh's aedes configuration).
// With --user/--password: CONNECTs without exactly those credentials are refused (return code 4 or
// 5, as aedes answers), like a broker that requires a password. --no-wildcards refuses (SUBACK 0x80)
// every filter holding + or #, as a minimal broker may. (aedes cannot grant a lower QoS: changing the
// QoS in authorizeSubscribe lowers the deliveries but not the SUBACK.)
// PORT 0 or none: a free port. Prints "aedes listening on PORT" once it accepts connections;
// SIGTERM stops it.
import { createServer as createHttpServer } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { parseArgs } from 'node:util'
import { Aedes } from 'aedes'
import { WebSocketServer, createWebSocketStream } from 'ws'

const { values: opts, positionals } = parseArgs({
  options: {
    tcp: { type: 'boolean' },
    user: { type: 'string' },
    password: { type: 'string' },
    'no-wildcards': { type: 'boolean' }
  },
  allowPositionals: true
})
const broker = await Aedes.createBroker()
if (opts.user !== undefined) {
  broker.authenticate = (client, username, password, done) => {
    const ok = username === opts.user && password !== undefined && password.toString() === opts.password
    if (ok) return done(null, true)
    const err = new Error('bad user name or password')
    err.returnCode = 4
    done(err, false)
  }
}

if (opts['no-wildcards']) {
  broker.authorizeSubscribe = (client, sub, done) => done(null, /[+#]/.test(sub.topic) ? null : sub)
}

let server
if (opts.tcp) {
  server = createTcpServer(broker.handle)
} else {
  server = createHttpServer((req, res) => { res.writeHead(404); res.end() })
  // Select "mqtt" (or "mqttv3.1" for 3.1 clients) among the offered subprotocols; refuse clients
  // offering neither [MQTT-6.0.0-4].
  const wss = new WebSocketServer({
    server,
    handleProtocols: (offered) => ['mqtt', 'mqttv3.1'].find((p) => offered.has(p)) ?? false
  })
  wss.on('connection', (socket) => {
    // Text frames: close the connection [MQTT-6.0.0-1]; binary data goes to the broker as a stream.
    socket.on('message', (data, isBinary) => { if (!isBinary) socket.close(1003) })
    const stream = createWebSocketStream(socket)
    stream.on('error', () => socket.terminate())
    broker.handle(stream)
  })
}
server.listen(Number(positionals[0] ?? 0), '127.0.0.1', () => {
  console.log(`aedes listening on ${server.address().port}`)
})
process.on('SIGTERM', () => { server.close(); broker.close(() => process.exit(0)) })
