// aedes (an MQTT broker in Node.js) on a WebSocket listener made with the ws package: a second
// WebSocket broker for mqtk, independent of both mqtk's client framing and the Python bridge in front
// of mosquitto. Loopback only.
//   node scripts/peers/aedes-ws.mjs [PORT]     (0 or none: a free port)
// Prints "aedes-ws listening on PORT" once it accepts connections; SIGTERM stops it.
import { createServer } from 'node:http'
import { Aedes } from 'aedes'
import { WebSocketServer, createWebSocketStream } from 'ws'

const broker = await Aedes.createBroker()
const http = createServer((req, res) => { res.writeHead(404); res.end() })
// Select "mqtt" (or "mqttv3.1" for 3.1 clients) among the offered subprotocols; refuse clients
// offering neither [MQTT-6.0.0-4].
const wss = new WebSocketServer({
  server: http,
  handleProtocols: (offered) => ['mqtt', 'mqttv3.1'].find((p) => offered.has(p)) ?? false
})
wss.on('connection', (socket) => {
  // Text frames: close the connection [MQTT-6.0.0-1]; binary data goes to the broker as a stream.
  socket.on('message', (data, isBinary) => { if (!isBinary) socket.close(1003) })
  const stream = createWebSocketStream(socket)
  stream.on('error', () => socket.terminate())
  broker.handle(stream)
})
http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`aedes-ws listening on ${http.address().port}`)
})
process.on('SIGTERM', () => { wss.close(); http.close(); broker.close(() => process.exit(0)) })
