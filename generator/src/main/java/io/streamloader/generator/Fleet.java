package io.streamloader.generator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Seed 004's vehicle fleet: {@code vehicles} vehicles, each with a 17-character VIN and a constant random velocity,
 * posting a form body (timestamp, make, model, position_x/y/z, speed, vin) every {@code periodSeconds}. Requests go
 * round-robin over the vehicles, so at the natural rate (vehicles / period) each one reports once per period.
 */
final class Fleet implements Workload {

    private static final String[] MODELS = {
        "Maverick", "Escape", "F-150", "Explorer", "Mustang", "Bronco", "Edge", "Expedition"
    };
    private static final String VIN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final double[] MAX_VELOCITY = {2, 4, 100};

    private final String path;
    private final Vehicle[] vehicles;
    private final double periodSeconds;

    record Vehicle(String vin, String make, String model, double vx, double vy, double vz, long startNanos) {}

    Fleet(String path, int count, double periodSeconds, long seed) {
        this.path = path;
        this.periodSeconds = periodSeconds;
        var random = new Random(seed);
        vehicles = new Vehicle[count];
        long now = System.nanoTime();
        for (int i = 0; i < count; i++) {
            var vin = new StringBuilder();
            for (int c = 0; c < 17; c++) {
                vin.append(VIN_CHARS.charAt(random.nextInt(VIN_CHARS.length())));
            }
            vehicles[i] = new Vehicle(
                    vin.toString(),
                    "Ford",
                    MODELS[random.nextInt(MODELS.length)],
                    random.nextDouble() * MAX_VELOCITY[0],
                    random.nextDouble() * MAX_VELOCITY[1],
                    random.nextDouble() * MAX_VELOCITY[2],
                    now);
        }
    }

    @Override
    public Request request(URI base, long seq, RandomGenerator random) {
        Vehicle v = vehicles[(int) (seq % vehicles.length)];
        return Workload.post(base, path, "application/x-www-form-urlencoded", form(v).getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static String form(Vehicle v) {
        double t = (System.nanoTime() - v.startNanos()) / 1e9;
        double speed = Math.sqrt(v.vx() * v.vx() + v.vy() * v.vy() + v.vz() * v.vz());
        return String.format(
                Locale.ROOT,
                "timestamp=%.6f&make=%s&model=%s&position_x=%.3f&position_y=%.3f&position_z=%.3f&speed=%.3f&vin=%s",
                System.currentTimeMillis() / 1000.0,
                v.make(),
                v.model(),
                v.vx() * t,
                v.vy() * t,
                v.vz() * t,
                speed,
                v.vin());
    }

    @Override
    public double naturalRate() {
        return vehicles.length / periodSeconds;
    }
}
