package dev.edgeq.device.mqtt;

import dev.edgeq.device.Json;

import java.util.List;
import java.util.Map;

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
        return payload(deviceId, topicRoot, modelName, version, java.util.List.of(dev.edgeq.device.region.Region.CENTER), false);
    }

    /**
     * With regions: per region NAME a sensor "NAME" on its stable state ({@code state/NAME}) and "NAME label"
     * on its classifications; the center region keeps the "Label" and "Score" sensors and adds "State". With
     * snapshots, a camera per region on {@code snapshot/NAME} and a "Snapshot" button ({@code set/snapshot}).
     */
    public static byte[] payload(String deviceId, String topicRoot, String modelName, String version,
                                 java.util.List<dev.edgeq.device.region.Region> regions, boolean snapshots) {
        String uid = "edgeq_" + deviceId;
        Map<String, Object> root = Json.object();
        Map<String, Object> dev = Json.putObject(root, "dev");
        Json.putArray(dev, "ids").add(uid);
        dev.put("name", "edgeq " + deviceId);
        dev.put("mf", "edgeq");
        dev.put("mdl", modelName);
        dev.put("sw", version);
        Map<String, Object> o = Json.putObject(root, "o");
        o.put("name", "edgeq");
        o.put("sw", version);
        List<Object> avail = Json.putArray(root, "availability");
        Map<String, Object> a = Json.object();
        avail.add(a);
        a.put("topic", topicRoot + "status");
        a.put("value_template", "{{ 'online' if value == 'online' else 'offline' }}");
        root.put("qos", 1);
        Map<String, Object> cmps = Json.putObject(root, "cmps");
        for (dev.edgeq.device.region.Region r : regions) {
            String cls = topicRoot + "classification" + r.topicSuffix();
            String id = r.name() == null ? uid : uid + "_" + r.name();
            String prefix = r.name() == null ? "" : r.name() + " ";
            Map<String, Object> label = Json.putObject(cmps, id + "_label");
            label.put("p", "sensor");
            label.put("name", prefix + (r.name() == null ? "Label" : "label"));
            label.put("unique_id", id + "_label");
            label.put("state_topic", cls);
            label.put("value_template", "{{ value_json.label }}");
            label.put("json_attributes_topic", cls);
            label.put("json_attributes_template", "{{ value_json.scores | tojson }}");
            label.put("icon", "mdi:camera-iris");
            Map<String, Object> score = Json.putObject(cmps, id + "_score");
            score.put("p", "sensor");
            score.put("name", prefix + (r.name() == null ? "Score" : "score"));
            score.put("unique_id", id + "_score");
            score.put("state_topic", cls);
            score.put("value_template", "{{ value_json.score }}");
            score.put("state_class", "measurement");
            Map<String, Object> state = Json.putObject(cmps, id + "_state");
            state.put("p", "sensor");
            state.put("name", r.name() == null ? "State" : r.name());
            state.put("unique_id", id + "_state");
            state.put("state_topic", topicRoot + "state" + r.topicSuffix());
            state.put("value_template", "{{ value_json.state }}");
            state.put("json_attributes_topic", topicRoot + "state" + r.topicSuffix());
            state.put("icon", "mdi:eye-check");
            if (snapshots) {
                Map<String, Object> cam = Json.putObject(cmps, id + "_snapshot");
                cam.put("p", "camera");
                cam.put("name", prefix + (r.name() == null ? "Snapshot" : "snapshot"));
                cam.put("unique_id", id + "_snapshot");
                cam.put("topic", topicRoot + "snapshot" + r.topicSuffix());
            }
        }
        if (snapshots) {
            Map<String, Object> button = Json.putObject(cmps, uid + "_take_snapshot");
            button.put("p", "button");
            button.put("name", "Take snapshot");
            button.put("unique_id", uid + "_take_snapshot");
            button.put("command_topic", topicRoot + "set/snapshot");
            button.put("payload_press", "all");
        }
        String stats = topicRoot + "stats";
        Map<String, Object> fps = Json.putObject(cmps, uid + "_fps");
        fps.put("p", "sensor");
        fps.put("name", "Frames per second");
        fps.put("unique_id", uid + "_fps");
        fps.put("state_topic", stats);
        fps.put("value_template", "{{ value_json.fps }}");
        fps.put("unit_of_measurement", "fps");
        fps.put("state_class", "measurement");
        fps.put("entity_category", "diagnostic");
        Map<String, Object> lat = Json.putObject(cmps, uid + "_latency");
        lat.put("p", "sensor");
        lat.put("name", "Latency p50");
        lat.put("unique_id", uid + "_latency");
        lat.put("state_topic", stats);
        lat.put("value_template", "{{ value_json.latency_ms.p50 }}");
        lat.put("unit_of_measurement", "ms");
        lat.put("state_class", "measurement");
        lat.put("entity_category", "diagnostic");
        return Json.bytes(root);
    }
}
