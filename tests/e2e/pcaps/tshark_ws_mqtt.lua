-- tshark 4.0 (Debian 12) has a dissector table for WebSocket subprotocols ("ws.protocol") but its
-- MQTT dissector does not register there: this hands the "mqtt" subprotocol to it.
DissectorTable.get("ws.protocol"):add("mqtt", Dissector.get("mqtt"))
