package dev.edgeq.device.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * Home Assistant MQTT discovery, device-based ({@code <prefix>/device/<id>/config}, retained, Home
 * Assistant 2024.11+): one device with a "Label" sensor (state = top-1 label, attributes = the top-k
 * scores), a "Score" sensor, and diagnostic fps / latency sensors from the stats topic; available while
 * the status topic says {@code online}.
 */
public final class HomeAssistantDiscovery {
    private HomeAssistantDiscovery() {}

    public static String topic(String prefix, String deviceId) {
        return prefix + "/device/edgeq_" + deviceId + "/config";
    }

    public static byte[] payload(String deviceId, String topicRoot, String modelName, String version) {
        ObjectMapper om = new ObjectMapper();
        String uid = "edgeq_" + deviceId;
        ObjectNode root = om.createObjectNode();
        ObjectNode dev = root.putObject("dev");
        dev.putArray("ids").add(uid);
        dev.put("name", "edgeq " + deviceId);
        dev.put("mf", "edgeq");
        dev.put("mdl", modelName);
        dev.put("sw", version);
        ObjectNode o = root.putObject("o");
        o.put("name", "edgeq");
        o.put("sw", version);
        ArrayNode avail = root.putArray("availability");
        ObjectNode a = avail.addObject();
        a.put("topic", topicRoot + "status");
        a.put("value_template", "{{ 'online' if value == 'online' else 'offline' }}");
        root.put("qos", 1);
        ObjectNode cmps = root.putObject("cmps");
        String cls = topicRoot + "classification";
        ObjectNode label = cmps.putObject(uid + "_label");
        label.put("p", "sensor");
        label.put("name", "Label");
        label.put("unique_id", uid + "_label");
        label.put("state_topic", cls);
        label.put("value_template", "{{ value_json.label }}");
        label.put("json_attributes_topic", cls);
        label.put("json_attributes_template", "{{ value_json.scores | tojson }}");
        label.put("icon", "mdi:camera-iris");
        ObjectNode score = cmps.putObject(uid + "_score");
        score.put("p", "sensor");
        score.put("name", "Score");
        score.put("unique_id", uid + "_score");
        score.put("state_topic", cls);
        score.put("value_template", "{{ value_json.score }}");
        score.put("state_class", "measurement");
        String stats = topicRoot + "stats";
        ObjectNode fps = cmps.putObject(uid + "_fps");
        fps.put("p", "sensor");
        fps.put("name", "Frames per second");
        fps.put("unique_id", uid + "_fps");
        fps.put("state_topic", stats);
        fps.put("value_template", "{{ value_json.fps }}");
        fps.put("unit_of_measurement", "fps");
        fps.put("state_class", "measurement");
        fps.put("entity_category", "diagnostic");
        ObjectNode lat = cmps.putObject(uid + "_latency");
        lat.put("p", "sensor");
        lat.put("name", "Latency p50");
        lat.put("unique_id", uid + "_latency");
        lat.put("state_topic", stats);
        lat.put("value_template", "{{ value_json.latency_ms.p50 }}");
        lat.put("unit_of_measurement", "ms");
        lat.put("state_class", "measurement");
        lat.put("entity_category", "diagnostic");
        try {
            return om.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
